import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { loadEnv } from './env';
import { createServer } from './http';
import { createRunSink, failStaleRuns } from './services/runs';
import { TrainingRunner } from './training/runner';

/**
 * The one server process: it alone opens the database (PGlite is single-process), runs the
 * training runner, and serves the API and the Next pages on one port.
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dev = env.LAYERBOOK_DEV === '1';

  const database = openDatabase({ url: env.DATABASE_URL, dataDir: env.LAYERBOOK_DATA_DIR });
  console.log(`Database: ${database.kind === 'pglite' ? `built-in (PGlite) in ${env.LAYERBOOK_DATA_DIR}` : 'PostgreSQL server'}`);
  await migrateDatabase(database);
  const stale = await failStaleRuns(database.db);
  if (stale > 0) console.log(`Marked ${stale} unfinished training run(s) from before the restart as failed.`);

  const runner = new TrainingRunner({ sink: createRunSink(database.db), backend: env.LAYERBOOK_BACKEND });
  await runner.start();

  const app = next({ dev, dir: root, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const server = createServer({ database, runner, maxParams: env.LAYERBOOK_MAX_PARAMS, nextHandler: app.getRequestHandler() });
  if (dev) server.on('upgrade', app.getUpgradeHandler());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.PORT, env.HOST, resolve);
  });
  console.log(`Layerbook is running at http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: stopping.`);
    // Long-lived progress streams would keep close() waiting forever.
    server.closeAllConnections();
    await Promise.allSettled([new Promise((resolve) => server.close(resolve)), runner.stop(), app.close()]);
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
