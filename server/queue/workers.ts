import { hostname } from 'node:os';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { runCheckpoints, runs, workers } from '../../db/schema';
import type { RunEvent } from '../training/protocol';
import { resumedNote } from '../training/failures';
import type { WorkerKind, WorkerRegistry } from '../training/ports';
import { QUEUE_SCHEMA, TRAINING_QUEUE } from './pg-job-queue';
import { RUN_EVENTS_CHANNEL } from './run-events-channel';

/** What a student reads when the server restarted before their run finished. */
export const STALE_RUN_MESSAGE =
  'The server restarted before this training finished, so it was stopped. Press Train to run it again.';

/** What a student reads when the machine training their run disappears. */
export const WORKER_LOST_MESSAGE =
  'The computer that was training this run stopped answering, so the run was stopped. ' +
  'Your notebook is safe. Press Train to run it again.';

/** When it happens again to the same run: a run that loses two machines is more likely the cause than the victim. */
export const WORKER_LOST_TWICE_MESSAGE =
  'The computers training this run stopped answering twice, so the run was stopped. ' +
  'Your notebook is safe. Press Train to run it again; if it happens again, make the model smaller.';


export interface WorkerSummary {
  id: string;
  hostname: string;
  pid: number;
  kind: WorkerKind;
  backend: string;
  busy: boolean;
  /** Seconds since the worker last said it was alive. */
  lastSeenSeconds: number;
}


export function databaseWorkerRegistry(db: Database, kind: WorkerKind): WorkerRegistry {
  return {
    async register({ id, pid, backend }) {
      const values = { hostname: hostname(), pid, kind, backend, runId: null, heartbeatAt: sql`now()` };
      await db
        .insert(workers)
        .values({ id, ...values })
        .onConflictDoUpdate({ target: workers.id, set: { ...values, startedAt: sql`now()` } });
    },
    async beat(beats) {
      for (const { id, runId } of beats) {
        await db.update(workers).set({ heartbeatAt: sql`now()`, runId }).where(eq(workers.id, id));
      }
    },
    async remove(id) {
      await db.delete(workers).where(eq(workers.id, id));
    },
  };
}

/** Workers that beat within the timeout, oldest first. */
export async function liveWorkers(db: Database, timeoutSeconds: number): Promise<WorkerSummary[]> {
  const rows = await db
    .select({
      id: workers.id,
      hostname: workers.hostname,
      pid: workers.pid,
      kind: workers.kind,
      backend: workers.backend,
      runId: workers.runId,
      lastSeenSeconds: sql<number>`extract(epoch from now() - ${workers.heartbeatAt})::float8`,
    })
    .from(workers)
    .where(gte(workers.heartbeatAt, sql`now() - make_interval(secs => ${timeoutSeconds})`))
    .orderBy(workers.startedAt, workers.id);
  return rows.map(({ runId, lastSeenSeconds, ...w }) => ({ ...w, busy: runId !== null, lastSeenSeconds: Number(lastSeenSeconds) }));
}

/**
 * Deals with every running run whose worker has not beaten within the timeout (killed, its
 * machine switched off, the network gone), then forgets those workers. A run that saved a
 * checkpoint and was not resumed before goes back in the queue, first in its owner's line,
 * to carry on from that checkpoint on whichever worker takes it (see TrainingRunner); any
 * other is failed, saying why. Only runs and the queue change: notebooks are never touched.
 * Safe to run from every server and worker at once: each run is claimed under a row lock.
 */
