import { randomUUID } from 'node:crypto';
import { builtInSource } from '../../blocks/format/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../blocks/format/model-spec';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { EpochMetrics, RunEvent, SavedWeights, TrainJob } from '../training/protocol';
import { referenceMlpSpec } from '../training/reference-models';
import { TrainingRunner, type RunSink } from '../training/runner';
import { SERVER_STOPPED_MESSAGE } from '../training/failures';
import { PgJobQueue } from './pg-job-queue';
import { databaseWorkerRegistry, liveWorkers } from './workers';

/** Real training processes, jobs in PostgreSQL: what `npm start` runs, minus the web pages. */
const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

class RecordingSink implements RunSink {
  readonly calls: string[] = [];
  async started(runId: string) {
    this.calls.push(`started:${runId}`);
  }
  async epoch(_runId: string, _metrics: EpochMetrics) {}
  async checkpoint(runId: string, epoch: number, weights: SavedWeights) {
    this.calls.push(`checkpoint:${runId}:${epoch}:${weights.weightData.byteLength}`);
  }
  async finished(runId: string) {
    this.calls.push(`finished:${runId}`);
  }
  async failed(runId: string, message: string) {
    this.calls.push(`failed:${runId}:${message}`);
  }
  async cancelled(runId: string) {
    this.calls.push(`cancelled:${runId}`);
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function job(): TrainJob {
  return { runId: randomUUID(), spec: referenceMlpSpec(), dataset: builtInSource('mnist'), training: { ...DEFAULT_TRAINING, epochs: 1, batchSize: 256 } };
}

describe.each(kinds)('training from the PostgreSQL queue on $kind', ({ kind }) => {
  let database: TestDatabase;
  let queue: PgJobQueue;
  let runner: TrainingRunner;
  const sink = new RecordingSink();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    queue = await PgJobQueue.open({ database, connectionString: database.url ?? undefined, maxRunningPerUser: 1 });
    runner = new TrainingRunner({ sink, backend: 'wasm', queue, registry: databaseWorkerRegistry(database.db, 'embedded'), heartbeatMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await runner?.stop();
    await queue?.close();
    await database?.destroy();
  });

  it('trains students\' jobs in turns and cancels a waiting one at once', async () => {
    const [ann1, ann2, ann3, bob1] = [job(), job(), job(), job()];
    ann1.training.epochs = 2;
    const heard: RunEvent[] = [];
    runner.subscribe(ann3.runId, (event) => heard.push(event));
    // Queued before any worker is ready, so the whole line is there when training starts.
    expect(await runner.enqueue(ann1, 'ann')).toEqual({ queuePosition: 0 });
    expect(await runner.enqueue(ann2, 'ann')).toEqual({ queuePosition: 1 });
    expect(await runner.enqueue(ann3, 'ann')).toEqual({ queuePosition: 2 });
    // Bob pressed Train last but goes second: Ann already has a run ahead of him.
    expect(await runner.enqueue(bob1, 'bob')).toEqual({ queuePosition: 1 });
    expect(await runner.health()).toMatchObject({ queued: 4 });

    expect(await runner.cancel(ann3.runId)).toBe(true);
    await waitFor('the cancel to be heard', () => heard.some((e) => e.type === 'status' && e.status === 'cancelled'));

    runner.start();
    await waitFor('the last job to finish', () => sink.calls.includes(`finished:${ann2.runId}`));
    const started = sink.calls.filter((c) => c.startsWith('started:'));
    expect(started).toEqual([`started:${ann1.runId}`, `started:${bob1.runId}`, `started:${ann2.runId}`]);
    expect(sink.calls).toContain(`cancelled:${ann3.runId}`);
    // Two epochs: the first one's weights were kept as a checkpoint (101,770 float32 weights).
    expect(sink.calls.filter((c) => c.startsWith('checkpoint:'))).toEqual([`checkpoint:${ann1.runId}:1:${101_770 * 4}`]);
    // The training process registered itself and beats.
    const [worker, ...others] = await liveWorkers(database.db, 5);
    expect(others).toEqual([]);
    expect(worker).toMatchObject({ kind: 'embedded', backend: 'wasm', pid: runner.workerPids()[0] });
    // The queue hears of the last finish a moment after the sink does.
    const deadline = Date.now() + 30_000;
    while ((await queue.activeRunIds()).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await queue.activeRunIds()).toEqual([]);
    expect(await runner.health()).toMatchObject({ queued: 0, busy: 0, workers: 1 });
  }, 120_000);

  it('on a shared queue, leaves the runs waiting when a server stops, for the next one to train', async () => {
    // No training process: what is tested is what stopping does to runs still waiting, and a
    // process that came up in time would take the run first on a busy machine.
    const stopping = new TrainingRunner({ sink, backend: 'wasm', queue, keepWaitingOnStop: true, workerCount: 0 });
    stopping.start();
    const waiting = job();
    await stopping.enqueue(waiting, 'dan');
    await stopping.stop();
    expect(sink.calls.filter((c) => c.includes(waiting.runId))).toEqual([]);
    expect([...(await queue.positions()).keys()]).toEqual([waiting.runId]);

    // Without it (the built-in database, where nobody else could train them) they fail at once.
    const alone = new TrainingRunner({ sink, backend: 'wasm', queue, workerCount: 0 });
    alone.start();
    const other = job();
    await alone.enqueue(other, 'eve');
    await alone.stop();
    expect(sink.calls.filter((c) => c.includes(other.runId))).toEqual([`failed:${other.runId}:${SERVER_STOPPED_MESSAGE}`]);
    expect(await queue.remove(waiting.runId)).toBe(true);
  }, 60_000);
});
