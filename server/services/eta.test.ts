import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingCell } from '../../blocks/format/notebook';
import { trainingFromWorkspace } from '../../blocks/workspace/training-from-workspace';
import { runs } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { estimateTrainingSeconds } from './eta';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { getNotebook, listNotebooks } from './notebooks';
import { runEvents } from './run-events';
import { createRunSink } from './run-store';
import { startRun } from './runs';
import { createAnonymousSession } from './sessions';

describe('estimateTrainingSeconds', () => {
  it('scales the median time per epoch of runs of similar size to this run\'s epochs', () => {
    const history = [
      { totalParams: 100_000, epochs: 2, seconds: 20 }, // 10 s an epoch
      { totalParams: 150_000, epochs: 1, seconds: 12 }, // 12 s
      { totalParams: 80_000, epochs: 4, seconds: 56 }, // 14 s
      { totalParams: 5_000_000, epochs: 1, seconds: 900 }, // far bigger: ignored
      { totalParams: 1_000, epochs: 1, seconds: 1 }, // far smaller: ignored
    ];
    expect(estimateTrainingSeconds(history, { totalParams: 101_770, epochs: 5 })).toBe(60);
  });

  it('makes no guess without earlier runs of similar size', () => {
    expect(estimateTrainingSeconds([], { totalParams: 1000, epochs: 3 })).toBeNull();
    expect(estimateTrainingSeconds([{ totalParams: 10_000, epochs: 1, seconds: 5 }], { totalParams: 1000, epochs: 3 })).toBeNull();
  });
});

describe.each([{ kind: 'pglite' as const }, { kind: 'postgres' as const }])('training-time estimate on $kind', ({ kind }) => {
  let database: TestDatabase;
  const queue = new FakeRunQueue();
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('tells a queued run how long it will train, once a similar run has finished', async () => {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const start = () => startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: cell.id }, { maxQueuedPerUser: 10 });

    const first = await start();
    expect(first.etaSeconds).toBeNull();
    const sink = createRunSink(database.db);
    await sink.started(first.runId, 'cpu');
    const weights = { modelTopology: {}, weightSpecs: [], weightData: new Uint8Array(4) };
    await sink.finished(first.runId, { testAccuracy: 0.9, testLoss: 0.3, samplesPerSec: 1000, weights });
    // It took 8 seconds per epoch.
    const epochs = trainingFromWorkspace(cell.workspace).settings.epochs;
    await database.db
      .update(runs)
      .set({ startedAt: sql`${runs.finishedAt} - make_interval(secs => ${8 * epochs})` })
      .where(eq(runs.id, first.runId));

    const second = await start();
    expect(second.etaSeconds).toBe(8 * epochs);
    const stream = runEvents(database.db, queue, user.id, second.runId);
    expect((await stream.next()).value).toMatchObject({ type: 'status', status: 'queued', etaSeconds: 8 * epochs });
    await stream.return();
  });
});