export async function recoverRunsOfLostWorkers(db: Database, timeoutSeconds: number): Promise<{ resumed: string[]; failed: string[] }> {
  const stale = sql`now() - make_interval(secs => ${timeoutSeconds})`;
  const lost = await db
    .select({ id: runs.id, workerId: runs.workerId })
    .from(runs)
    .where(
      and(
        eq(runs.status, 'running'),
        sql`${runs.workerId} is not null`,
        sql`not exists (select 1 from ${workers} w where w.id = ${runs.workerId} and w.heartbeat_at >= ${stale})`,
      ),
    );
  const resumed: string[] = [];
  const failed: string[] = [];
  const queueExists = lost.length > 0 && (await hasTrainingQueue(db));
  for (const run of lost) {
    const outcome = await db.transaction(async (tx) => {
      // Claimed under a lock, so of two sweepers at the same moment only one acts.
      const [claimed] = await tx
        .select({ id: runs.id })
        .from(runs)
        .where(and(eq(runs.id, run.id), eq(runs.status, 'running'), eq(runs.workerId, run.workerId!)))
        .for('update');
      if (!claimed) return null;
      const [checkpoint] = await tx.select({ epoch: runCheckpoints.epoch }).from(runCheckpoints).where(eq(runCheckpoints.runId, run.id));
      const job = queueExists ? await activeJob(tx, run.id) : null;
      if (checkpoint && job && job.retryCount === 0) {
        await tx.execute(sql`
          update ${sql.identifier(QUEUE_SCHEMA)}.job
          set state = 'retry', started_on = null, retry_count = retry_count + 1,
            data = data || ${JSON.stringify({ resumeFromStoredCheckpoint: true })}::jsonb
          where name = ${TRAINING_QUEUE} and id = ${run.id}::uuid`);
        const note = resumedNote(checkpoint.epoch + 1);
        await tx
          .update(runs)
          .set({ status: 'queued', workerId: null, notes: sql`${runs.notes} || jsonb_build_array(${note}::text)` })
          .where(eq(runs.id, run.id));
        await announce(tx, run.id, [{ type: 'note', text: note }, { type: 'status', status: 'queued' }]);
        return 'resumed' as const;
      }
      const message = job && job.retryCount > 0 ? WORKER_LOST_TWICE_MESSAGE : WORKER_LOST_MESSAGE;
      await tx.update(runs).set({ status: 'failed', error: message, finishedAt: sql`now()` }).where(eq(runs.id, run.id));
      await announce(tx, run.id, [{ type: 'status', status: 'failed', message }]);
      return 'failed' as const;
    });
    if (outcome === 'resumed') resumed.push(run.id);
    else if (outcome === 'failed') failed.push(run.id);
  }
  const gone = await db
    .select({ id: workers.id })
    .from(workers)
    .where(sql`${workers.heartbeatAt} < ${stale}`);
  if (gone.length > 0) await db.delete(workers).where(inArray(workers.id, gone.map((w) => w.id)));
  return { resumed, failed };
}

/**
 * A server on the built-in database starting again: no process from before is alive, while
 * the queue kept its jobs in the database. So waiting runs keep their place in line, a run
 * that was training carries on from its checkpoint (or fails, saying why) exactly as when
 * its worker is lost, and a run whose job never reached the queue fails instead of waiting
 * for ever. Call after the queue is open and before this process trains anything.
 */
export async function recoverAfterRestart(db: Database): Promise<{ resumed: string[]; failed: string[] }> {
  const { resumed, failed } = await recoverRunsOfLostWorkers(db, 0);
  const jobWaiting = sql`exists (select 1 from ${sql.identifier(QUEUE_SCHEMA)}.job j
    where j.name = ${TRAINING_QUEUE} and j.id = ${runs.id} and j.state in ('created', 'retry'))`;
  const stranded = await db
    .update(runs)
    .set({ status: 'failed', error: STALE_RUN_MESSAGE, finishedAt: sql`now()` })
    .where(and(inArray(runs.status, ['queued', 'running']), (await hasTrainingQueue(db)) ? sql`not ${jobWaiting}` : undefined))
    .returning({ id: runs.id });
  return { resumed, failed: [...failed, ...stranded.map((r) => r.id)] };
}

type Executor = Pick<Database, 'execute'>;

function rowsOf(result: unknown): Array<Record<string, unknown>> {
  return (Array.isArray(result) ? result : (result as { rows: Array<Record<string, unknown>> }).rows) ?? [];
}

/** pg-boss creates its schema when a queue first opens; a database without it has no jobs to put back. */
async function hasTrainingQueue(db: Executor): Promise<boolean> {
  const [row] = rowsOf(await db.execute(sql`select to_regclass(${`${QUEUE_SCHEMA}.job`}) is not null as present`));
  return row?.present === true;
}

/** The run's job while a worker holds it, locked for the rest of the transaction. */
async function activeJob(tx: Executor, runId: string): Promise<{ retryCount: number } | null> {
  const [row] = rowsOf(
    await tx.execute(sql`
      select retry_count from ${sql.identifier(QUEUE_SCHEMA)}.job
      where name = ${TRAINING_QUEUE} and id = ${runId}::uuid and state = 'active'
      for update`),
  );
  return row ? { retryCount: Number(row.retry_count) } : null;
}

/** Tells whichever web server holds the student's page, as a worker's own events do (run-events-channel.ts). */
async function announce(tx: Executor, runId: string, events: RunEvent[]): Promise<void> {
  for (const event of events) {
    await tx.execute(sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${JSON.stringify({ runId, event })})`);
  }
}
