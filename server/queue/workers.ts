import { hostname } from 'node:os';
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { runs, workers } from '../../db/schema';

/** What a student reads when the machine training their run disappears. */
export const WORKER_LOST_MESSAGE =
  'The computer that was training this run stopped answering, so the run was stopped. ' +
  'Your notebook is safe. Press Train to run it again.';

export const DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 30;

export type WorkerKind = 'embedded' | 'external';

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

/** A worker id that tells an operator where to look: the machine, the process and the kind. */
export function workerId(kind: WorkerKind, pid: number): string {
  return `${kind}:${hostname()}:${pid}`;
}

/** The workers table, used by whatever owns training processes (a web server, `layerbook worker`). */
export interface WorkerRegistry {
  register(worker: { id: string; pid: number; backend: string }): Promise<void>;
  /** Says these workers are alive, and which run each is training. */
  beat(beats: ReadonlyArray<{ id: string; runId: string | null }>): Promise<void>;
  remove(id: string): Promise<void>;
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
 * Fails every running run whose worker has not beaten within the timeout (killed, its
 * machine switched off, the network gone), then forgets those workers. Only the runs table
 * changes: notebooks are never touched. The queue drops the runs' jobs on its next take.
 * Returns the failed runs' ids.
 */
export async function failRunsOfLostWorkers(db: Database, timeoutSeconds: number): Promise<string[]> {
  const stale = sql`now() - make_interval(secs => ${timeoutSeconds})`;
  const failed = await db
    .update(runs)
    .set({ status: 'failed', error: WORKER_LOST_MESSAGE, finishedAt: sql`now()` })
    .where(
      and(
        eq(runs.status, 'running'),
        sql`${runs.workerId} is not null`,
        sql`not exists (select 1 from ${workers} w where w.id = ${runs.workerId} and w.heartbeat_at >= ${stale})`,
      ),
    )
    .returning({ id: runs.id });
  const lost = await db
    .select({ id: workers.id })
    .from(workers)
    .where(sql`${workers.heartbeatAt} < ${stale}`);
  if (lost.length > 0) await db.delete(workers).where(inArray(workers.id, lost.map((w) => w.id)));
  return failed.map((r) => r.id);
}
