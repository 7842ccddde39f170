import { hostname } from 'node:os';
import { openDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { loadEnv } from '../env';
import { createTrainingRunner } from './training-runner';

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
  const training = await createTrainingRunner(database, env, {
    kind: 'external',
    processes: options.processes ?? 1,
    log: { info: (line) => io.stdout.write(`${line}\n`), error: (line) => io.stderr.write(`${line}\n`) },
  });
  const { runner } = training;

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
  await training.stop();
  await database.close();
  return 0;
}
