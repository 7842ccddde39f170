import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { migrateDatabase } from './migrate';
import { openTestDatabase, type TestDatabase } from '../testing/database';

const kinds = [
  { kind: 'pglite' as const },
  { kind: 'postgres' as const },
];

describe.each(kinds)('migrations on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('creates every table, and running them again changes nothing', async () => {
    const tables = async () =>
      (
        await database.query<{ table_name: string }>(
          sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
        )
      ).map((r) => r.table_name);
    expect(await tables()).toEqual(['assignments', 'auth_accounts', 'auth_sessions', 'auth_verifications', 'class_members', 'classes', 'dataset_chunks', 'dataset_shares', 'datasets', 'feedback_comments', 'notebooks', 'rate_limits', 'run_checkpoints', 'run_metrics', 'run_weights', 'runs', 'sessions', 'site_settings', 'submission_feedback', 'submission_weights', 'submissions', 'users', 'workers']);
    await migrateDatabase(database);
    expect(await tables()).toEqual(['assignments', 'auth_accounts', 'auth_sessions', 'auth_verifications', 'class_members', 'classes', 'dataset_chunks', 'dataset_shares', 'datasets', 'feedback_comments', 'notebooks', 'rate_limits', 'run_checkpoints', 'run_metrics', 'run_weights', 'runs', 'sessions', 'site_settings', 'submission_feedback', 'submission_weights', 'submissions', 'users', 'workers']);
    expect(await database.ping()).toBe(true);
  });

  it('stores dataset numbers and weights uncompressed, so a big import never waits on the compressor', async () => {
    const rows = await database.query<{ column: string; storage: string }>(
      sql`select c.relname || '.' || a.attname as column, a.attstorage as storage
          from pg_attribute a join pg_class c on c.oid = a.attrelid
          where c.relname in ('dataset_chunks', 'run_weights', 'run_checkpoints', 'submission_weights') and a.atttypid = 'bytea'::regtype
          order by 1`,
    );
    expect(rows).toEqual([
      { column: 'dataset_chunks.features', storage: 'e' },
      { column: 'dataset_chunks.labels', storage: 'e' },
      { column: 'run_checkpoints.optimizer_data', storage: 'e' },
      { column: 'run_checkpoints.weight_data', storage: 'e' },
      { column: 'run_weights.weight_data', storage: 'e' },
      { column: 'submission_weights.weight_data', storage: 'e' },
    ]);
  });
});

describe('migrations on a shared PostgreSQL server', () => {
  it('two servers starting at the same time both come up', async () => {
    const fresh = await openTestDatabase('postgres', { migrate: false });
    const second = openDatabase({ url: fresh.url! });
    try {
      await Promise.all([migrateDatabase(fresh), migrateDatabase(second)]);
      const [row] = await fresh.query<{ n: number }>(
        sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
      );
      expect(row!.n).toBe(23);
    } finally {
      await second.close();
      await fresh.destroy();
    }
  });
});
