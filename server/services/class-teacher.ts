import { eq, type SQL } from 'drizzle-orm';
import { classes } from '../../db/schema';

/**
 * The one rule for a class's content (its assignments, the students' copies and hand-ins,
 * feedback, marks and grades): only the class's own teacher, classes.teacher_id, sees or
 * changes it. No role widens it. The admin manages accounts (makes teachers, sets the teacher
 * code) and may teach classes of their own like any teacher, but another teacher's class is as
 * closed to them as to any other teacher: students' work is seen by the one person who teaches
 * them, and nobody else can read it by holding a role. Every service that shows or changes
 * class content decides through here, so the rule cannot drift between them.
 */
export function teachesClass(userId: string, klass: { teacherId: string }): boolean {
  return klass.teacherId === userId;
}

/** The same rule as a condition on `classes`, for queries that find only what the caller teaches. */
export function taughtBy(userId: string): SQL {
  return eq(classes.teacherId, userId);
}
