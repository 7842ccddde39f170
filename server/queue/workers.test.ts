import { eq, sql } from 'drizzle-orm';
import { builtInSource } from '../../blocks/format/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../blocks/format/model-spec';
import type { TrainingCell } from '../../blocks/format/notebook';
import { runCheckpoints, runs } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { getNotebook, listNotebooks } from '../services/notebooks';
import { createRunSink, createRunSource, getRun } from '../services/run-store';
import { startRun } from '../services/runs';
import { createAnonymousSession } from '../services/sessions';
import type { RunEvent, SavedOptimizer, SavedWeights } from '../training/protocol';
import { referenceMlpSpec } from '../training/reference-models';
import { PgJobQueue } from './pg-job-queue';
import { listenForRunEvents } from './run-events-channel';
import {
  STALE_RUN_MESSAGE,
  WORKER_LOST_MESSAGE,
  WORKER_LOST_TWICE_MESSAGE,
  databaseWorkerRegistry,
  liveWorkers,
  recoverAfterRestart,
  recoverRunsOfLostWorkers,
} from './workers';
import { resumedNote } from '../training/failures';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

const weights = (byte: number): SavedWeights => ({
  modelTopology: { class_name: 'Sequential' },
  weightSpecs: [{ name: 'w', shape: [1], dtype: 'float32' }],
  weightData: new Uint8Array([byte, byte, byte, byte]),
});

