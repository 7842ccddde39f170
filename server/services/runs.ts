import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { DEFAULT_MAX_PARAMS } from '../../blocks/compile';
import { compileNotebook } from '../../blocks/compile-notebook';
import { datasetFitDiagnostics } from '../../blocks/shapes/dataset-fit';
import { ownValidationWords, sourceInfo, uploadedInfo } from '../../blocks/format/datasets';
import { resolveDataset, resolveModel } from '../../blocks/format/notebook';
import type { TrainingSpec } from '../../blocks/format/model-spec';
import type { Database } from '../../db/client';
import { notebooks, runCheckpoints, runMetrics, runs, runWeights } from '../../db/schema';
import type { EpochMetrics, RunEvent, RunStatus, SavedWeights } from '../training/protocol';
import type { RunSink, RunSource } from '../training/ports';
import type { TrainingRunner } from '../training/runner';
import { readDatasetChunk, storedDatasetRef } from './datasets';
import { ServiceError, notebookNotFound, runNotFound } from './errors';
import { estimateRunSeconds } from './eta';
import { readRunTraining } from './run-snapshot';
import { ownedNotebook, readStoredCells } from './notebooks';

/** The part of the training runner the API uses; tests pass a fake with the same shape. */
export type RunQueue = Pick<TrainingRunner, 'enqueue' | 'cancel' | 'subscribe'>;

export const DEFAULT_MAX_QUEUED_PER_USER = 3;

export function tooManyWaitingMessage(limit: number): string {
  const runsWaiting = limit === 1 ? 'a run waiting' : `${limit} runs waiting`;
  return `You already have ${runsWaiting}. Wait for one to finish or cancel one.`;
}

export interface RunSummary {
  id: string;
  notebookId: string;
  cellId: string;
  status: RunStatus;
  backend: string | null;
  training: TrainingSpec;
  totalParams: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  testAccuracy: number | null;
  testLoss: number | null;
  samplesPerSec: number | null;
  epochs: EpochMetrics[];
  /** How the run went, for the student: "Stopped early after epoch 5…", "A training computer stopped…". */
  notes: string[];
}

export const TERMINAL_STATUSES: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];
const UNFINISHED_STATUSES = ['queued', 'running'] as const;

export const TRAINER_UNAVAILABLE_MESSAGE =
  'The trainer on the server is not taking new runs right now (it may be restarting). Wait a minute and press Train again.';

export const MODEL_CELL_NOT_TRAINABLE_MESSAGE =
  'This is a model cell: it says what the network looks like, not how to train it. Press Train in the training cell below it (add one with "+ Training" if there is none).';

export function isTerminal(status: RunStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

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
    .where(and(eq(runs.ownerId, userId), eq(runs.status, 'queued')));
  if ((waiting?.count ?? 0) >= maxQueued) throw new ServiceError('TOO_MANY_REQUESTS', tooManyWaitingMessage(maxQueued));

  const [run] = await db
    .insert(runs)
    .values({
      notebookId: input.notebookId,
      cellId: cell.id,
      ownerId: userId,
      spec: compiled.spec,
      training,
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
>;

async function finishRun(db: Database, runId: string, fields: FinishFields): Promise<boolean> {
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
    totalParams: r.totalParams,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    error: r.error,
    testAccuracy: r.testAccuracy,
    testLoss: r.testLoss,
    samplesPerSec: r.samplesPerSec,
    epochs: epochsByRun.get(r.id) ?? [],
    notes: r.notes,
  }));
}

/**
 * A run's progress for one subscriber: what is stored first (so someone who opens the page
 * late sees the epochs so far), then the runner's live events until the run ends.
 */
export async function* runEvents(
  db: Database,
  queue: RunQueue,
  userId: string,
  runId: string,
  signal?: AbortSignal,
  options: { recheckMs?: number } = {},
): AsyncGenerator<RunEvent, void, unknown> {
  await getRun(db, userId, runId);

  // Subscribe before reading the stored state, so no event falls between the two.
  const pending: RunEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = queue.subscribe(runId, (event) => {
    pending.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const stored = await getRun(db, userId, runId);
    const etaSeconds = stored.status === 'queued' ? await estimateRunSeconds(db, stored) : null;
    yield { ...storedStatusEvent(stored), ...(etaSeconds === null ? {} : { etaSeconds }) };
    for (const text of stored.notes) yield { type: 'note', text };
    for (const epoch of stored.epochs) yield { type: 'epoch', ...epoch };
    if (isTerminal(stored.status)) {
      const done = storedDoneEvent(stored);
      if (done) yield done;
      return;
    }
    let lastEpoch = stored.epochs.at(-1)?.epoch ?? 0;

    while (!signal?.aborted) {
      const event = pending.shift();
      if (event) {
        if (event.type === 'epoch') {
          if (event.epoch <= lastEpoch) continue;
          lastEpoch = event.epoch;
        }
        yield event;
        if (event.type === 'status' && isTerminal(event.status)) return;
        continue;
      }
      const woken = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), options.recheckMs ?? 5_000);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      wake = null;
      if (woken) continue;
      // Quiet for a while: the run may have ended without a live event reaching us (the
      // runner forgot it, or it ended between our subscribe and the stored read).
      const latest = await getRun(db, userId, runId);
      if (isTerminal(latest.status)) {
        for (const text of latest.notes.filter((n) => !stored.notes.includes(n))) yield { type: 'note', text };
        for (const epoch of latest.epochs.filter((e) => e.epoch > lastEpoch)) yield { type: 'epoch', ...epoch };
        const done = storedDoneEvent(latest);
        if (done) yield done;
        yield storedStatusEvent(latest);
        return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

function storedStatusEvent(run: RunSummary): RunEvent {
  return {
    type: 'status',
    status: run.status,
    ...(run.backend ? { backend: run.backend } : {}),
    ...(run.error ? { message: run.error } : {}),
  };
}

function storedDoneEvent(run: RunSummary): RunEvent | null {
  if (run.status !== 'succeeded' || run.testAccuracy === null || run.testLoss === null) return null;
  const seconds =
    run.startedAt && run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : 0;
  return { type: 'done', testAccuracy: run.testAccuracy, testLoss: run.testLoss, samplesPerSec: run.samplesPerSec ?? 0, seconds };
}
