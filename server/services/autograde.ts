/**
 * Autograding: each hand-in is evaluated in the training queue like any run. The grading run
 * is a run of the student (so the queue takes turns fairly) whose job starts from the
 * handed-in weights as a checkpoint at its last epoch: the trainer then trains nothing and
 * evaluates the weights on the test split of the assignment's dataset. That split is read on
 * the server only; the student learns one figure per goal, never an example.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { getLayer } from '../../blocks/catalog';
import { formatPercent, goalResultsSchema, type Goal, type GoalResult } from '../../blocks/format/goals';
import { modelSpecSchema } from '../../blocks/format/model-spec';
import type { Database } from '../../db/client';
import { assignments, runCheckpoints, runs, runWeights, submissions, submissionWeights, type GradingStatus } from '../../db/schema';
import type { TrainJob } from '../training/protocol';
import { hiddenTestSetOf, readGoals, readTestDataset } from './assignments';
import { announceClassActivity } from './class-activity';
import { hiddenTestSetRef, storedDatasetRefById } from './datasets';
import { readRunTraining } from './run-snapshot';
import type { RunQueue } from './runs';

export const GRADING_UNAVAILABLE_MESSAGE = 'Your work is handed in, but the grader could not start just now. It will be graded when your teacher asks for it again.';

/** What a goal is judged on: figures of the handed-in run and its grading. */
export interface GradingFacts {
  /** On the hidden test split; null when it could not be measured. */
  testAccuracy: number | null;
  totalParams: number;
  /** The layer types (catalogue keys) of the handed-in network, one per layer. */
  layerTypes: string[];
  /** Epochs the handed-in run trained. */
  epochs: number;
}

const layerLabel = (key: string) => getLayer(key)?.label ?? key;

/** Each goal met or not, with its figure and a sentence a student reads. */
export function evaluateGoals(goals: readonly Goal[], facts: GradingFacts): GoalResult[] {
  return goals.map((goal): GoalResult => {
    switch (goal.kind) {
      case 'testAccuracy': {
        const value = facts.testAccuracy;
        if (value === null || !Number.isFinite(value)) {
          return { goalId: goal.id, kind: goal.kind, met: false, value: null, message: `Test accuracy could not be measured; needed at least ${formatPercent(goal.min)}.` };
        }
        return {
          goalId: goal.id,
          kind: goal.kind,
          met: value >= goal.min,
          value,
          message: `Test accuracy ${formatPercent(round(value))} on the hidden test set; needed at least ${formatPercent(goal.min)}.`,
        };
      }
      case 'maxParams':
        return {
          goalId: goal.id,
          kind: goal.kind,
          met: facts.totalParams <= goal.max,
          value: facts.totalParams,
          message: `${facts.totalParams.toLocaleString('en-US')} parameters; allowed at most ${goal.max.toLocaleString('en-US')}.`,
        };
      case 'usesLayer': {
        const count = facts.layerTypes.filter((t) => t === goal.layer).length;
        return {
          goalId: goal.id,
          kind: goal.kind,
          met: count > 0,
          value: count,
          message: count > 0 ? `Uses ${count} ${layerLabel(goal.layer)} ${count === 1 ? 'layer' : 'layers'}.` : `Has no ${layerLabel(goal.layer)} layer; needs at least one.`,
        };
      }
      case 'maxEpochs':
        return {
          goalId: goal.id,
          kind: goal.kind,
          met: facts.epochs <= goal.max,
          value: facts.epochs,
          message: `Trained ${facts.epochs} ${facts.epochs === 1 ? 'epoch' : 'epochs'}; allowed at most ${goal.max}.`,
        };
    }
  });
}

/** 0.93456 → 0.9346: a figure a student reads, not a float's last digits. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/**
 * Puts a submission's grading in the training queue: a run row under the student's copy, the
 * handed-in weights as its checkpoint, and a job that resumes from it. A submission whose
 * assignment has no test data is graded at once (its goals need no evaluation). Never throws
 * for a queue that is down: the submission stays 'queued' with a message, and
 * regradeAssignment can try again.
 */
