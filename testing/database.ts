import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DatabaseKind, type OpenedDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';

/**
 * Test databases: an in-memory PGlite, or a fresh database on a real PostgreSQL server
 * (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) that is created
 * for this test run only and dropped afterwards, so runs never see each other's rows.
 * Database suites always run on both: when no server runs, vitest's global setup
 * (testing/postgres-server.ts) starts a throwaway one, and a TEST_DATABASE_URL that does not
 * answer fails them, saying how to start it, rather than quietly testing less.
 */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends OpenedDatabase {
  /** Where a real server's test database is, for tests that open a second connection. */
  url: string | null;
  /** Closes the connection and, on a real server, drops the database. */
  destroy(): Promise<void>;
}

export async function isPostgresReachable(url = TEST_SERVER_URL): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (kind === 'pglite') {
    const database = openDatabase({ dataDir: 'memory://' });
    if (migrate) await migrateDatabase(database);
    return { ...database, url: null, destroy: () => database.close() };
  }

  const name = `lb_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(TEST_SERVER_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    throw new Error(
      `Cannot create a test database on ${TEST_SERVER_URL}: ${(error as Error).message}. ` +
        'Start PostgreSQL (pg_ctlcluster 15 main start), set TEST_DATABASE_URL to a server that runs, ' +
          'or set TEST_EMBEDDED_POSTGRES=1 to test on a throwaway server.',
    );
  }
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  const database = openDatabase({ url: url.toString() });
  try {
    if (migrate) await migrateDatabase(database);
  } catch (error) {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 1 });
    throw error;
  }
  return {
    ...database,
    url: url.toString(),
    async destroy() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}
