/**
 * The run store: runs, their metrics, checkpoints and weights as the database keeps them.
 * The training runner writes through createRunSink and reads through createRunSource; the
 * API reads runs with the owner's access checked. Starting runs is ./runs.ts, their live
 * progress ./run-events.ts.
 */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import type { DataSource } from '../../blocks/format/datasets';
import type { TrainingSpec } from '../../blocks/format/model-spec';
import type { Database } from '../../db/client';
import { notebooks, runCheckpoints, runMetrics, runs, runWeights } from '../../db/schema';
import type { EpochMetrics, RunStatus, SavedWeights } from '../training/protocol';
import type { RunSink, RunSource } from '../training/ports';
import { readDatasetChunk } from './datasets';
import { ServiceError, notebookNotFound, runNotFound } from './errors';
import { readRunConfusionMatrix, readRunDataSource, readRunTraining } from './run-snapshot';
import { ownedNotebook } from './notebooks';

export interface RunSummary {
  id: string;
  notebookId: string;
  cellId: string;
  status: RunStatus;
  backend: string | null;
  training: TrainingSpec;
  /** The data it trained on (its cell's data at the Train press); null for runs from before this was kept. */
  dataSource: DataSource | null;
  totalParams: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  testAccuracy: number | null;
  testLoss: number | null;
  samplesPerSec: number | null;
  /** The test examples by true and predicted class, for a finished classification run of at most 50 classes; null otherwise. */
  confusionMatrix: ConfusionMatrix | null;
  epochs: EpochMetrics[];
  /** How the run went, for the student: "Stopped early after epoch 5…", "A training computer stopped…". */
  notes: string[];
}

/**
 * A run the student started, as a condition on `runs`: not one the autograder
 * (./autograde.ts) started to grade a hand-in, which is told by the hand-in it names
 * (runs.grades_submission_id, set by the autograder only), never by its cell id.
 */
export const studentsOwnRun = isNull(runs.gradesSubmissionId);

export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const UNFINISHED_STATUSES = ['queued', 'running'] as const;

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export async function listRuns(
  db: Database,
  userId: string,
  input: { notebookId: string; cellId?: string },
): Promise<RunSummary[]> {
  const [notebook] = await db.select({ id: notebooks.id }).from(notebooks).where(ownedNotebook(userId, input.notebookId)).limit(1);
  if (!notebook) throw notebookNotFound();
  const rows = await db
    .select()
    .from(runs)
    .where(
      and(
        eq(runs.notebookId, input.notebookId),
        eq(runs.ownerId, userId),
        // Grading runs belong to no cell, whatever a student names their cells.
        studentsOwnRun,
        input.cellId === undefined ? undefined : eq(runs.cellId, input.cellId),
      ),
    )
    .orderBy(desc(runs.createdAt), desc(runs.id));
  return summarize(db, rows);
}

export async function getRun(db: Database, userId: string, runId: string): Promise<RunSummary> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.ownerId, userId)))
    .limit(1);
  if (!row) throw runNotFound();
  const [summary] = await summarize(db, [row]);
  return summary!;
}

/** Weights in TF.js's save format, for a browser to load the trained model. */
export async function getRunWeights(db: Database, userId: string, runId: string): Promise<SavedWeights | null> {
  await getRun(db, userId, runId);
  const [row] = await db.select().from(runWeights).where(eq(runWeights.runId, runId));
  return row ? { modelTopology: row.modelTopology, weightSpecs: row.weightSpecs, weightData: row.weightData } : null;
}

/**
 * The trained model of one of the user's runs, for downloading. A run without weights yet
 * is a conflict, not a missing page: the run exists, and the message says why there is no
 * model and what to do.
 */
export async function getTrainedModel(db: Database, userId: string, runId: string): Promise<SavedWeights> {
  const run = await getRun(db, userId, runId);
  const weights = run.status === 'succeeded' ? await getRunWeights(db, userId, runId) : null;
  if (weights) return weights;
  throw new ServiceError('CONFLICT', NO_MODEL_YET[run.status]);
}

const NO_MODEL_YET: Record<RunStatus, string> = {
  queued: 'This run has not started training yet, so there is no trained model to download. Wait until it says "finished".',
  running: 'This run is still training, so there is no trained model to download yet. Wait until it says "finished".',
  succeeded: 'This run finished, but its trained model was not saved. Press Train to train it again.',
  failed: 'This run failed, so it has no trained model. Fix the problem it shows and press Train again.',
  cancelled: 'This run was cancelled before it finished, so it has no trained model. Press Train to train it again.',
};

