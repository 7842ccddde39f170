import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { RateLimitedError, createRateLimits, rateLimitStoreFor } from './limiter';
import { DEFAULT_RATE_LIMITS } from './rules';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RateLimitedError) return error;
    throw error;
  }
  throw new Error('expected a rate-limit refusal');
}

describe.each(kinds)('rate limits stored in the database on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('refuses the try past the limit with how long to wait, counting per user and per address apart', async () => {
    const limits = createRateLimits(database.db, { settings: { joinPerUser: { points: 3, durationSeconds: 60 }, joinPerIp: { points: 5, durationSeconds: 60 } } });
    for (let i = 0; i < 3; i++) await limits.consume('join', { ip: '192.0.2.1', userId: 'u1' });
    const refused = await refusal(limits.consume('join', { ip: '192.0.2.1', userId: 'u1' }));
    expect(refused.retryAfterSeconds).toBeGreaterThan(55);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.message).toMatch(/^Too many tries to join a class\. Wait (56|57|58|59|60) seconds and try again\.$/);

    // Another student at the same school address still gets in, until the address's own limit.
    await limits.consume('join', { ip: '192.0.2.1', userId: 'u2' });
    await limits.consume('join', { ip: '192.0.2.1', userId: 'u2' });
    await refusal(limits.consume('join', { ip: '192.0.2.1', userId: 'u3' }));
    await limits.consume('join', { ip: '192.0.2.99', userId: 'u3' });
    // Other actions count on their own.
    await limits.consume('save', { ip: '192.0.2.1', userId: 'u1' });
  });

  it('counts saves per user only: a whole school saving through one address is never refused for it', async () => {
    const limits = createRateLimits(database.db, { settings: { savePerUser: { points: 2, durationSeconds: 60 } } });
    await limits.consume('save', { ip: '192.0.2.30', userId: 'saver' });
    await limits.consume('save', { ip: '192.0.2.30', userId: 'saver' });
    await refusal(limits.consume('save', { ip: '192.0.2.30', userId: 'saver' }));
    for (let student = 0; student < 40; student++) {
      await limits.consume('save', { ip: '192.0.2.30', userId: `classmate-${student}` });
      await limits.consume('save', { ip: '192.0.2.30', userId: `classmate-${student}` });
    }
    const addressRows = await database.query<{ key: string }>(sql`select key from rate_limits where key like 'save%:192.0.2.30'`);
    expect(addressRows).toEqual([]);
  });

  it('shares its counts between web servers on one database', async () => {
    const settings = { sessionPerIp: { points: 4, durationSeconds: 60 } };
    const first = createRateLimits(database.db, { settings });
    // A second server: its own connection and its own limiter objects.
    const secondDatabase = database.url ? openDatabase({ url: database.url }) : null;
    const second = createRateLimits(secondDatabase?.db ?? database.db, { settings });
    try {
      await first.consume('session', { ip: '198.51.100.4' });
      await second.consume('session', { ip: '198.51.100.4' });
      await first.consume('session', { ip: '198.51.100.4' });
      await second.consume('session', { ip: '198.51.100.4' });
      await refusal(first.consume('session', { ip: '198.51.100.4' }));
      await refusal(second.consume('session', { ip: '198.51.100.4' }));
      const [row] = await database.query<{ points: number }>(sql`select points from rate_limits where key = 'session_ip:198.51.100.4'`);
      expect(row!.points).toBeGreaterThanOrEqual(4);
    } finally {
      await secondDatabase?.close();
    }
  });

  it('lets exactly the limit through when many tries arrive at once', async () => {
    const settings = { joinPerUser: { points: 10, durationSeconds: 60 }, joinPerIp: { points: 1000, durationSeconds: 60 } };
    const servers = [createRateLimits(database.db, { settings }), createRateLimits(database.db, { settings })];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => servers[i % 2]!.consume('join', { ip: '192.0.2.60', userId: 'burst' })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBe(10);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(RateLimitedError);
  });

  it('lets tries in again once the window has passed', async () => {
    const limits = createRateLimits(database.db, { settings: { runPerUser: { points: 1, durationSeconds: 1 } } });
    await limits.consume('run', { ip: '192.0.2.50', userId: 'u9' });
    await refusal(limits.consume('run', { ip: '192.0.2.50', userId: 'u9' }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await limits.consume('run', { ip: '192.0.2.50', userId: 'u9' });
  });

  it('keeps counting in memory when the database cannot answer, instead of failing every request', async () => {
    const broken = openDatabase({ dataDir: 'memory://' }); // never migrated: no rate_limits table
    try {
      const limits = createRateLimits(broken.db, { settings: { joinPerIp: { points: 2, durationSeconds: 60 }, joinPerUser: DEFAULT_RATE_LIMITS.joinPerUser } });
      await limits.consume('join', { ip: '192.0.2.77' });
      await limits.consume('join', { ip: '192.0.2.77' });
      await refusal(limits.consume('join', { ip: '192.0.2.77' }));
    } finally {
      await broken.close();
    }
  });
});

describe('where a server keeps its counts', () => {
  it('keeps them in the database on PostgreSQL, which several web servers share, and in memory behind PGlite, which has one', async () => {
    for (const kind of ['pglite', 'postgres'] as const) {
      const database = await openTestDatabase(kind);
      try {
        const limits = createRateLimits(database.db, { store: rateLimitStoreFor(kind), settings: { runPerUser: { points: 1, durationSeconds: 60 } } });
        await limits.consume('run', { ip: '192.0.2.40', userId: 'trainer' });
        await refusal(limits.consume('run', { ip: '192.0.2.40', userId: 'trainer' }));
        const [{ n }] = (await database.query<{ n: number }>(sql`select count(*)::int as n from rate_limits`)) as [{ n: number }];
        expect({ kind, rows: n }).toEqual({ kind, rows: kind === 'postgres' ? 2 : 0 });
      } finally {
        await database.destroy();
      }
    }
  });
});
