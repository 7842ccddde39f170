import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { users, type UserRole } from '../../db/schema';
import { ServiceError } from './errors';

/**
 * Teachers make classes and assignments, and so may an admin, for classes of their own. Making
 * a class is all a role grants: what is in a class is its own teacher's alone (./class-teacher.ts).
 */
export function canTeach(role: UserRole | null | undefined): boolean {
  return role === 'teacher' || role === 'admin';
}

export async function roleOf(db: Pick<Database, 'select'>, userId: string): Promise<UserRole | null> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.role ?? null;
}

export const ONLY_TEACHERS_MAKE_CLASSES =
  'Only teachers can make a class. If you are a teacher, sign in with your teacher account (or sign up with the teacher code from whoever runs Layerbook at your school). If you are a student, join your class with the code your teacher gives you.';

/** Refuses (FORBIDDEN, saying how to become a teacher) unless the user is a teacher or an admin. */
export async function assertMayTeach(db: Pick<Database, 'select'>, userId: string, message = ONLY_TEACHERS_MAKE_CLASSES): Promise<void> {
  if (!canTeach(await roleOf(db, userId))) throw new ServiceError('FORBIDDEN', message);
}
