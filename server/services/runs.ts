/**
 * Starting runs: the rules a Train press must pass (the saved notebook, the model and its
 * data checked against each other and this server's limits, the waiting-runs limit) before a
 * run is stored and queued, and cancelling one. Runs as stored: ./run-store.ts; their live
 * progress: ./run-events.ts.
 */
import { and, eq, sql } from 'drizzle-orm';
import { DEFAULT_MAX_PARAMS } from '../../blocks/compile';
import { compileNotebook } from '../../blocks/compile-notebook';
import { datasetFitDiagnostics } from '../../blocks/shapes/dataset-fit';
import { ownValidationWords, sourceInfo, uploadedInfo } from '../../blocks/format/datasets';
import { resolveDataset, resolveModel } from '../../blocks/format/notebook';
import type { Database } from '../../db/client';
import { notebooks, runs } from '../../db/schema';
import type { RunStatus } from '../training/protocol';
import type { TrainingRunner } from '../training/runner';
import { storedDatasetRef } from './datasets';
import { ServiceError, notebookNotFound } from './errors';
import { estimateRunSeconds } from './eta';
import { finishRun, getRun, isTerminal, studentsOwnRun } from './run-store';
import { ownedNotebook, readStoredCells } from './notebooks';

/** The part of the training runner the API uses; tests pass a fake with the same shape. */
export type RunQueue = Pick<TrainingRunner, 'enqueue' | 'cancel' | 'subscribe' | 'subscribeToEveryRun'>;

export const DEFAULT_MAX_QUEUED_PER_USER = 3;

export function tooManyWaitingMessage(limit: number): string {
  const runsWaiting = limit === 1 ? 'a run waiting' : `${limit} runs waiting`;
  return `You already have ${runsWaiting}. Wait for one to finish or cancel one.`;
}

export const TRAINER_UNAVAILABLE_MESSAGE =
  'The trainer on the server is not taking new runs right now (it may be restarting). Wait a minute and press Train again.';

export const MODEL_CELL_NOT_TRAINABLE_MESSAGE =
  'This is a model cell: it says what the network looks like, not how to train it. Press Train in the training cell below it (add one with "+ Training" if there is none).';