describe.each(kinds)('workers and lost runs on $kind', ({ kind }) => {
  let database: TestDatabase;
  const queue = new FakeRunQueue();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function runningRun(workerId: string) {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const { runId } = await startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: cell.id });
    await createRunSink(database.db).started(runId, 'cpu', workerId);
    return { userId: user.id, runId, notebook };
  }

  it('fails the run of a worker that stopped beating, and only that one, leaving the notebook as it was', async () => {
    const registry = databaseWorkerRegistry(database.db, 'external');
    await registry.register({ id: 'external:gone:1', pid: 1, backend: 'tensorflow' });
    await registry.register({ id: 'external:alive:2', pid: 2, backend: 'wasm' });
    const lost = await runningRun('external:gone:1');
    const kept = await runningRun('external:alive:2');
    await registry.beat([{ id: 'external:gone:1', runId: lost.runId }, { id: 'external:alive:2', runId: kept.runId }]);
    expect((await liveWorkers(database.db, 60)).map((w) => [w.id, w.backend, w.busy])).toEqual([
      ['external:gone:1', 'tensorflow', true],
      ['external:alive:2', 'wasm', true],
    ]);

    // One worker keeps beating; the other falls silent for longer than the (short) timeout.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await registry.beat([{ id: 'external:alive:2', runId: kept.runId }]);
    expect(await recoverRunsOfLostWorkers(database.db, 1)).toEqual({ resumed: [], failed: [lost.runId] });

    expect(await getRun(database.db, lost.userId, lost.runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_MESSAGE });
    expect((await getRun(database.db, kept.userId, kept.runId)).status).toBe('running');
    expect(await getNotebook(database.db, lost.userId, lost.notebook.id)).toEqual(lost.notebook);
    expect((await liveWorkers(database.db, 60)).map((w) => w.id)).toEqual(['external:alive:2']);
    expect(await recoverRunsOfLostWorkers(database.db, 1)).toEqual({ resumed: [], failed: [] });
  });

  it('keeps the latest epoch\'s weights of a running run, and drops them once the run has its final weights', async () => {
    const { runId } = await runningRun('embedded:here:3');
    const sink = createRunSink(database.db);
    await sink.checkpoint!(runId, 1, weights(1));
    await sink.checkpoint!(runId, 2, weights(2));
    const [stored] = await database.db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId));
    expect(stored?.epoch).toBe(2);
    expect(Array.from(stored!.weightData)).toEqual([2, 2, 2, 2]);

    await sink.finished(runId, { testAccuracy: 0.9, testLoss: 0.3, samplesPerSec: 100, weights: weights(3) });
    expect(await database.db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId))).toEqual([]);
    await sink.checkpoint!(runId, 3, weights(4));
    expect(await database.db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId))).toEqual([]);
  });

  it('puts a run whose worker was lost after a checkpoint back in line once, to carry on from it, and fails it the second time', async () => {
    const queue = await PgJobQueue.open({ database, connectionString: database.url ?? undefined, maxRunningPerUser: 1 });
    const announced: Array<{ runId: string; event: RunEvent }> = [];
    const stopListening = await listenForRunEvents(database, (runId, event) => announced.push({ runId, event }));
    try {
      const { user } = await createAnonymousSession(database.db);
      const [notebook] = await listNotebooks(database.db, user.id);
      // A run row as startRun makes it, without depending on how the notebook's cells look.
      const [run] = await database.db
        .insert(runs)
        .values({ notebookId: notebook!.id, cellId: 'cell', ownerId: user.id, spec: referenceMlpSpec(), training: DEFAULT_TRAINING, totalParams: 1, status: 'queued' })
        .returning({ id: runs.id });
      const runId = run!.id;
      const heard = () => announced.filter((a) => a.runId === runId).map((a) => a.event);
      await queue.push({ runId, spec: referenceMlpSpec(), dataset: builtInSource('mnist'), training: DEFAULT_TRAINING }, user.id);
      expect((await queue.take())?.runId).toBe(runId);

      const registry = databaseWorkerRegistry(database.db, 'external');
      const sink = createRunSink(database.db);
      const optimizer: SavedOptimizer = { weightSpecs: [{ name: 'iter', shape: [], dtype: 'int32' }], weightData: new Uint8Array([7, 0, 0, 0]) };
      const trainOn = async (workerId: string, checkpointEpoch: number) => {
        await registry.register({ id: workerId, pid: 1, backend: 'wasm' });
        await sink.started(runId, 'wasm', workerId);
        await sink.checkpoint!(runId, checkpointEpoch, weights(checkpointEpoch), optimizer);
        await registry.beat([{ id: workerId, runId }]);
      };

      // Runs of the tests above, whose workers have gone quiet too, are the sweep's business, not this test's.
      const ofThisRun = async () => {
        const { resumed, failed } = await recoverRunsOfLostWorkers(database.db, 1);
        return { resumed: resumed.filter((id) => id === runId), failed: failed.filter((id) => id === runId) };
      };
      await trainOn('external:first:1', 2);
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect(await ofThisRun()).toEqual({ resumed: [runId], failed: [] });
      // Waiting again, first for its owner, with a note the page shows now and after a reload.
      const waiting = await getRun(database.db, user.id, runId);
      expect(waiting).toMatchObject({ status: 'queued', error: null, notes: [resumedNote(3)] });
      await expect.poll(heard).toEqual([{ type: 'note', text: resumedNote(3) }, { type: 'status', status: 'queued' }]);
      // Whichever worker takes it next loads the checkpoint, optimizer state included.
      const again = await queue.take();
      expect(again).toMatchObject({ runId, resumeFromStoredCheckpoint: true });
      expect(await createRunSource(database.db).checkpoint(runId)).toEqual({ epoch: 2, weights: weights(2), optimizer });
      // Nobody acts on it twice: a second sweep finds nothing.
      expect(await ofThisRun()).toEqual({ resumed: [], failed: [] });

      await trainOn('external:second:2', 4);
      await new Promise((resolve) => setTimeout(resolve, 1_300));
      expect(await ofThisRun()).toEqual({ resumed: [], failed: [runId] });
      expect(await getRun(database.db, user.id, runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_TWICE_MESSAGE, notes: [resumedNote(3)] });
      await expect.poll(() => heard().at(-1)).toEqual({ type: 'status', status: 'failed', message: WORKER_LOST_TWICE_MESSAGE });
      // The queue drops the job of a run that ended on its next take.
      expect(await queue.take()).toBeUndefined();
      const [job] = await database.query<{ state: string }>(sql`select state::text as state from pgboss.job where id = ${runId}::uuid`);
      expect(job?.state).toBe('cancelled');
    } finally {
      await stopListening();
      await queue.close();
    }
  });

  it('after a restart on its own database, waiting runs keep their place and a training run carries on from its checkpoint', async () => {
    const queue = await PgJobQueue.open({ database, connectionString: database.url ?? undefined, maxRunningPerUser: 1 });
    try {
      const sink = createRunSink(database.db);
      // Each run belongs to another student, so the one-run-each limit never decides what is taken.
      const newRun = async (cellId: string) => {
        const { user } = await createAnonymousSession(database.db);
        const [notebook] = await listNotebooks(database.db, user.id);
        const [run] = await database.db
          .insert(runs)
          .values({ notebookId: notebook!.id, cellId, ownerId: user.id, spec: referenceMlpSpec(), training: DEFAULT_TRAINING, totalParams: 1, status: 'queued' })
          .returning({ id: runs.id });
        return { userId: user.id, runId: run!.id };
      };
      const trainingWhenStopped = async (workerId: string, checkpoint: boolean) => {
        const run = await newRun('training');
        await queue.push({ runId: run.runId, spec: referenceMlpSpec(), dataset: builtInSource('mnist'), training: DEFAULT_TRAINING }, run.userId);
        expect((await queue.take())?.runId).toBe(run.runId);
        await sink.started(run.runId, 'wasm', workerId);
        if (checkpoint) await sink.checkpoint!(run.runId, 1, weights(1));
        return run;
      };
      const withCheckpoint = await trainingWhenStopped('embedded:before-restart:1', true);
      const withoutCheckpoint = await trainingWhenStopped('embedded:before-restart:2', false);
      const waiting = await newRun('waiting');
      await queue.push({ runId: waiting.runId, spec: referenceMlpSpec(), dataset: builtInSource('mnist'), training: DEFAULT_TRAINING }, waiting.userId);
      // Its row was written, but the server stopped before its job reached the queue.
      const neverQueued = await newRun('never-queued');

      const mine = new Set([withCheckpoint, withoutCheckpoint, waiting, neverQueued].map((r) => r.runId));
      const { resumed, failed } = await recoverAfterRestart(database.db);
      expect(resumed.filter((id) => mine.has(id))).toEqual([withCheckpoint.runId]);
      expect(failed.filter((id) => mine.has(id)).sort()).toEqual([withoutCheckpoint.runId, neverQueued.runId].sort());

      expect(await getRun(database.db, withCheckpoint.userId, withCheckpoint.runId)).toMatchObject({ status: 'queued', notes: [resumedNote(2)] });
      expect(await getRun(database.db, withoutCheckpoint.userId, withoutCheckpoint.runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_MESSAGE });
      expect(await getRun(database.db, waiting.userId, waiting.runId)).toMatchObject({ status: 'queued', error: null });
      expect(await getRun(database.db, neverQueued.userId, neverQueued.runId)).toMatchObject({ status: 'failed', error: STALE_RUN_MESSAGE });

      // The restarted server's worker takes both, the resumed one from its checkpoint.
      const taken = [await queue.take(), await queue.take()];
      expect(taken.map((job) => job?.runId).sort()).toEqual([withCheckpoint.runId, waiting.runId].sort());
      expect(taken.find((job) => job?.runId === withCheckpoint.runId)).toMatchObject({ resumeFromStoredCheckpoint: true });
      expect(await queue.take()).toBeUndefined();
    } finally {
      await queue.close();
    }
  });
});
