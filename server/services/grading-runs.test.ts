import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '../../db/schema';
import { classroomWithAssignment } from '../../testing/assignments';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { endGradingRun, finishedRun, TINY_WEIGHTS, trainingCellOf, waitingRun } from '../../testing/hand-ins';
import { openAssignment } from './assignments';
import { classReview } from './class-review';
import { getNotebook, saveNotebook } from './notebooks';
import { createRunSink, listRuns } from './run-store';
import { handIn } from './submissions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/**
 * A grading run is the autograder's measurement of a hand-in (./autograde.ts). It is known by
 * the hand-in it names, which only the autograder sets, never by its cell id: a student
 * chooses their cell ids, and naming a cell "grade:<their hand-in>" must neither hide their
 * work from their teacher nor hand them the grader's run.
 */
describe.each(kinds)('grading runs are told by the hand-in they name on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('shows a run of a cell named like a grading run as the student’s own, and keeps the real grading run out of every list', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, { goals: [{ id: 'acc', kind: 'testAccuracy', min: 0.8 }] });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const trained = await finishedRun(db, queue, room.studentId, notebookId);
    const submitted = await handIn(db, queue, room.studentId, { notebookId, runId: trained });
    const gradingRunId = queue.jobs.at(-1)!.runId;
    // The grader measured it and its weights are still there: the most a student could hope to hand in.
    await endGradingRun(db, submitted.id, { testAccuracy: 0.97 });

    // The student adds a training cell with the grading run's cell id, and trains it.
    const forged = `grade:${submitted.id}`;
    const copy = await getNotebook(db, room.studentId, notebookId);
    const training = await trainingCellOf(db, room.studentId, notebookId);
    await saveNotebook(db, room.studentId, { id: notebookId, version: copy.version, title: copy.title, cells: [...copy.cells, { ...training, id: forged }] });
    const theirs = await waitingRun(db, queue, room.studentId, notebookId, forged);
    const sink = createRunSink(db);
    await sink.started(theirs, 'wasm');
    await sink.epoch(theirs, { epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.6, valAccuracy: 0.75, seconds: 0.1 });
    await sink.finished(theirs, { testAccuracy: 0.81, testLoss: 0.4, samplesPerSec: 1000, weights: TINY_WEIGHTS });

    // Only the autograder's run names the hand-in; the student's stays theirs, whatever its cell is called.
    const stored = await db.select({ id: runs.id, gradesSubmissionId: runs.gradesSubmissionId }).from(runs).where(eq(runs.notebookId, notebookId));
    expect(new Map(stored.map((r) => [r.id, r.gradesSubmissionId]))).toEqual(new Map([[trained, null], [theirs, null], [gradingRunId, submitted.id]]));

    // Their run lists, the cell's own and the notebook's, show their runs and never the grader's.
    expect((await listRuns(db, room.studentId, { notebookId, cellId: forged })).map((r) => r.id)).toEqual([theirs]);
    expect((await listRuns(db, room.studentId, { notebookId })).map((r) => r.id).sort()).toEqual([trained, theirs].sort());

    // The teacher's class view counts both of the student's runs, and not the grader's (0.97).
    const review = await classReview(db, { id: room.teacherId, role: 'teacher' }, room.assignmentId);
    const student = review.students.find((s) => s.studentId === room.studentId)!;
    expect(student).toMatchObject({ runCount: 2, bestTestAccuracy: 0.88 });

    // The grader's run is not the student's to hand in, even from a cell that carries its cell id.
    await expect(handIn(db, queue, room.studentId, { notebookId, runId: gradingRunId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await handIn(db, queue, room.studentId, { notebookId, runId: theirs })).attempt).toBe(2);
  });

  it('keeps no confusion matrix for a grading run: its counts per class come from the teacher’s hidden test set', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, { goals: [{ id: 'acc', kind: 'testAccuracy', min: 0.8 }] });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const trained = await finishedRun(db, queue, room.studentId, notebookId);
    await handIn(db, queue, room.studentId, { notebookId, runId: trained });
    const gradingRunId = queue.jobs.at(-1)!.runId;
    const confusionMatrix = { classes: ['cat', 'dog'], counts: [[9, 1], [3, 7]] };
    const sink = createRunSink(db);
    await sink.started(gradingRunId, 'wasm');
    await sink.finished(gradingRunId, { testAccuracy: 0.8, testLoss: 0.4, samplesPerSec: 100, weights: TINY_WEIGHTS, confusionMatrix });

    const [graded] = await db.select({ status: runs.status, testAccuracy: runs.testAccuracy, confusionMatrix: runs.confusionMatrix }).from(runs).where(eq(runs.id, gradingRunId));
    expect(graded).toEqual({ status: 'succeeded', testAccuracy: 0.8, confusionMatrix: null });
  });
});