export async function startRun(
  db: Database,
  queue: RunQueue,
  userId: string,
  input: { notebookId: string; cellId: string },
  limits: { maxParams?: number; maxQueuedPerUser?: number } = {},
): Promise<{ runId: string; queuePosition: number; etaSeconds: number | null }> {
  const maxParams = limits.maxParams ?? DEFAULT_MAX_PARAMS;
  const maxQueued = limits.maxQueuedPerUser ?? DEFAULT_MAX_QUEUED_PER_USER;
  const [notebook] = await db
    .select({ cells: notebooks.cells, formatVersion: notebooks.formatVersion })
    .from(notebooks)
    .where(ownedNotebook(userId, input.notebookId))
    .limit(1);
  if (!notebook) throw notebookNotFound();
  const { cells } = readStoredCells(notebook);

  // Train what was saved, not what the browser claims: the run must match the stored notebook.
  const cell = cells.find((c) => c.id === input.cellId);
  if (!cell) {
    throw new ServiceError('NOT_FOUND', 'This cell is not in the saved notebook. Wait until the notebook says "Saved", then press Train again.');
  }
  if (cell.type === 'model') throw new ServiceError('BAD_REQUEST', MODEL_CELL_NOT_TRAINABLE_MESSAGE);
  if (cell.type !== 'training') {
    throw new ServiceError('BAD_REQUEST', 'Only a training cell can be trained. Press Train in the training cell below your model.');
  }
  const model = resolveModel(cells, cell.id, cell.model);
  if (!model.ok) throw new ServiceError('BAD_REQUEST', model.message);

  // A data cell reference only means something inside this notebook, so it is resolved here
  // and the worker gets the dataset itself. An upload is checked against what is stored, not
  // the copy in the cell, and may be read by this user (their own, or shared with them); the
  // job carries a reference, not the numbers.
  const dataset = resolveDataset(cells, cell.id, cell.dataset);
  if (!dataset.ok) throw new ServiceError('BAD_REQUEST', dataset.message);
  const jobDataset = dataset.source.kind === 'upload' ? await storedDatasetRef(db, userId, dataset.source.datasetId) : dataset.source;
  const dataInfo = jobDataset.kind === 'stored' ? uploadedInfo(jobDataset) : sourceInfo(jobDataset);
  const ownValidation = ownValidationWords(dataset.source, jobDataset.kind === 'stored' ? jobDataset.sizes.validation : undefined);

  // The one compile of a Train press: the model this cell trains and its settings, from the
  // saved blocks, checked against each other, the data and this server's limits (parameters;
  // memory for this cell's batch size), before any row or worker exists.
  const compiledCell = compileNotebook(cells, { maxParams, only: cell.id, dataFacts: () => ({ info: dataInfo, ownValidation }) }).trainings.get(cell.id)!;
  const compiled = compiledCell.model!;
  const firstError = compiled.diagnostics.find((d) => d.severity === 'error');
  if (firstError || !compiled.spec) {
    const explanation = firstError
      ? `${firstError.message} ${firstError.fix}`
      : 'The blocks do not make a complete model yet. Put an Input block and some layers inside the model block.';
    throw new ServiceError('BAD_REQUEST', explanation);
  }
  // This server's memory limit first, as the parameter limit above: whatever else is wrong,
  // a model that cannot train here at this batch size needs changing first.
  const trainingErrors = compiledCell.result.diagnostics.filter((d) => d.severity === 'error');
  const tooBig = trainingErrors.find((d) => d.code === 'too-much-memory');
  if (tooBig) throw new ServiceError('BAD_REQUEST', `${tooBig.message} ${tooBig.fix}`);
  const [misfit] = datasetFitDiagnostics(compiled, dataInfo);
  if (misfit) throw new ServiceError('BAD_REQUEST', `${misfit.message} ${misfit.fix}`);
  const trainingError = trainingErrors[0];
  if (trainingError) throw new ServiceError('BAD_REQUEST', `${trainingError.message} ${trainingError.fix}`);
  const training = compiledCell.result.training;

  // Checked before the row exists, so a refused press leaves nothing behind.
  const [waiting] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(runs)
    // A grading run (./autograde.ts) is the server's work in the student's name: it neither uses
    // up their limit nor is refused by it, and a cell named like one gains nothing (studentsOwnRun).
    .where(and(eq(runs.ownerId, userId), eq(runs.status, 'queued'), studentsOwnRun));
  if ((waiting?.count ?? 0) >= maxQueued) throw new ServiceError('TOO_MANY_REQUESTS', tooManyWaitingMessage(maxQueued));

  const [run] = await db
    .insert(runs)
    .values({
      notebookId: input.notebookId,
      cellId: cell.id,
      ownerId: userId,
      spec: compiled.spec,
      training,
      dataSource: dataset.source,
      totalParams: compiled.totalParams,
      status: 'queued',
    })
    .returning({ id: runs.id });
  const etaSeconds = await estimateRunSeconds(db, { totalParams: compiled.totalParams, training });
  try {
    const { queuePosition } = await queue.enqueue(
      { runId: run!.id, spec: compiled.spec, training, dataset: jobDataset },
      userId,
      etaSeconds === null ? {} : { etaSeconds },
    );
    return { runId: run!.id, queuePosition, etaSeconds };
  } catch (error) {
    // Without this the run would sit "queued" in the page until the next restart.
    await finishRun(db, run!.id, { status: 'failed', error: TRAINER_UNAVAILABLE_MESSAGE });
    throw new ServiceError('SERVICE_UNAVAILABLE', TRAINER_UNAVAILABLE_MESSAGE);
  }
}

export async function cancelRun(db: Database, queue: RunQueue, userId: string, runId: string): Promise<{ status: RunStatus }> {
  const run = await getRun(db, userId, runId);
  if (isTerminal(run.status)) return { status: run.status };
  await queue.cancel(runId);
  // Written here as well as by the runner's sink: a run the runner no longer knows (lost
  // worker, restart) must still end, and the sink's guarded writes make the second one a no-op.
  await finishRun(db, runId, { status: 'cancelled' });
  const [row] = await db.select({ status: runs.status }).from(runs).where(eq(runs.id, runId));
  return { status: row!.status };
}
