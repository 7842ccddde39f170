import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCell } from '../../blocks/spec/notebook';
import { runCheckpoints } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../db/testing';
import { FakeRunQueue } from '../services/fake-run-queue';
import { getNotebook, listNotebooks } from '../services/notebooks';
import { createRunSink, getRun, startRun } from '../services/runs';
import { createAnonymousSession } from '../services/sessions';
import type { SavedWeights } from '../training/protocol';
import { WORKER_LOST_MESSAGE, databaseWorkerRegistry, failRunsOfLostWorkers, liveWorkers } from './workers';

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
    const cell = notebook.cells.find((c): c is ModelCell => c.type === 'model')!;
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
    expect(await failRunsOfLostWorkers(database.db, 1)).toEqual([lost.runId]);

    expect(await getRun(database.db, lost.userId, lost.runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_MESSAGE });
    expect((await getRun(database.db, kept.userId, kept.runId)).status).toBe('running');
    expect(await getNotebook(database.db, lost.userId, lost.notebook.id)).toEqual(lost.notebook);
    expect((await liveWorkers(database.db, 60)).map((w) => w.id)).toEqual(['external:alive:2']);
    expect(await failRunsOfLostWorkers(database.db, 1)).toEqual([]);
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
});
