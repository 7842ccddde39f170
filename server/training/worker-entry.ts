/**
 * The training child process. Started by TrainingProcess (./training-process.ts) with
 * `fork(path, { execArgv: [memory cap flags, '--import', 'tsx'], serialization: 'advanced' })`,
 * so TF.js's work never stalls the web server and a crash here costs one run, not the server.
 * A failure is reported with its cause (./failures.ts): after any but the student's input,
 * the parent replaces this process before it takes another job.
 *
 * Protocol (./protocol.ts): sends `ready` once the backend is chosen, then trains one job at
 * a time. For a job it sends `event`s, and at the end either `weights` followed by the
 * `done` event, `failed`, or `cancelled`. An uploaded dataset is read through the parent a
 * chunk at a time (`chunk-request` → `chunk`): this process holds no database connection,
 * which the embedded database could not give it anyway.
 */
import { selectBackend } from './backend';
import { buildModel } from './build-model';
import type { ReadChunk } from '../data/stored';
import type { DatasetChunk } from '../data/job-dataset';
import type { ParentMessage, RunEvent, TrainJob, WorkerMessage } from './protocol';
import { TrainingCancelled, TrainingInputError, train } from './trainer';
import { classifyTrainerError } from './failures';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

let current: { runId: string; controller: AbortController } | null = null;

const pendingChunks = new Map<number, { resolve: (chunk: DatasetChunk) => void; reject: (error: Error) => void }>();
let lastRequestId = 0;

/** Asks the parent for a chunk of the run's dataset; the parent answers from its database. */
function chunksFromParent(runId: string): ReadChunk {
  return (datasetId, startRow) =>
    new Promise((resolve, reject) => {
      const requestId = ++lastRequestId;
      pendingChunks.set(requestId, { resolve, reject });
      send({ type: 'chunk-request', runId, requestId, datasetId, startRow });
    });
}

async function runJob(tf: Awaited<ReturnType<typeof selectBackend>>['tf'], job: TrainJob): Promise<void> {
  const controller = new AbortController();
  current = { runId: job.runId, controller };
  let done: RunEvent | null = null;
  try {
    const result = await train(job, {
      tf,
      build: buildModel,
      signal: controller.signal,
      readChunk: chunksFromParent(job.runId),
      onCheckpoint: (epoch, weights, optimizer) => send({ type: 'checkpoint', runId: job.runId, epoch, weights, ...(optimizer ? { optimizer } : {}) }),
      onEvent: (event) => {
        // Held back so the parent has the weights by the time it hears the run is done.
        if (event.type === 'done') done = event;
        else send({ type: 'event', runId: job.runId, event });
      },
    });
    send({ type: 'result', runId: job.runId, weights: result.weights, confusionMatrix: result.confusionMatrix });
    if (done) send({ type: 'event', runId: job.runId, event: done });
  } catch (error) {
    if (error instanceof TrainingCancelled) {
      send({ type: 'cancelled', runId: job.runId });
    } else if (error instanceof TrainingInputError) {
      send({ type: 'failed', runId: job.runId, message: error.message, cause: 'input' });
    } else {
      // The parent replaces this process before it takes another job: TF.js may be left broken.
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`[training worker] run ${job.runId} failed:`, error);
      send({ type: 'failed', runId: job.runId, message: `Training stopped because of an error in the trainer: ${reason}`, cause: classifyTrainerError(error) });
    }
  } finally {
    current = null;
  }
}

async function main(): Promise<void> {
  if (!process.send) {
    console.error('worker-entry.ts is started by TrainingRunner (child_process.fork), not on its own.');
    process.exit(2);
  }
  const { tf, name } = await selectBackend(process.env.LAYERBOOK_BACKEND ?? 'auto');

  process.on('message', (message: ParentMessage) => {
    if (message.type === 'chunk') {
      const pending = pendingChunks.get(message.requestId);
      pendingChunks.delete(message.requestId);
      // The parent's error is already phrased for the student (the dataset was deleted meanwhile…).
      if ('error' in message) pending?.reject(new TrainingInputError(message.error));
      else pending?.resolve(message.chunk);
      return;
    }
    if (message.type === 'cancel') {
      if (current?.runId === message.runId) current.controller.abort();
      return;
    }
    if (message.type === 'train') {
      if (current) {
        // The runner sends one job at a time; a second one means its bookkeeping is off.
        send({ type: 'failed', runId: message.job.runId, message: 'The training process was still busy with another run. Try again.', cause: 'broken' });
        return;
      }
      void runJob(tf, message.job);
    }
  });
  // The parent going away (it crashed or was stopped) leaves nobody to report to.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', backend: name });
}

main().catch((error) => {
  console.error('[training worker] could not start:', error);
  process.exit(1);
});