export async function queueGrading(db: Database, queue: RunQueue, submissionId: string): Promise<void> {
  const [row] = await db
    .select({ submission: submissions, testDataset: assignments.testDataset, goals: assignments.goals, cells: assignments.cells, formatVersion: assignments.formatVersion })
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .where(eq(submissions.id, submissionId))
    .limit(1);
  if (!row) return;
  const { submission } = row;
  const source = readTestDataset(row.testDataset);
  const goals = readGoals(row.goals);
  const training = readRunTraining(submission.training);
  const spec = modelSpecSchema.safeParse(submission.spec);
  if (!source) {
    await recordGrade(db, submissionId, { testAccuracy: null, testLoss: null, error: null }, goals);
    return;
  }
  if (!training || !spec.success) {
    await failGrading(db, submissionId, 'The handed-in run’s saved settings are damaged, so it cannot be graded. Train again and hand in the new run.');
    return;
  }
  if (!submission.notebookId) {
    await failGrading(db, submissionId, 'The notebook this was handed in from was deleted before it could be graded. Open the assignment again, train, and hand in.');
    return;
  }
  // A hidden test set the teacher picked grades with every example; the notebook's own data with its test split.
  const hidden = hiddenTestSetOf(row);
  const dataset = source.kind === 'builtIn' ? source : hidden ? await hiddenTestSetRef(db, hidden) : await storedDatasetRefById(db, source.datasetId);
  if (!dataset) {
    await failGrading(db, submissionId, 'The test data of this assignment was deleted, so it cannot be graded. Tell your teacher.');
    return;
  }
  const [weights] = await db.select().from(submissionWeights).where(eq(submissionWeights.submissionId, submissionId));
  if (!weights) {
    await failGrading(db, submissionId, 'The handed-in weights are missing, so it cannot be graded. Hand in again.');
    return;
  }
  const epochs = Math.max(1, submission.metrics.length);
  // The weights are a checkpoint after the run's last epoch: the trainer trains nothing and
  // only evaluates. Early stopping off, so nothing stops it before the evaluation.
  const gradingTraining = { ...training, epochs, earlyStopping: false };
  const notebookId = submission.notebookId;
  // What makes it a grading run is gradesSubmissionId, set here only (students start runs
  // through ./runs.ts, which never sets it). Its cell id means nothing: no cell lists a grading run.
  const runId = await db.transaction(async (tx) => {
    const [run] = await tx
      .insert(runs)
      .values({
        notebookId,
        cellId: `grade:${submission.id}`,
        gradesSubmissionId: submission.id,
        ownerId: submission.studentId,
        spec: spec.data,
        training: gradingTraining,
        totalParams: submission.totalParams,
        status: 'queued',
      })
      .returning({ id: runs.id });
    await tx.insert(runCheckpoints).values({ runId: run!.id, epoch: epochs, modelTopology: weights.modelTopology, weightSpecs: weights.weightSpecs, weightData: weights.weightData });
    await tx.update(submissions).set({ gradingRunId: run!.id, gradingStatus: 'queued', gradingError: null }).where(eq(submissions.id, submissionId));
    return run!.id;
  });
  // The weights are too big to ride in the queue: whoever takes the job loads the checkpoint.
  const job: TrainJob = { runId, spec: spec.data, training: gradingTraining, dataset, resumeFromStoredCheckpoint: true };
  try {
    await queue.enqueue(job, submission.studentId);
  } catch (error) {
    console.error(`[autograde] could not queue the grading of submission ${submissionId}:`, error);
    await db.update(runs).set({ status: 'failed', error: GRADING_UNAVAILABLE_MESSAGE, finishedAt: sql`now()` }).where(eq(runs.id, runId));
    await db.update(submissions).set({ gradingError: GRADING_UNAVAILABLE_MESSAGE }).where(eq(submissions.id, submissionId));
    return;
  }
  // Finish the grade as soon as the run ends here; a page reading the submission finishes it too (another server may train it).
  const stop = queue.subscribe(runId, (event) => {
    if (event.type === 'status' && (event.status === 'succeeded' || event.status === 'failed' || event.status === 'cancelled')) {
      stop();
      // The runner says a run ended only once its end is stored, so the grade can be read from it now.
      finishGrading(db, submissionId).catch((e: unknown) => console.error('[autograde] could not record a grade:', e));
    }
  });
}

