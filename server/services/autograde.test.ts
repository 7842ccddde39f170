import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Goal } from '../../blocks/format/goals';
import type { TrainingCell } from '../../blocks/format/notebook';
import { runWeights, submissions } from '../../db/schema';
import { classroomWithAssignment } from '../../testing/assignments';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { TrainingRunner } from '../training/runner';
import { openAssignment, updateAssignment } from './assignments';
import { createCsvDataset } from './datasets';
import { generatePoints } from '../data/playground';
import { getNotebook } from './notebooks';
import { createRunSink, createRunSource, getRun, listRuns } from './run-store';
import { startRun } from './runs';
import { getSubmission, handIn, listMySubmissions } from './submissions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The whole autograde path with the real trainer: a student trains a tiny network on the
 * "two clusters" points in the queue, hands in the run, and the grading run evaluates the
 * handed-in weights on the test split in a training process, without training them further.
 */
describe.each(kinds)('autograding in the training queue on $kind', ({ kind }) => {
  let database: TestDatabase;
  let runner: TrainingRunner;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    runner = new TrainingRunner({ sink: createRunSink(database.db), source: createRunSource(database.db), backend: 'wasm' });
    runner.start();
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    await database?.destroy();
  });

  it('scores the handed-in weights on the hidden test split and records each goal with its figure', async () => {
    const db = database.db;
    const goals: Goal[] = [
      { id: 'acc', kind: 'testAccuracy', min: 0.8 },
      { id: 'small', kind: 'maxParams', max: 10 },
      { id: 'dense', kind: 'usesLayer', layer: 'dense' },
      { id: 'quick', kind: 'maxEpochs', max: 5 },
    ];
    const room = await classroomWithAssignment(db, { goals, epochs: 3 });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const copy = await getNotebook(db, room.studentId, notebookId);
    const cell = copy.cells.find((c): c is TrainingCell => c.type === 'training')!;

    const { runId } = await startRun(db, runner, room.studentId, { notebookId, cellId: cell.id });
    const trained = await waitFor('the run to finish', async () => {
      const run = await getRun(db, room.studentId, runId);
      if (run.status === 'failed') throw new Error(run.error ?? 'failed');
      return run.status === 'succeeded' && run;
    });
    expect(trained.epochs).toHaveLength(3);
    expect(trained.testAccuracy).toBeGreaterThan(0.8);

    const submitted = await handIn(db, runner, room.studentId, { notebookId, runId });
    const graded = await waitFor('the grade', async () => {
      const [latest] = await listMySubmissions(db, room.studentId, room.assignmentId);
      if (latest?.gradingStatus === 'failed') throw new Error(latest.gradingError ?? 'grading failed');
      return latest?.gradingStatus === 'graded' && latest;
    });

    // The same weights on the same test split: the grader measures what the run measured, to the last digit.
    expect(graded.id).toBe(submitted.id);
    expect(graded.testAccuracy).toBeCloseTo(trained.testAccuracy!, 6);
    expect(graded.goalResults.map((g) => [g.goalId, g.met])).toEqual([
      ['acc', true],
      ['small', false],
      ['dense', true],
      ['quick', true],
    ]);
    expect(graded.goalResults[1]).toMatchObject({ value: 42, message: '42 parameters; allowed at most 10.' });

    // Grading trained nothing: no epochs of its own, and the grading run's copy of the weights is gone (the submission keeps one).
    const [row] = await db.select({ gradingRunId: submissions.gradingRunId }).from(submissions).where(eq(submissions.id, submitted.id));
    const gradingRun = await getRun(db, room.studentId, row!.gradingRunId!);
    expect(gradingRun).toMatchObject({ status: 'succeeded', epochs: [] });
    expect(await db.select().from(runWeights).where(eq(runWeights.runId, gradingRun.id))).toEqual([]);
    // …and it is in no cell's run list.
    expect((await listRuns(db, room.studentId, { notebookId, cellId: cell.id })).map((r) => r.id)).toEqual([runId]);

    // The teacher sees the same result; the student learns figures, never test examples.
    const asTeacher = await getSubmission(db, room.teacherId, submitted.id);
    expect(asTeacher.goalResults).toEqual(graded.goalResults);
    expect(JSON.stringify(asTeacher)).not.toMatch(/features|labels/);
  }, 180_000);

  it('grades on every example of a hidden test set the teacher uploaded, recording the accuracy goal met or not with its figure', async () => {
    const db = database.db;
    const room = await classroomWithAssignment(db, { goals: [{ id: 'acc', kind: 'testAccuracy', min: 0.8 }], epochs: 3 });
    // 100 fresh points of two clusters that overlap (so a few are missed), once labelled right and once every label swapped.
    const points = generatePoints('gaussian', { size: 100, noise: 0.9, seed: 4242 });
    const csv = (swap: boolean) =>
      new TextEncoder().encode('x,y,cluster\n' + Array.from({ length: points.count }, (_, i) => `${points.x[i]},${points.y[i]},cluster ${(points.classIndices[i] === 0) !== swap ? 'A' : 'B'}`).join('\n'));
    const upload = (name: string, swap: boolean) =>
      createCsvDataset(db, room.teacherId, csv(swap), {
        name,
        label: 'cluster',
        features: [{ column: 'x', as: 'number' }, { column: 'y', as: 'number' }],
        normalization: 'none',
        split: { train: 70, validation: 15, test: 15 },
        seed: 1,
      });
    const right = await upload('Exam points', false);
    const swapped = await upload('Exam points, labels swapped', true);
    const source = (d: typeof right) => ({ kind: 'upload' as const, datasetId: d.id, name: d.name, inputShape: d.inputShape, classes: d.classes });
    await updateAssignment(db, room.teacherId, { id: room.assignmentId, testDataset: source(right) });

    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const copy = await getNotebook(db, room.studentId, notebookId);
    const cell = copy.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const { runId } = await startRun(db, runner, room.studentId, { notebookId, cellId: cell.id });
    await waitFor('the run to finish', async () => {
      const run = await getRun(db, room.studentId, runId);
      if (run.status === 'failed') throw new Error(run.error ?? 'failed');
      return run.status === 'succeeded';
    });
    const gradedOn = async () => {
      const submitted = await handIn(db, runner, room.studentId, { notebookId, runId });
      return waitFor('the grade', async () => {
        const [latest] = await listMySubmissions(db, room.studentId, room.assignmentId);
        if (latest?.id !== submitted.id) return null;
        if (latest.gradingStatus === 'failed') throw new Error(latest.gradingError ?? 'grading failed');
        return latest.gradingStatus === 'graded' && latest;
      });
    };

    const onRight = await gradedOn();
    expect(onRight.testAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(onRight.goalResults).toEqual([
      { goalId: 'acc', kind: 'testAccuracy', met: true, value: expect.closeTo(onRight.testAccuracy!, 4), message: expect.stringMatching(/^Test accuracy \d+(\.\d+)?% on the hidden test set; needed at least 80%\.$/) },
    ]);

    // The same weights on the same 100 points with every label swapped: each right answer becomes a wrong one.
    await updateAssignment(db, room.teacherId, { id: room.assignmentId, testDataset: source(swapped) });
    const onSwapped = await gradedOn();
    expect(onSwapped.testAccuracy! + onRight.testAccuracy!).toBeCloseTo(1, 6);
    expect(onSwapped.goalResults[0]).toMatchObject({ goalId: 'acc', met: false, value: expect.closeTo(onSwapped.testAccuracy!, 4) });
    // Every example counted: 100 points make accuracies in whole hundredths (its 15% test split would make fifteenths).
    expect(onRight.testAccuracy).toBeLessThan(1);
    expect(Math.round(onRight.testAccuracy! * 100)).toBeCloseTo(onRight.testAccuracy! * 100, 4);
    expect(Math.round(onRight.testAccuracy! * 15)).not.toBeCloseTo(onRight.testAccuracy! * 15, 4);
    expect(JSON.stringify(await getSubmission(db, room.studentId, onSwapped.id))).not.toMatch(/Exam points|features|labels/);
  }, 180_000);
});
