import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { loadEnv, rateLimitSettings } from './env';
import { createServer } from './http';
import { createRateLimits, rateLimitStoreFor } from './rate-limit/limiter';
import { startExpiredSessionSweep } from './services/sessions';
import { listenForRunEvents } from './queue/run-events-channel';
import { createTrainingRunner } from './queue/training-runner';
import { liveWorkers, recoverAfterRestart } from './queue/workers';

/** Expired sessions only take space (they log nobody in), so once an hour is enough. */
const EXPIRED_SESSION_SWEEP_MS = 60 * 60 * 1000;

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
  const heartbeatTimeoutS = env.LAYERBOOK_HEARTBEAT_TIMEOUT_S;

  const training = await createTrainingRunner(database, env, {
    kind: 'embedded',
    // The built-in database has one server, so nothing that trained before this start is alive.
    // On a PostgreSQL server other machines may still be training; lost workers are found by heartbeat.
    beforeStart: async () => {
      if (database.kind !== 'pglite') return;
      const { resumed, failed } = await recoverAfterRestart(database.db);
      if (resumed.length > 0) console.log(`${resumed.length} run(s) from before the restart will carry on from their checkpoint.`);
      if (failed.length > 0) console.log(`Marked ${failed.length} run(s) from before the restart that cannot carry on as failed.`);
    },
  });
  const { runner } = training;
  const stopListening =
    database.kind === 'postgres'
      ? await listenForRunEvents(database, (runId, event) => {
          if (!runner.owns(runId)) runner.relay(runId, event);
        })
      : null;

  const stopSessionSweep = startExpiredSessionSweep(database.db, EXPIRED_SESSION_SWEEP_MS);

  const app = next({ dev, dir: root, hostname: env.HOST, port: env.PORT });
  await app.prepare();
  const server = createServer({
    database,
    runner,
    maxParams: env.LAYERBOOK_MAX_PARAMS,
    maxQueuedPerUser: env.LAYERBOOK_MAX_QUEUED_PER_USER,
    notebookLimits: {
      maxCells: env.LAYERBOOK_MAX_CELLS,
      maxCellBytes: env.LAYERBOOK_MAX_CELL_BYTES,
      maxWorkspaceDepth: env.LAYERBOOK_MAX_WORKSPACE_DEPTH,
      maxWorkspaceBlocks: env.LAYERBOOK_MAX_WORKSPACE_BLOCKS,
    },
    maxUploadBytes: env.LAYERBOOK_MAX_UPLOAD_BYTES,
    maxIdxUploadBytes: env.LAYERBOOK_MAX_IDX_UPLOAD_BYTES,
    maxUploadPixels: env.LAYERBOOK_MAX_UPLOAD_PIXELS,
    maxApiBodyBytes: env.LAYERBOOK_MAX_API_BODY_BYTES,
    allowedOrigins: env.LAYERBOOK_ORIGIN,
    trustProxy: env.LAYERBOOK_TRUST_PROXY,
    authSecret: env.LAYERBOOK_AUTH_SECRET,
    dev,
    listWorkers: () => liveWorkers(database.db, heartbeatTimeoutS),
    nextHandler: app.getRequestHandler(),
    rateLimits: createRateLimits(database.db, { settings: rateLimitSettings(env), store: rateLimitStoreFor(database.kind) }),
  });
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
    stopSessionSweep();
    await Promise.allSettled([new Promise((resolve) => server.close(resolve)), training.stop(), app.close()]);
    await stopListening?.().catch(() => {});
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