/**
 * Records the grade once the grading run has ended: each goal met or not, with its figure.
 * Safe to call any number of times from anywhere (a page polling, the run's end): only a
 * submission still being graded changes, once.
 */
export async function finishGrading(db: Database, submissionId: string): Promise<boolean> {
  const [row] = await db
    .select({ submission: submissions, goals: assignments.goals })
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .where(and(eq(submissions.id, submissionId), inArray(submissions.gradingStatus, ['queued', 'running'])))
    .limit(1);
  if (!row?.submission.gradingRunId) return false;
  const runId = row.submission.gradingRunId;
  const [run] = await db.select({ status: runs.status, error: runs.error, testAccuracy: runs.testAccuracy, testLoss: runs.testLoss }).from(runs).where(eq(runs.id, runId));
  if (!run) return failGrading(db, submissionId, 'The notebook this was handed in from was deleted before it was graded. Open the assignment again, train, and hand in.');
  if (run.status === 'queued') return false;
  if (run.status === 'running') {
    await db.update(submissions).set({ gradingStatus: 'running' }).where(and(eq(submissions.id, submissionId), eq(submissions.gradingStatus, 'queued')));
    return false;
  }
  // The grading run's copy of the weights is the submission's own; keep one.
  await db.delete(runWeights).where(eq(runWeights.runId, runId));
  if (run.status !== 'succeeded') {
    return failGrading(db, submissionId, `Grading did not finish: ${run.error ?? 'it was stopped.'}`);
  }
  return recordGrade(db, submissionId, { testAccuracy: run.testAccuracy, testLoss: run.testLoss, error: null }, readGoals(row.goals));
}

type Measured = { testAccuracy: number | null; testLoss: number | null; error: string | null };

async function recordGrade(db: Database, submissionId: string, measured: Measured, goals: Goal[]): Promise<boolean> {
  return writeGrade(db, submissionId, measured, goals, ['queued', 'running']);
}

/**
 * Judges the goals on the handed-in snapshot (parameters, layers, epochs) and the measured
 * test accuracy, and stores the grade, only while the hand-in's grading is still in one of
 * `whileStatus` (so a grade that changed meanwhile is never overwritten with an older one).
 */
async function writeGrade(db: Database, submissionId: string, measured: Measured, goals: Goal[], whileStatus: GradingStatus[]): Promise<boolean> {
  const [submission] = await db.select({ spec: submissions.spec, totalParams: submissions.totalParams, metrics: submissions.metrics }).from(submissions).where(eq(submissions.id, submissionId));
  if (!submission) return false;
  const spec = modelSpecSchema.safeParse(submission.spec);
  const results = goalResultsSchema.parse(
    evaluateGoals(goals, {
      testAccuracy: measured.testAccuracy,
      totalParams: submission.totalParams,
      layerTypes: spec.success ? spec.data.layers.map((l) => l.type) : [],
      epochs: submission.metrics.length,
    }),
  );
  const updated = await db
    .update(submissions)
    .set({ gradingStatus: 'graded', gradingError: measured.error, goalResults: results, testAccuracy: measured.testAccuracy, testLoss: measured.testLoss, gradedAt: sql`now()` })
    .where(and(eq(submissions.id, submissionId), inArray(submissions.gradingStatus, whileStatus)))
    .returning({ assignmentId: submissions.assignmentId, studentId: submissions.studentId });
  return announceGraded(db, updated[0]);
}

/**
 * After the teacher changed an assignment's goals or its test data, every hand-in is judged on
 * what the assignment asks now, with as little work as the change needs:
 * - goals that need no test (parameters, layers, epochs) are checked again at once from the
 *   handed-in snapshot;
 * - an accuracy goal is judged at once from the accuracy already measured, when the test data
 *   is the same;
 * - a hand-in goes back into the training queue (./autograde.ts queueGrading) only when it
 *   has no measurement an accuracy goal needs, or its measurement was made on other test data.
 * A hand-in still being graded needs nothing unless the test data changed: its grade reads the
 * goals when it ends. Returns how many were judged at once and how many were queued.
 */
