import { hostname } from 'node:os';
import { openDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { loadEnv } from '../env';
import { createRunSink, createRunSource } from '../services/runs';
import { TrainingRunner } from '../training/runner';
import { PgJobQueue } from './pg-job-queue';
import { sharedQueueRunnerOptions } from './shared-queue';
import { databaseWorkerRegistry, recoverRunsOfLostWorkers } from './workers';

export interface WorkerIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const NEEDS_DATABASE_URL_MESSAGE =
  'layerbook worker trains runs for a Layerbook server, so it needs that server\'s PostgreSQL database. ' +
  'Set DATABASE_URL to the same postgres:// address the web server uses, for example:\n' +
  '  DATABASE_URL=postgres://layerbook:secret@school-server:5432/layerbook npx layerbook worker\n' +
  '(The built-in database of `npm start` cannot be shared with other machines.)';

/**
 * `layerbook worker`: training processes on this machine that take jobs from the shared
 * PostgreSQL queue, write progress to the database (runs, run_metrics, checkpoints) and
 * announce each event with pg_notify for whichever web server holds the student's page.
 * Resolves with an exit code once stopped (SIGINT/SIGTERM, or `signal`).
 */
export async function runWorker(
  io: WorkerIo,
  options: { processes?: number; signal?: AbortSignal; source?: Readonly<Record<string, string | undefined>> } = {},
): Promise<number> {
  const env = loadEnv(options.source ?? process.env);
  if (!env.DATABASE_URL) {
    io.stderr.write(`${NEEDS_DATABASE_URL_MESSAGE}\n`);
    return 2;
  }
  const database = openDatabase({ url: env.DATABASE_URL });
  await migrateDatabase(database);
  const queue = await PgJobQueue.open({
    database,
    connectionString: env.DATABASE_URL,
    maxRunningPerUser: env.LAYERBOOK_MAX_RUNNING_PER_USER,
    expireInSeconds: env.LAYERBOOK_RUN_TIME_LIMIT_S + 600,
  });
  const heartbeatTimeoutS = env.LAYERBOOK_HEARTBEAT_TIMEOUT_S;
  const runner = new TrainingRunner({
    sink: createRunSink(database.db),
    source: createRunSource(database.db),
    backend: env.LAYERBOOK_BACKEND,
    queue,
    workerCount: options.processes ?? 1,
    workerKind: 'external',
    registry: databaseWorkerRegistry(database.db, 'external'),
    heartbeatMs: (heartbeatTimeoutS * 1000) / 3,
    runTimeLimitSeconds: env.LAYERBOOK_RUN_TIME_LIMIT_S,
    ...sharedQueueRunnerOptions(database),
  });
  runner.start();
  // Every worker also looks for machines that went silent, so lost runs carry on or end even with no web server up.
  const sweep = setInterval(() => {
    recoverRunsOfLostWorkers(database.db, heartbeatTimeoutS).catch((error) =>
      io.stderr.write(`Could not check for lost workers: ${(error as Error).message}\n`),
    );
  }, (heartbeatTimeoutS * 1000) / 3);

  const where = new URL(env.DATABASE_URL);
  io.stdout.write(`Layerbook worker on ${hostname()}: starting the training process…\n`);
  const announce = setInterval(async () => {
    const health = await runner.health().catch(() => null);
    if (!health?.backend) return;
    clearInterval(announce);
    const kind = health.backend.includes('gpu') ? 'GPU' : 'CPU';
    io.stdout.write(`Training on ${kind} (TF.js backend: ${health.backend}). Taking jobs from ${where.host}${where.pathname}.\n`);
  }, 200);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    options.signal?.addEventListener('abort', stop, { once: true });
  });
  io.stdout.write('Stopping the worker…\n');
  clearInterval(announce);
  clearInterval(sweep);
  await runner.stop();
  await queue.close().catch(() => {});
  await database.close();
  return 0;
}
