/**
 * The one way a process sets up training on its database: the queue, the runner with its
 * training processes (memory cap, heartbeats, shared-queue options on PostgreSQL) and the
 * sweep that finds runs whose machine stopped answering. Used by the web server
 * (server/main.ts, kind 'embedded') and by `layerbook worker` (external-worker.ts, kind
 * 'external'), which used to write all of this out twice.
 */
import type { OpenedDatabase } from '../../db/client';
import type { Env } from '../env';
import { createRunSink, createRunSource } from '../services/run-store';
import type { WorkerKind } from '../training/ports';
import { TrainingRunner } from '../training/runner';
import { PgJobQueue } from './pg-job-queue';
import { sharedQueueRunnerOptions } from './shared-queue';
import { databaseWorkerRegistry, recoverRunsOfLostWorkers } from './workers';

export interface TrainingSetup {
  runner: TrainingRunner;
  queue: PgJobQueue;
  /** Stops the sweep and the training processes, then closes the queue. */
  stop(): Promise<void>;
}

export interface TrainingSetupOptions {
  kind: WorkerKind;
  /** Training processes to keep running (default 1). */
  processes?: number;
  log?: { info(line: string): void; error(line: string): void };
  /** Runs once the queue's tables exist and before any job is taken (the server's recovery after a restart). */
  beforeStart?: () => Promise<void>;
}

const consoleLog = { info: (line: string) => console.log(line), error: (line: string) => console.error(line) };

export async function createTrainingRunner(database: OpenedDatabase, env: Env, options: TrainingSetupOptions): Promise<TrainingSetup> {
  const log = options.log ?? consoleLog;
  const heartbeatTimeoutS = env.LAYERBOOK_HEARTBEAT_TIMEOUT_S;
  const shared = database.kind === 'postgres';
  // pg-boss creates or upgrades its own schema here; jobs live in the database from now on.
  const queue = await PgJobQueue.open({
    database,
    connectionString: env.DATABASE_URL,
    maxRunningPerUser: env.LAYERBOOK_MAX_RUNNING_PER_USER,
    // pg-boss's upkeep runs on the web servers; a worker machine only takes jobs.
    supervise: options.kind === 'embedded',
    // A job still active well past the time limit lost its worker; pg-boss then fails it.
    expireInSeconds: env.LAYERBOOK_RUN_TIME_LIMIT_S + 600,
  });
  await options.beforeStart?.();
  const runner = new TrainingRunner({
    sink: createRunSink(database.db),
    source: createRunSource(database.db),
    backend: env.LAYERBOOK_BACKEND,
    queue,
    workerCount: options.processes ?? 1,
    workerKind: options.kind,
    registry: databaseWorkerRegistry(database.db, options.kind),
    heartbeatMs: (heartbeatTimeoutS * 1000) / 3,
    runTimeLimitSeconds: env.LAYERBOOK_RUN_TIME_LIMIT_S,
    memoryCapBytes: env.LAYERBOOK_TRAINING_MEMORY_MB * 1024 ** 2,
    // With PGlite this process is the only one; on a PostgreSQL server, workers and other web
    // servers share the queue, and a run waiting here may be trained by any of them.
    ...(shared ? { ...sharedQueueRunnerOptions(database), keepWaitingOnStop: true } : {}),
  });
  runner.start();
  // Every process that trains also looks for machines that went silent, so lost runs carry on or end even with no web server up.
  const sweep = setInterval(() => {
    recoverRunsOfLostWorkers(database.db, heartbeatTimeoutS).then(
      ({ resumed, failed }) => {
        if (resumed.length > 0) log.info(`Put ${resumed.length} run(s) whose worker stopped answering back in line, to carry on from their checkpoint.`);
        if (failed.length > 0) log.info(`Failed ${failed.length} run(s) whose worker stopped answering.`);
      },
      (error: unknown) => log.error(`Could not check for lost workers: ${error instanceof Error ? error.message : String(error)}`),
    );
  }, (heartbeatTimeoutS * 1000) / 3);
  return {
    runner,
    queue,
    async stop() {
      clearInterval(sweep);
      await runner.stop();
      await queue.close().catch(() => {});
    },
  };
}
