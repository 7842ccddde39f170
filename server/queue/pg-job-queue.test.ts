import { randomUUID } from 'node:crypto';
import { builtInSource } from '../../blocks/format/datasets';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEFAULT_TRAINING, type ModelSpec } from '../../blocks/format/model-spec';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { TrainJob } from '../training/protocol';
import { PgJobQueue } from './pg-job-queue';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/** The queue stores the spec without reading it; a small one keeps the rows small. */
const spec = { specVersion: 1, kind: 'sequential', name: 'tiny', layers: [], inputs: [], outputs: [] } as unknown as ModelSpec;

function job(): TrainJob {
  return { runId: randomUUID(), spec, dataset: builtInSource('mnist'), training: { ...DEFAULT_TRAINING, epochs: 1 } };
}

describe.each(kinds)('PostgreSQL job queue on $kind', ({ kind }) => {
  let database: TestDatabase;
  let queue: PgJobQueue;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    queue = await PgJobQueue.open({ database, connectionString: database.url ?? undefined, maxRunningPerUser: 1 });
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    await database?.destroy();
  });
  beforeEach(async () => {
    // Each test starts with an empty line; the users' history goes too.
    await database.query(sql`delete from pgboss.job`);
  });

  it('tells each job its place in line as it joins', async () => {
    expect(await queue.push(job(), 'ann')).toBe(0);
    expect(await queue.push(job(), 'ann')).toBe(1);
    // Bob's first job goes before Ann's second.
    expect(await queue.push(job(), 'bob')).toBe(1);
    expect((await queue.positions()).size).toBe(3);
  });

  it('hands out three students\' jobs in turns, one running job per student', async () => {
    const owners = new Map<string, string>();
    for (const owner of ['ann', 'ann', 'ann', 'ann', 'bob', 'bob', 'cat']) {
      const j = job();
      owners.set(j.runId, owner);
      await queue.push(j, owner);
    }
    // Two workers and a fake trainer: each worker takes a job, "trains" it, and releases it.
    const order: string[] = [];
    const running: string[] = [];
    const takeOne = async () => {
      const taken = await queue.take();
      if (taken) {
        order.push(owners.get(taken.runId)!);
        running.push(taken.runId);
      }
      return taken;
    };
    await takeOne();
    await takeOne();
    expect(order).toEqual(['ann', 'bob']);
    // Every student now trains one run: Ann's other jobs wait although they are older than Cat's.
    await takeOne();
    expect(order).toEqual(['ann', 'bob', 'cat']);
    expect(await queue.take()).toBeUndefined();

    while (running.length > 0) {
      await queue.release(running.shift()!, 'completed');
      await takeOne();
    }
    expect(order).toEqual(['ann', 'bob', 'cat', 'ann', 'bob', 'ann', 'ann']);
    expect((await queue.positions()).size).toBe(0);
  });

  it('takes a waiting job out of line when it is cancelled, but not one that is training', async () => {
    const first = job();
    const second = job();
    await queue.push(first, 'ann');
    await queue.push(second, 'bob');
    expect((await queue.take())?.runId).toBe(first.runId);

    expect(await queue.remove(second.runId)).toBe(true);
    expect(await queue.remove(second.runId)).toBe(false);
    expect(await queue.remove(first.runId)).toBe(false);
    expect(await queue.take()).toBeUndefined();
    expect(await queue.activeRunIds()).toEqual([first.runId]);
    await queue.release(first.runId, 'cancelled');
    expect(await queue.activeRunIds()).toEqual([]);
  });

  it('keeps jobs across a restart of the queue', async () => {
    const waiting = job();
    await queue.push(waiting, 'ann');
    await queue.close();
    queue = await PgJobQueue.open({ database, connectionString: database.url ?? undefined, maxRunningPerUser: 1 });
    const taken = await queue.take();
    expect(taken).toEqual(waiting);
  });
});
