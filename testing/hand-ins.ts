import { eq } from 'drizzle-orm';
import type { TrainingCell } from '../blocks/format/notebook';
import type { Database } from '../db/client';
import { submissions } from '../db/schema';
import { getNotebook } from '../server/services/notebooks';
import { createRunSink } from '../server/services/run-store';
import { startRun, type RunQueue } from '../server/services/runs';
import type { SavedWeights } from '../server/training/protocol';

/** A tiny model's weights, as a worker saves them; the bytes only have to survive copying. */
export const TINY_WEIGHTS: SavedWeights = {
  modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightSpecs: [{ name: 'dense/kernel', shape: [2, 8], dtype: 'float32' }],
  weightData: new Uint8Array([1, 2, 3, 4]),
};

/** The training cell of a notebook (a student's copy of testing/assignments.ts's cells has one). */
export async function trainingCellOf(db: Database, userId: string, notebookId: string): Promise<TrainingCell> {
  const notebook = await getNotebook(db, userId, notebookId);
  return notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
}

/** A Train press whose run waits in the queue. */
export async function waitingRun(db: Database, queue: RunQueue, userId: string, notebookId: string, cellId?: string): Promise<string> {
  const cell = cellId ?? (await trainingCellOf(db, userId, notebookId)).id;
  return (await startRun(db, queue, userId, { notebookId, cellId: cell })).runId;
}

/** A Train press, then the run recorded as the runner records one: `epochs` epochs, a test accuracy, weights. */
export async function finishedRun(db: Database, queue: RunQueue, userId: string, notebookId: string, options: { epochs?: number; testAccuracy?: number } = {}): Promise<string> {
  const runId = await waitingRun(db, queue, userId, notebookId);
  const sink = createRunSink(db);
  await sink.started(runId, 'wasm');
  for (let epoch = 1; epoch <= (options.epochs ?? 3); epoch++) {
    await sink.epoch(runId, { epoch, loss: 1 / epoch, accuracy: 0.6 + epoch / 10, valLoss: 1.1 / epoch, valAccuracy: 0.55 + epoch / 10, seconds: 0.1 });
  }
  await sink.finished(runId, { testAccuracy: options.testAccuracy ?? 0.88, testLoss: 0.3, samplesPerSec: 1000, weights: TINY_WEIGHTS });
  return runId;
}

/** The hand-in's grading run, ended as a worker ends it: measured, or failed. */
export async function endGradingRun(db: Database, submissionId: string, outcome: { testAccuracy: number } | { failed: string }): Promise<string> {
  const [row] = await db.select({ runId: submissions.gradingRunId }).from(submissions).where(eq(submissions.id, submissionId));
  const runId = row!.runId!;
  const sink = createRunSink(db);
  await sink.started(runId, 'wasm');
  if ('failed' in outcome) await sink.failed(runId, outcome.failed);
  else await sink.finished(runId, { testAccuracy: outcome.testAccuracy, testLoss: 0.2, samplesPerSec: 0, weights: TINY_WEIGHTS });
  return runId;
}
