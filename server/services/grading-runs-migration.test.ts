import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../blocks/format/model-spec';
import { NOTEBOOK_FORMAT_VERSION } from '../../blocks/format/notebook';
import { openAssignment } from './assignments';
import { getNotebook } from './notebooks';
import { classroomWithAssignment } from '../../testing/assignments';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { insertOldRun, migrateUpTo } from '../../testing/old-migrations';
import { migrateDatabase } from '../../db/migrate';
import { notebooks, runs, submissions } from '../../db/schema';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/**
 * Before migration 0014 a grading run was told by its cell id, "grade:<hand-in id>", which a
 * student can give a cell of their own. The migration names the hand-in on the autograder's
 * runs only: the one the hand-in points at, and older ones of the same hand-in in no cell.
 */
describe.each(kinds)('grading runs made before runs named their hand-in, on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind, { migrate: false });
    await migrateUpTo(database, '0012_cache_session_changes');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('marks the autograder’s runs as grading their hand-in, and leaves a student’s cell named like one alone', async () => {
    const db = database.db;
    const room = await classroomWithAssignment(db);
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const copy = await getNotebook(db, room.studentId, notebookId);
    const training = copy.cells.find((c) => c.type === 'training')!;
    const run = (cellId: string) => insertOldRun(database, { notebookId, cellId, ownerId: room.studentId, spec: {}, training: DEFAULT_TRAINING, status: 'succeeded', totalParams: 42 });

    const trained = await run(training.id);
    const handIn = async (attempt: number) =>
      (
        await db
          .insert(submissions)
          .values({ assignmentId: room.assignmentId, studentId: room.studentId, notebookId, attempt, cells: copy.cells, formatVersion: NOTEBOOK_FORMAT_VERSION, runId: trained, cellId: training.id, spec: {}, training: DEFAULT_TRAINING, metrics: [], totalParams: 42 })
          .returning({ id: submissions.id })
      )[0]!.id;
    const first = await handIn(1);
    const second = await handIn(2);
    // The first hand-in was graded twice (its test data changed): only the second run is pointed at.
    const replaced = await run(`grade:${first}`);
    const current = await run(`grade:${first}`);
    await db.update(submissions).set({ gradingRunId: current }).where(eq(submissions.id, first));
    // The student then named a cell of their copy like the grading run of their second hand-in, and trained it.
    await db.update(notebooks).set({ cells: [...copy.cells, { ...training, id: `grade:${second}` }] }).where(eq(notebooks.id, notebookId));
    const forged = await run(`grade:${second}`);

    await migrateDatabase(database);
    const after = await db.select({ id: runs.id, gradesSubmissionId: runs.gradesSubmissionId }).from(runs).where(eq(runs.notebookId, notebookId));
    expect(new Map(after.map((r) => [r.id, r.gradesSubmissionId]))).toEqual(
      new Map([
        [trained, null],
        [replaced, first],
        [current, first],
        [forged, null],
      ]),
    );
  });
});