/** Writes what the training runner reports. Every write is guarded so a finished run stays finished. */
export function createRunSink(db: Database): RunSink {
  return {
    async started(runId, backend, workerId) {
      await db
        .update(runs)
        .set({ status: 'running', backend, workerId: workerId ?? null, startedAt: sql`coalesce(${runs.startedAt}, now())` })
        .where(and(eq(runs.id, runId), inArray(runs.status, [...UNFINISHED_STATUSES])));
    },
    async epoch(runId, m) {
      const values = { loss: m.loss, accuracy: m.accuracy, valLoss: m.valLoss, valAccuracy: m.valAccuracy, seconds: m.seconds, extra: m.extra ?? {} };
      await db
        .insert(runMetrics)
        .values({ runId, epoch: m.epoch, ...values })
        .onConflictDoUpdate({ target: [runMetrics.runId, runMetrics.epoch], set: values });
    },
    async checkpoint(runId, epoch, weights, optimizer) {
      const values = {
        epoch,
        modelTopology: weights.modelTopology,
        weightSpecs: weights.weightSpecs,
        weightData: weights.weightData,
        optimizerSpecs: optimizer?.weightSpecs ?? null,
        optimizerData: optimizer?.weightData ?? null,
      };
      // Only a run still training gets a checkpoint; a late one must not outlive its run's end.
      const [live] = await db.select({ id: runs.id }).from(runs).where(and(eq(runs.id, runId), eq(runs.status, 'running')));
      if (!live) return;
      await db
        .insert(runCheckpoints)
        .values({ runId, ...values })
        .onConflictDoUpdate({ target: runCheckpoints.runId, set: { ...values, createdAt: sql`now()` } });
    },
    async finished(runId, result) {
      await db.transaction(async (tx) => {
        const updated = await finishRun(tx, runId, {
          status: 'succeeded',
          testAccuracy: result.testAccuracy,
          testLoss: result.testLoss,
          samplesPerSec: result.samplesPerSec,
          // A grading run is tested on the teacher's hidden test set, whose counts per class
          // are not the student's to read from their run: a grading run keeps no matrix.
          confusionMatrix: result.confusionMatrix ? sql`case when ${runs.gradesSubmissionId} is null then ${JSON.stringify(result.confusionMatrix)}::jsonb end` : null,
        });
        if (!updated) return;
        // The final weights supersede the last epoch's checkpoint.
        await tx.delete(runCheckpoints).where(eq(runCheckpoints.runId, runId));
        const weights = {
          modelTopology: result.weights.modelTopology,
          weightSpecs: result.weights.weightSpecs,
          weightData: result.weights.weightData,
        };
        await tx
          .insert(runWeights)
          .values({ runId, ...weights })
          .onConflictDoUpdate({ target: runWeights.runId, set: weights });
      });
    },
    async note(runId, text) {
      await db
        .update(runs)
        .set({ notes: sql`${runs.notes} || jsonb_build_array(${text}::text)` })
        .where(eq(runs.id, runId));
    },
    async failed(runId, message) {
      await finishRun(db, runId, { status: 'failed', error: message });
    },
    async cancelled(runId) {
      await finishRun(db, runId, { status: 'cancelled' });
    },
  };
}

/**
 * What training processes ask the runner for: chunks of uploaded datasets and the checkpoint
 * of a run that carries on after its machine was lost.
 */
export function createRunSource(db: Database): RunSource {
  return {
    async readChunk(datasetId, startRow) {
      try {
        return await readDatasetChunk(db, datasetId, startRow);
      } catch (error) {
        if (error instanceof ServiceError) throw error;
        console.error(`[training] could not read rows ${startRow}… of dataset ${datasetId}:`, error);
        throw new Error('The training data could not be read from the database just now. Press Train again in a minute.');
      }
    },
    async checkpoint(runId) {
      const [row] = await db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId));
      if (!row) return null;
      const weights = { modelTopology: row.modelTopology, weightSpecs: row.weightSpecs, weightData: row.weightData };
      const optimizer = row.optimizerSpecs && row.optimizerData ? { weightSpecs: row.optimizerSpecs, weightData: row.optimizerData } : undefined;
      return { epoch: row.epoch, weights, ...(optimizer ? { optimizer } : {}) };
    },
  };
}

type FinishFields = { status: 'succeeded' | 'failed' | 'cancelled'; error?: string } & Partial<
  Pick<typeof runs.$inferInsert, 'testAccuracy' | 'testLoss' | 'samplesPerSec'>
> & { confusionMatrix?: ConfusionMatrix | SQL | null };

export async function finishRun(db: Database, runId: string, fields: FinishFields): Promise<boolean> {
  const updated = await db
    .update(runs)
    .set({ ...fields, finishedAt: sql`now()` })
    .where(and(eq(runs.id, runId), inArray(runs.status, [...UNFINISHED_STATUSES])))
    .returning({ id: runs.id });
  return updated.length > 0;
}

function damagedRun(runId: string): never {
  throw new ServiceError('CONFLICT', `The saved settings of run ${runId} are damaged, so the run list cannot show it. Tell your teacher: the run has to be deleted from the database.`);
}

async function summarize(db: Database, rows: Array<typeof runs.$inferSelect>): Promise<RunSummary[]> {
  if (rows.length === 0) return [];
  const metrics = await db
    .select()
    .from(runMetrics)
    .where(inArray(runMetrics.runId, rows.map((r) => r.id)))
    .orderBy(asc(runMetrics.runId), asc(runMetrics.epoch));
  const epochsByRun = new Map<string, EpochMetrics[]>();
  for (const { runId, extra, ...m } of metrics) {
    const list = epochsByRun.get(runId) ?? [];
    if (Object.keys(extra).length > 0) Object.assign(m, { extra });
    list.push(m);
    epochsByRun.set(runId, list);
  }
  return rows.map((r) => ({
    id: r.id,
    notebookId: r.notebookId,
    cellId: r.cellId,
    status: r.status,
    backend: r.backend,
    training: readRunTraining(r.training) ?? damagedRun(r.id),
    dataSource: readRunDataSource(r.dataSource),
    totalParams: r.totalParams,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: r.error,
    testAccuracy: r.testAccuracy,
    testLoss: r.testLoss,
    samplesPerSec: r.samplesPerSec,
    confusionMatrix: readRunConfusionMatrix(r.confusionMatrix),
    epochs: epochsByRun.get(r.id) ?? [],
    notes: r.notes,
  }));
}
