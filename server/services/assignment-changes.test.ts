import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Goal } from '../../blocks/format/goals';
import type { Cell } from '../../blocks/format/notebook';
import { assignments, runs, submissions } from '../../db/schema';
import { classroomWithAssignment } from '../../testing/assignments';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { endGradingRun, finishedRun } from '../../testing/hand-ins';
import { lockChoiceLabel } from '../../blocks/locked-cells';
import { changeAssignment } from './assignment-changes';
import { listClassAssignments, listMyAssignments, openAssignment } from './assignments';
import { regradeAssignment } from './autograde';
import { classReview } from './class-review';
import { getNotebook, saveNotebook } from './notebooks';
import { getSubmission, handIn, listMySubmissions } from './submissions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

const results = (list: { goalResults: { goalId: string; met: boolean; value: number | null }[] }) => list.goalResults.map((g) => [g.goalId, g.met, g.value]);

/**
 * A teacher changes an assignment after hand-ins: goals, due date (and test data, once it can
 * be changed). The hand-ins follow, as cheaply as the change allows.
 */
describe.each(kinds)('changing an assignment after hand-ins on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('judges every hand-in on new goals at once, from its snapshot and the accuracy already measured, and the student sees it', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, {
      goals: [
        { id: 'acc', kind: 'testAccuracy', min: 0.9 },
        { id: 'params', kind: 'maxParams', max: 100 },
      ],
    });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const first = await handIn(db, queue, room.studentId, { notebookId, runId: await finishedRun(db, queue, room.studentId, notebookId) });
    await endGradingRun(db, first.id, { testAccuracy: 0.88 });
    const second = await handIn(db, queue, room.studentId, { notebookId, runId: await finishedRun(db, queue, room.studentId, notebookId, { epochs: 2 }) });
    await endGradingRun(db, second.id, { testAccuracy: 0.86 });
    const graded = await listMySubmissions(db, room.studentId, room.assignmentId);
    expect(graded.map(results)).toEqual([
      [['acc', false, 0.86], ['params', true, 42]],
      [['acc', false, 0.88], ['params', true, 42]],
    ]);
    const jobsBefore = queue.jobs.length;

    const goals: Goal[] = [
      { id: 'acc', kind: 'testAccuracy', min: 0.87 },
      { id: 'params', kind: 'maxParams', max: 40 },
      { id: 'conv', kind: 'usesLayer', layer: 'conv2d' },
      { id: 'dense', kind: 'usesLayer', layer: 'dense' },
      { id: 'quick', kind: 'maxEpochs', max: 2 },
    ];
    await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, goals });

    // Nothing needed measuring again: the same test data, and both had a figure.
    expect(queue.jobs).toHaveLength(jobsBefore);
    const [latest, earlier] = await listMySubmissions(db, room.studentId, room.assignmentId);
    expect(latest).toMatchObject({ gradingStatus: 'graded', testAccuracy: 0.86 });
    expect(results(latest!)).toEqual([
      ['acc', false, 0.86],
      ['params', false, 42],
      ['conv', false, 0],
      ['dense', true, 2],
      ['quick', true, 2],
    ]);
    expect(results(earlier!)).toEqual([
      ['acc', true, 0.88],
      ['params', false, 42],
      ['conv', false, 0],
      ['dense', true, 2],
      ['quick', false, 3],
    ]);
    expect(latest!.goalResults[1]!.message).toBe('42 parameters; allowed at most 40.');
    // The student's home page and the teacher's class view count the new results too.
    expect((await listMyAssignments(db, room.studentId))[0]!.latestSubmission).toMatchObject({ goalsMet: 2, goalCount: 5 });
    const review = await classReview(db, { id: room.teacherId, role: 'teacher' }, room.assignmentId);
    expect(review.students[0]!.submission!.goalResults.map((g) => g.met)).toEqual([false, false, false, true, true]);

    // A change that is not about goals leaves the grades as they are.
    const [before] = await db.select({ gradedAt: submissions.gradedAt }).from(submissions).where(eq(submissions.id, latest!.id));
    await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, title: 'Renamed', lockedCellIds: [] });
    const [after] = await db.select({ gradedAt: submissions.gradedAt }).from(submissions).where(eq(submissions.id, latest!.id));
    expect(after!.gradedAt).toEqual(before!.gradedAt);
  });

  it('queues a new measurement only for hand-ins that lack one, and a grade still being measured takes the new goals when it ends', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, { goals: [{ id: 'params', kind: 'maxParams', max: 100 }] });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const runId = await finishedRun(db, queue, room.studentId, notebookId);
    const measured = await handIn(db, queue, room.studentId, { notebookId, runId });
    await endGradingRun(db, measured.id, { testAccuracy: 0.91 });
    const broken = await handIn(db, queue, room.studentId, { notebookId, runId });
    await endGradingRun(db, broken.id, { failed: 'The worker was lost.' });
    const pending = await handIn(db, queue, room.studentId, { notebookId, runId });
    await listMySubmissions(db, room.studentId, room.assignmentId);
    expect((await getSubmission(db, room.studentId, broken.id)).gradingStatus).toBe('failed');
    const jobsBefore = queue.jobs.length;
    const [pendingRow] = await db.select({ gradingRunId: submissions.gradingRunId }).from(submissions).where(eq(submissions.id, pending.id));

    await changeAssignment(db, queue, room.teacherId, {
      id: room.assignmentId,
      goals: [
        { id: 'params', kind: 'maxParams', max: 100 },
        { id: 'acc', kind: 'testAccuracy', min: 0.9 },
      ],
    });

    // The measured one is judged at once; the failed one is measured again; the pending one keeps its run.
    expect(results(await getSubmission(db, room.studentId, measured.id))).toEqual([
      ['params', true, 42],
      ['acc', true, 0.91],
    ]);
    expect(queue.jobs.slice(jobsBefore).map((j) => j.runId)).toHaveLength(1);
    const [brokenRow] = await db.select().from(submissions).where(eq(submissions.id, broken.id));
    expect(brokenRow).toMatchObject({ gradingStatus: 'queued', gradingError: null, gradingRunId: queue.jobs.at(-1)!.runId });
    const [pendingAfter] = await db.select({ gradingRunId: submissions.gradingRunId }).from(submissions).where(eq(submissions.id, pending.id));
    expect(pendingAfter!.gradingRunId).toBe(pendingRow!.gradingRunId);

    await endGradingRun(db, broken.id, { testAccuracy: 0.8 });
    await endGradingRun(db, pending.id, { testAccuracy: 0.95 });
    const mine = await listMySubmissions(db, room.studentId, room.assignmentId);
    expect(mine.map((s) => [s.id, s.gradingStatus, results(s)])).toEqual([
      [pending.id, 'graded', [['params', true, 42], ['acc', true, 0.95]]],
      [broken.id, 'graded', [['params', true, 42], ['acc', false, 0.8]]],
      [measured.id, 'graded', [['params', true, 42], ['acc', true, 0.91]]],
    ]);
  });

  it('measures every hand-in again on new test data, stopping a measurement still running on the old', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, { goals: [{ id: 'acc', kind: 'testAccuracy', min: 0.9 }] });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const runId = await finishedRun(db, queue, room.studentId, notebookId);
    const graded = await handIn(db, queue, room.studentId, { notebookId, runId });
    await endGradingRun(db, graded.id, { testAccuracy: 0.95 });
    const running = await handIn(db, queue, room.studentId, { notebookId, runId });
    const [old] = await db.select({ runId: submissions.gradingRunId }).from(submissions).where(eq(submissions.id, running.id));

    await db.update(assignments).set({ testDataset: { kind: 'builtIn', id: 'circle' } }).where(eq(assignments.id, room.assignmentId));
    expect(await regradeAssignment(db, queue, room.assignmentId, { testDataChanged: true })).toEqual({ judged: 0, queued: 2 });

    expect(queue.cancelled).toEqual([old!.runId]);
    const [oldRun] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, old!.runId!));
    expect(oldRun!.status).toBe('cancelled');
    const fresh = queue.jobs.slice(-2);
    expect(fresh.map((j) => j.dataset)).toEqual([
      { kind: 'builtIn', id: 'circle' },
      { kind: 'builtIn', id: 'circle' },
    ]);
    const before = await listMySubmissions(db, room.studentId, room.assignmentId);
    expect(before.map((s) => s.gradingStatus)).toEqual(['queued', 'queued']);

    await endGradingRun(db, graded.id, { testAccuracy: 0.5 });
    const [, regraded] = await listMySubmissions(db, room.studentId, room.assignmentId);
    expect(regraded).toMatchObject({ id: graded.id, gradingStatus: 'graded', testAccuracy: 0.5 });
    expect(results(regraded!)).toEqual([['acc', false, 0.5]]);
  });

  it('makes every hand-in late or on time again by the new due date', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const now = new Date();
    const dueAt = new Date(now.getTime() + 3600_000);
    const room = await classroomWithAssignment(db, { now, dueAt });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const runId = await finishedRun(db, queue, room.studentId, notebookId);
    const onTime = await handIn(db, queue, room.studentId, { notebookId, runId }, new Date(dueAt.getTime() - 60_000));
    const late = await handIn(db, queue, room.studentId, { notebookId, runId }, new Date(dueAt.getTime() + 7200_000));
    expect(late.lateBySeconds).toBe(7200);
    const lateness = async () => (await listMySubmissions(db, room.studentId, room.assignmentId)).map((s) => [s.id, s.lateBySeconds]);

    // An extension past both: nothing is late any more.
    await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, dueAt: new Date(dueAt.getTime() + 3 * 3600_000).toISOString() });
    expect(await lateness()).toEqual([
      [late.id, 0],
      [onTime.id, 0],
    ]);
    expect((await listMyAssignments(db, room.studentId))[0]!.progress).toBe('handed in');

    // Brought forward to 30 minutes before the first hand-in: both late, by how much each was.
    await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, dueAt: new Date(dueAt.getTime() - 60_000 - 1800_000).toISOString() });
    expect(await lateness()).toEqual([
      [late.id, 7200 + 60 + 1800],
      [onTime.id, 1800],
    ]);
    expect((await listMyAssignments(db, room.studentId))[0]!.progress).toBe('late');
    expect((await classReview(db, { id: room.teacherId, role: 'teacher' }, room.assignmentId)).students[0]!.progress).toBe('late');
    expect((await listClassAssignments(db, room.teacherId, room.classId))[0]!.dueAt).toBe(new Date(dueAt.getTime() - 60_000 - 1800_000).toISOString());
  });

  it('flags locked cells again on every hand-in when the teacher changes which cells are locked', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, { lockedIndexes: [0] });
    const closing = room.template[3]!;
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const save = async (change: (cells: Cell[]) => Cell[]) => {
      const copy = await getNotebook(db, room.studentId, notebookId);
      await saveNotebook(db, room.studentId, { id: notebookId, version: copy.version, title: copy.title, cells: change(copy.cells) });
    };
    // The closing note is not locked yet: the student rewrites it and hands in, then deletes it and hands in again.
    await save((cells) => cells.map((c) => (c.id === closing.id && c.type === 'markdown' ? { ...c, source: 'My own notes' } : c)));
    const changed = await handIn(db, queue, room.studentId, { notebookId, runId: await finishedRun(db, queue, room.studentId, notebookId) });
    await save((cells) => cells.filter((c) => c.id !== closing.id));
    const missing = await handIn(db, queue, room.studentId, { notebookId, runId: await finishedRun(db, queue, room.studentId, notebookId) });
    const issues = async () => new Map((await listMySubmissions(db, room.studentId, room.assignmentId)).map((s) => [s.id, s.lockedCellIssues]));
    expect(await issues()).toEqual(new Map([[changed.id, []], [missing.id, []]]));

    // The teacher locks it: each hand-in is flagged for what it did to that cell, and the class view says so.
    const locked = await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, lockedCellIds: [room.template[0]!.id, closing.id] });
    // What the class card's status sentence counts: both hand-ins now show a changed locked cell.
    expect(locked.lockedCells).toEqual({ handIns: 2, flagged: 2 });
    expect(await issues()).toEqual(
      new Map([
        [changed.id, [{ cellId: closing.id, problem: 'changed' }]],
        [missing.id, [{ cellId: closing.id, problem: 'missing' }]],
      ]),
    );
    expect((await classReview(db, { id: room.teacherId, role: 'teacher' }, room.assignmentId)).students[0]!.submission).toMatchObject({ id: missing.id, lockedCellIssues: 1 });

    // Unlocked again: nothing to flag.
    expect((await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, lockedCellIds: [room.template[0]!.id] })).lockedCells).toEqual({ handIns: 2, flagged: 0 });
    expect(await issues()).toEqual(new Map([[changed.id, []], [missing.id, []]]));
    // A change that leaves the locks as they were recounts nothing.
    expect((await changeAssignment(db, queue, room.teacherId, { id: room.assignmentId, title: 'Renamed again' })).lockedCells).toBeNull();
  });

  it('lists the assignment notebook’s cells for the class card, named as when the locks were chosen', async () => {
    const db = database.db;
    const room = await classroomWithAssignment(db, { lockedIndexes: [0] });
    const [listed] = await listClassAssignments(db, room.teacherId, room.classId);
    expect(listed!.cells.map((c) => c.id)).toEqual(room.template.map((c) => c.id));
    expect(listed!.cells.map((c) => c.label)).toEqual(room.template.map((c, i) => lockChoiceLabel(c, i)));
    expect(listed!.cells[0]!.label).toMatch(/^Cell 1 · Text · /);
  });
});
