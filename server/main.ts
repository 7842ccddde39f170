import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { loadEnv } from './env';
import { createServer } from './http';
import { createRunSink, createRunSource } from './services/runs';
import { PgJobQueue } from './queue/pg-job-queue';
import { listenForRunEvents } from './queue/run-events-channel';
import { sharedQueueRunnerOptions } from './queue/shared-queue';
import { databaseWorkerRegistry, liveWorkers, recoverAfterRestart, recoverRunsOfLostWorkers } from './queue/workers';
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
  const heartbeatTimeoutS = env.LAYERBOOK_HEARTBEAT_TIMEOUT_S;

  // pg-boss creates or upgrades its own schema here; jobs live in the database from now on.
  const queue = await PgJobQueue.open({
    database,
    connectionString: env.DATABASE_URL,
    maxRunningPerUser: env.LAYERBOOK_MAX_RUNNING_PER_USER,
    supervise: true,
    // A job still active well past the time limit lost its worker; pg-boss then fails it.
    expireInSeconds: env.LAYERBOOK_RUN_TIME_LIMIT_S + 600,
  });
  // The built-in database has one server, so nothing that trained before this start is alive.
  // On a PostgreSQL server other machines may still be training; lost workers are found by heartbeat.
  if (database.kind === 'pglite') {
    const { resumed, failed } = await recoverAfterRestart(database.db);
    if (resumed.length > 0) console.log(`${resumed.length} run(s) from before the restart will carry on from their checkpoint.`);
    if (failed.length > 0) console.log(`Marked ${failed.length} run(s) from before the restart that cannot carry on as failed.`);
  }
  const runner = new TrainingRunner({
    sink: createRunSink(database.db),
    source: createRunSource(database.db),
    backend: env.LAYERBOOK_BACKEND,
    queue,
    runTimeLimitSeconds: env.LAYERBOOK_RUN_TIME_LIMIT_S,
    registry: databaseWorkerRegistry(database.db, 'embedded'),
    heartbeatMs: (heartbeatTimeoutS * 1000) / 3,
    // With PGlite this process is the only one; on a PostgreSQL server, workers and other web
    // servers share the queue, and progress of their runs arrives by LISTEN/NOTIFY.
    ...(database.kind === 'postgres' ? { ...sharedQueueRunnerOptions(database), keepWaitingOnStop: true } : {}),
  });
  runner.start();
  const stopListening =
    database.kind === 'postgres'
      ? await listenForRunEvents(database, (runId, event) => {
          if (!runner.owns(runId)) runner.relay(runId, event);
        })
      : null;
  const sweep = setInterval(() => {
    recoverRunsOfLostWorkers(database.db, heartbeatTimeoutS).then(
      ({ resumed, failed }) => {
        if (resumed.length > 0) console.log(`Put ${resumed.length} run(s) whose worker stopped answering back in line, to carry on from their checkpoint.`);
        if (failed.length > 0) console.log(`Failed ${failed.length} run(s) whose worker stopped answering.`);
      },
      (error) => console.error('[training] could not check for lost workers:', error),
    );
  }, (heartbeatTimeoutS * 1000) / 3);

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
    listWorkers: () => liveWorkers(database.db, heartbeatTimeoutS),
    nextHandler: app.getRequestHandler(),
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
    clearInterval(sweep);
    await Promise.allSettled([new Promise((resolve) => server.close(resolve)), runner.stop(), app.close()]);
    await stopListening?.().catch(() => {});
    await queue.close().catch(() => {});
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
