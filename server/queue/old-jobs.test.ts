import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtInSource } from '../../blocks/format/datasets';
import { DEFAULT_TRAINING, type ModelSpec } from '../../blocks/format/model-spec';
import { modelWorkspace } from '../../blocks/templates';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { runs } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { listNotebooks } from '../services/notebooks';
import { createAnonymousSession } from '../services/sessions';
import { selectBackend } from '../training/backend';
import { buildModel } from '../training/build-model';
import type { TrainJob } from '../training/protocol';
import { RETIRED_JOB_MESSAGE } from '../training/queued-job';
import { train } from '../training/trainer';
import { PgJobQueue } from './pg-job-queue';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

function circleSpec(): ModelSpec {
  const { spec } = specFromWorkspace(
    modelWorkspace('circle', 'Circle', [
      { key: 'input', args: { shape: [2] } },
      { key: 'dense', args: { units: 8, activation: 'relu' } },
      { key: 'dense', args: { units: 2, activation: 'softmax' } },
    ]),
  );
  return spec!;
}

/** Jobs as an older version put them in the shared queue: push stores whatever it is given. */
const asQueued = (job: object) => job as TrainJob;

describe.each(kinds)('jobs queued by an older version, on $kind', ({ kind }) => {
  let database: TestDatabase;
  let queue: PgJobQueue;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    queue = await PgJobQueue.open({ database, connectionString: database.url ?? undefined, maxRunningPerUser: 5 });
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    await database?.destroy();
  });
  beforeEach(async () => {
    await database.query(sql`delete from pgboss.job`);
  });

  it('a job from before jobs carried their dataset still trains, on the built-in set its settings name', async () => {
    const training = { ...DEFAULT_TRAINING, dataset: 'circle' as const, epochs: 2, batchSize: 16, learningRate: 0.03 };
    const runId = randomUUID();
    await queue.push(asQueued({ runId, spec: circleSpec(), training }), 'ann');

    const job = (await queue.take())!;
    expect(job.dataset).toEqual(builtInSource('circle'));
    const { tf } = await selectBackend('auto');
    const result = await train(job, { tf, build: buildModel, onEvent: () => {}, signal: new AbortController().signal });
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(result.testAccuracy).toBeGreaterThan(0.5);
  }, 60_000);

  it('fails a job with the numbers packed inside, telling its owner to press Train again, and hands out the next one', async () => {
    const { user } = await createAnonymousSession(database.db);
    const [notebook] = await listNotebooks(database.db, user.id);
    const [old] = await database.db
      .insert(runs)
      .values({ notebookId: notebook!.id, cellId: 'training', ownerId: user.id, spec: circleSpec(), training: DEFAULT_TRAINING, totalParams: 1, status: 'queued' })
      .returning({ id: runs.id });
    await queue.push(asQueued({ runId: old!.id, spec: circleSpec(), training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' } }, dataset: { kind: 'inline' } }), user.id);
    const next = randomUUID();
    await queue.push({ runId: next, spec: circleSpec(), training: DEFAULT_TRAINING, dataset: builtInSource('mnist') }, user.id);

    expect((await queue.take())?.runId).toBe(next);
    const [row] = await database.db.select({ status: runs.status, error: runs.error }).from(runs).where(eq(runs.id, old!.id));
    expect(row).toEqual({ status: 'failed', error: RETIRED_JOB_MESSAGE });
    expect((await queue.positions()).size).toBe(0);
  });
});