export async function regradeAssignment(
  db: Database,
  queue: RunQueue,
  assignmentId: string,
  change: { testDataChanged: boolean },
): Promise<{ judged: number; queued: number }> {
  const [assignment] = await db.select({ goals: assignments.goals, testDataset: assignments.testDataset }).from(assignments).where(eq(assignments.id, assignmentId));
  if (!assignment) return { judged: 0, queued: 0 };
  const goals = readGoals(assignment.goals);
  const hasTestData = readTestDataset(assignment.testDataset) !== null;
  const needsMeasurement = hasTestData && goals.some((g) => g.kind === 'testAccuracy');
  const readHandIns = () =>
    db
      .select({ id: submissions.id, gradingStatus: submissions.gradingStatus, gradingRunId: submissions.gradingRunId, testAccuracy: submissions.testAccuracy, testLoss: submissions.testLoss })
      .from(submissions)
      .where(eq(submissions.assignmentId, assignmentId));
  // Grades whose runs ended since anyone looked are recorded first, so only runs still going count as in flight.
  let handIns = await readHandIns();
  let finished = false;
  for (const handIn of handIns) {
    if (handIn.gradingStatus === 'queued' || handIn.gradingStatus === 'running') finished = (await finishGrading(db, handIn.id)) || finished;
  }
  if (finished) handIns = await readHandIns();
  let judged = 0;
  let queued = 0;
  for (const handIn of handIns) {
    const inFlight = handIn.gradingStatus === 'queued' || handIn.gradingStatus === 'running';
    if (change.testDataChanged) {
      // Its figure (or the one being measured) is for the old test data.
      if (inFlight && handIn.gradingRunId) await stopGradingRun(db, queue, handIn.gradingRunId);
      await requeue(db, queue, handIn.id, handIn.gradingStatus);
      queued++;
      continue;
    }
    if (inFlight) continue;
    const measured = handIn.gradingStatus === 'graded' && handIn.testAccuracy !== null;
    if (needsMeasurement && !measured) {
      await requeue(db, queue, handIn.id, handIn.gradingStatus);
      queued++;
      continue;
    }
    const figure = measured ? { testAccuracy: handIn.testAccuracy, testLoss: handIn.testLoss } : { testAccuracy: null, testLoss: null };
    if (await writeGrade(db, handIn.id, { ...figure, error: null }, goals, [handIn.gradingStatus])) judged++;
  }
  return { judged, queued };
}

/**
 * Grades a hand-in again from the start. It is marked as being graded, with no grading run
 * yet, first: whatever then stops queueGrading (test data deleted, queue down) is recorded on
 * it, and the old run's figure can no longer be taken for the new grade.
 */
async function requeue(db: Database, queue: RunQueue, submissionId: string, fromStatus: GradingStatus): Promise<void> {
  await db
    .update(submissions)
    .set({ gradingStatus: 'queued', gradingRunId: null, gradingError: null })
    .where(and(eq(submissions.id, submissionId), eq(submissions.gradingStatus, fromStatus)));
  await queueGrading(db, queue, submissionId);
}

/** Ends a grading run whose figure is no longer wanted, so it neither trains on nor waits in the student's name. */
async function stopGradingRun(db: Database, queue: RunQueue, runId: string): Promise<void> {
  await queue.cancel(runId).catch((error: unknown) => console.error(`[autograde] could not cancel grading run ${runId}:`, error));
  await db
    .update(runs)
    .set({ status: 'cancelled', finishedAt: sql`now()` })
    .where(and(eq(runs.id, runId), inArray(runs.status, ['queued', 'running'])));
  await db.delete(runWeights).where(eq(runWeights.runId, runId));
}

async function failGrading(db: Database, submissionId: string, message: string): Promise<boolean> {
  const updated = await db
    .update(submissions)
    .set({ gradingStatus: 'failed', gradingError: message, gradedAt: sql`now()` })
    .where(and(eq(submissions.id, submissionId), inArray(submissions.gradingStatus, ['queued', 'running'])))
    .returning({ assignmentId: submissions.assignmentId, studentId: submissions.studentId });
  return announceGraded(db, updated[0]);
}

/** The teacher's live class view shows the goals as soon as they are recorded. */
async function announceGraded(db: Database, graded: { assignmentId: string; studentId: string } | undefined): Promise<boolean> {
  if (!graded) return false;
  await announceClassActivity(db, { ...graded, what: 'graded' });
  return true;
}
