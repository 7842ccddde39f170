/**
 * A teacher changes an assignment after students handed in: the hand-ins follow. A new due
 * date makes each hand-in late or on time again by when it was handed in; new goals (or new
 * test data) judge every hand-in again (./autograde.ts regradeAssignment), so the class view,
 * the grades file and each student's hand-in show results for the goals that stand now; new
 * locks check each hand-in's snapshot again for locked cells it changed or lost. Then the
 * teacher's live class view hears of it, like of any hand-in or grade.
 */
import { eq } from 'drizzle-orm';
import { secondsLate } from '../../blocks/format/due-date';
import { lockedCellIssues } from '../../blocks/locked-cells';
import type { Database } from '../../db/client';
import { submissions } from '../../db/schema';
import { assignmentForTeacher, readAssignmentCells, updateAssignment, type UpdateAssignmentInput } from './assignments';
import { regradeAssignment } from './autograde';
import { announceClassActivity } from './class-activity';
import { readStoredCells } from './notebooks';
import type { RunQueue } from './runs';

/** What a change did, for the teacher's status sentence: `lockedCells` only when the locks changed. */
export interface AssignmentChangeResult {
  id: string;
  lockedCells: LockedCellsRecount | null;
}

/** After new locks: how many hand-ins there are, and how many now show a locked cell changed or deleted. */
export interface LockedCellsRecount {
  handIns: number;
  flagged: number;
}

export async function changeAssignment(db: Database, queue: RunQueue, teacherId: string, input: UpdateAssignmentInput, now = new Date()): Promise<AssignmentChangeResult> {
  const before = await assignmentForTeacher(db, teacherId, input.id);
  await updateAssignment(db, teacherId, input, now);
  const after = await assignmentForTeacher(db, teacherId, input.id);

  if (after.dueAt.getTime() !== before.dueAt.getTime()) await recomputeLate(db, after.id, after.dueAt);
  const lockedCells = sameJson(before.lockedCellIds, after.lockedCellIds) ? null : await recomputeLockedCellIssues(db, after);
  // Compared as stored, so whatever the update may change (goals, test data) is followed. Goals
  // sent again unchanged judge again too: saving once more finishes a regrade an error cut short.
  const testDataChanged = !sameJson(before.testDataset, after.testDataset);
  if (testDataChanged || input.goals !== undefined || !sameJson(before.goals, after.goals)) await regradeAssignment(db, queue, after.id, { testDataChanged });
  // Once the hand-ins follow, so the view's one read finds them changed. Said of every change:
  // the view reads again and sends only what reads differently.
  await announceClassActivity(db, { assignmentId: after.id, what: 'assignment-changed' });
  return { id: after.id, lockedCells };
}

async function recomputeLate(db: Database, assignmentId: string, dueAt: Date): Promise<void> {
  const handIns = await db
    .select({ id: submissions.id, submittedAt: submissions.submittedAt, lateBySeconds: submissions.lateBySeconds })
    .from(submissions)
    .where(eq(submissions.assignmentId, assignmentId));
  for (const handIn of handIns) {
    const late = secondsLate(handIn.submittedAt, dueAt);
    if (late !== handIn.lateBySeconds) await db.update(submissions).set({ lateBySeconds: late }).where(eq(submissions.id, handIn.id));
  }
}

/**
 * The locked cells each hand-in changed or lost, judged again by the locks that stand now (a
 * cell locked later is flagged on hand-ins that changed it; one unlocked is flagged no more),
 * from the hand-in's own snapshot, as when it was handed in (./submissions.ts handIn).
 */
async function recomputeLockedCellIssues(db: Database, assignment: { id: string; cells: unknown; formatVersion: number; lockedCellIds: string[] }): Promise<LockedCellsRecount> {
  const template = readAssignmentCells(assignment);
  const handIns = await db
    .select({ id: submissions.id, cells: submissions.cells, formatVersion: submissions.formatVersion, lockedCellIssues: submissions.lockedCellIssues })
    .from(submissions)
    .where(eq(submissions.assignmentId, assignment.id));
  let flagged = 0;
  for (const handIn of handIns) {
    const issues = lockedCellIssues(template, assignment.lockedCellIds, readStoredCells(handIn).cells);
    if (issues.length > 0) flagged++;
    if (!sameJson(issues, handIn.lockedCellIssues)) await db.update(submissions).set({ lockedCellIssues: issues }).where(eq(submissions.id, handIn.id));
  }
  return { handIns: handIns.length, flagged };
}

/** jsonb comes back with its keys in PostgreSQL's order, so two reads of one value compare equal. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
