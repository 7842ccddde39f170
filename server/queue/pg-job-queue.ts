import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import type { OpenedDatabase } from '../../db/client';
import type { JobOutcome, JobQueue, QueueLimits } from '../training/job-queue';
import type { TrainJob } from '../training/protocol';
import { readQueuedJob } from '../training/queued-job';
import { pickNext, queuePositions, type OwnerLoad, type WaitingJob } from '../training/fair-order';

/** The pg-boss queue all training jobs go through, on every web server and worker machine. */
export const TRAINING_QUEUE = 'training';
/** pg-boss keeps its own tables (and migrates them itself) in this schema. */
export const QUEUE_SCHEMA = 'pgboss';
/** Makes concurrent takes one-at-a-time, so two workers never both see "this user runs nothing". */
const TAKE_LOCK_KEY = 72_617_202;

/** The whole job travels (whatever fields TrainJob grows), plus whose it is for the turn-taking. */
type JobData = TrainJob & { ownerId: string };

export interface PgJobQueueOptions extends QueueLimits {
  database: OpenedDatabase;
  /**
   * The postgres:// URL of `database` when it is a real server: pg-boss then opens its own
   * small pool. With PGlite (no URL) pg-boss runs its SQL through the one embedded client.
   */
  connectionString?: string;
  /**
   * pg-boss maintenance in this process: failing jobs whose worker vanished (expiry) and
   * archiving old jobs. Off in tests, whose timers would outlive them.
   */
  supervise?: boolean;
  /** pg-boss fails a job still active this long after it started: the time limit plus a margin. */
  expireInSeconds?: number;
}

/**
 * Training jobs in PostgreSQL through pg-boss. pg-boss owns the schema, inserting, finishing
 * and expiring jobs; taking one is ours, because pg-boss 10 only knows priority order and
 * students must take turns (server/training/fair-order.ts) with a limit on runs per user. The take uses the
 * same state change as pg-boss's own fetch (state → active, started_on), so its maintenance
 * and monitoring treat our jobs like any other. A job's id is its run's id.
 */
export class PgJobQueue implements JobQueue {
  private constructor(
    private readonly boss: PgBoss,
    private readonly database: OpenedDatabase,
    private readonly limits: QueueLimits,
    private readonly expireInSeconds: number,
  ) {}

  /** Creates or upgrades pg-boss's schema and the training queue, then starts pg-boss. */
  static async open(options: PgJobQueueOptions): Promise<PgJobQueue> {
    const { database } = options;
    const common = { schema: QUEUE_SCHEMA, supervise: options.supervise ?? false, schedule: false, migrate: true };
    const boss =
      database.kind === 'pglite'
        ? new PgBoss({ ...common, db: { executeSql: pgliteExecutor(database) } })
        : new PgBoss({ ...common, connectionString: requireUrl(options.connectionString), max: 3 });
    boss.on('error', (error) => console.error('[queue] pg-boss:', error));
    await boss.start();
    if (!(await boss.getQueue(TRAINING_QUEUE))) {
      // Another server starting at the same moment may create it first; either way it exists after.
      await boss.createQueue(TRAINING_QUEUE, { name: TRAINING_QUEUE, retryLimit: 0 }).catch(async (error) => {
        if (!(await boss.getQueue(TRAINING_QUEUE))) throw error;
      });
    }
    return new PgJobQueue(boss, database, options, options.expireInSeconds ?? 2 * 60 * 60);
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, timeout: 1000 });
  }

  async push(job: TrainJob, ownerId: string): Promise<number> {
    const data: JobData = { ...job, ownerId };
    // A crashed run is not retried on its own: the student decides whether to train again.
    await this.boss.send(TRAINING_QUEUE, data, { id: job.runId, retryLimit: 0, expireInSeconds: this.expireInSeconds });
    const position = (await this.positions()).get(job.runId);
    if (position === undefined) throw new Error(`Run ${job.runId} was not found in the queue right after it was added.`);
    return position;
  }

  async take(): Promise<TrainJob | undefined> {
    return this.database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${TAKE_LOCK_KEY})`);
      const run = (query: SQL) => tx.execute(query).then(rowsOf);
      // Jobs of runs that ended elsewhere (a restart, a cancel that missed the queue) must
      // neither wait in line nor count as their owner's running job.
      await run(sql`
        update ${sql.identifier(QUEUE_SCHEMA)}.job j
        set state = 'cancelled', completed_on = now()
        where j.name = ${TRAINING_QUEUE} and j.state < 'completed'
          and exists (select 1 from runs r where r.id = j.id and r.status in ('succeeded', 'failed', 'cancelled'))`);
      for (;;) {
        const { waiting, loads } = await readLine(run);
        const next = pickNext(waiting, loads, this.limits.maxRunningPerUser);
        if (!next) return undefined;
        const [row] = await run(sql`
          update ${sql.identifier(QUEUE_SCHEMA)}.job
          set state = 'active', started_on = now()
          where name = ${TRAINING_QUEUE} and id = ${next.runId}::uuid and state in ('created', 'retry')
          returning data`);
        if (!row) return undefined;
        const { ownerId: _ownerId, ...data } = parseJson<JobData>(row.data);
        const reading = readQueuedJob(data);
        if ('job' in reading) return reading.job;
        // A job no version since can train ends here, with words for its owner, and the line moves on.
        await run(sql`
          update ${sql.identifier(QUEUE_SCHEMA)}.job set state = 'failed', completed_on = now()
          where name = ${TRAINING_QUEUE} and id = ${reading.runId}::uuid`);
        await run(sql`
          update runs set status = 'failed', error = ${reading.refused}, finished_at = now()
          where id = ${reading.runId}::uuid and status in ('queued', 'running')`);
      }
    });
  }

  async remove(runId: string): Promise<boolean> {
    const rows = await this.database.query(sql`
      update ${sql.identifier(QUEUE_SCHEMA)}.job
      set state = 'cancelled', completed_on = now()
      where name = ${TRAINING_QUEUE} and id = ${runId}::uuid and state in ('created', 'retry')
      returning id`);
    return rows.length > 0;
  }

  async release(runId: string, outcome: JobOutcome): Promise<void> {
    if (outcome === 'completed') await this.boss.complete(TRAINING_QUEUE, runId);
    else if (outcome === 'failed') await this.boss.fail(TRAINING_QUEUE, runId);
    else await this.boss.cancel(TRAINING_QUEUE, runId);
  }

  async putBack(job: TrainJob): Promise<void> {
    // Its created_on is unchanged, so it keeps its place in line.
    await this.database.query(sql`
      update ${sql.identifier(QUEUE_SCHEMA)}.job
      set state = 'created', started_on = null
      where name = ${TRAINING_QUEUE} and id = ${job.runId}::uuid and state = 'active'`);
  }

  async positions(): Promise<Map<string, number>> {
    const { waiting, loads } = await readLine((query) => this.database.query(query));
    return queuePositions(waiting, loads);
  }

  /** Jobs training now (pg-boss state active), by run id: what a restart or a lost worker leaves behind. */
  async activeRunIds(): Promise<string[]> {
    const rows = await this.database.query<{ id: string }>(sql`
      select id::text as id from ${sql.identifier(QUEUE_SCHEMA)}.job where name = ${TRAINING_QUEUE} and state = 'active'`);
    return rows.map((r) => r.id);
  }
}

type Rows = Array<Record<string, unknown>>;

/**
 * The waiting jobs, and for each of their owners how many jobs are training and when one
 * last started. Jobs whose run is no longer queued (cancelled while the job stayed behind)
 * are left out, so they never hold a place in line.
 */
async function readLine(run: (query: SQL) => Promise<Rows>): Promise<{ waiting: WaitingJob[]; loads: Map<string, OwnerLoad> }> {
  const job = sql`${sql.identifier(QUEUE_SCHEMA)}.job`;
  const waitingRows = await run(sql`
    select j.id::text as run_id, j.data->>'ownerId' as owner_id, extract(epoch from j.created_on)::float8 * 1000 as queued_at
    from ${job} j
    where j.name = ${TRAINING_QUEUE} and j.state in ('created', 'retry')
      and not exists (select 1 from runs r where r.id = j.id and r.status <> 'queued')`);
  const waiting: WaitingJob[] = waitingRows.map((r) => ({
    runId: String(r.run_id),
    ownerId: String(r.owner_id),
    queuedAt: Number(r.queued_at),
  }));
  const loads = new Map<string, OwnerLoad>();
  const owners = [...new Set(waiting.map((w) => w.ownerId))];
  if (owners.length === 0) return { waiting, loads };
  const loadRows = await run(sql`
    select data->>'ownerId' as owner_id,
      (count(*) filter (where state = 'active'))::int as running,
      (extract(epoch from max(started_on))::float8 * 1000) as last_started_at
    from ${job}
    where name = ${TRAINING_QUEUE} and started_on is not null
      and data->>'ownerId' in (${sql.join(owners.map((o) => sql`${o}`), sql`, `)})
    group by 1`);
  for (const r of loadRows) {
    loads.set(String(r.owner_id), {
      running: Number(r.running),
      lastStartedAt: r.last_started_at === null ? null : Number(r.last_started_at),
    });
  }
  return { waiting, loads };
}

/** pg-boss's database hook on PGlite: its migrations are multi-statement scripts, which only `exec` runs. */
function pgliteExecutor(database: OpenedDatabase) {
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return async (text: string, values?: unknown[]) => {
    if (values && values.length > 0) {
      const result = await client.query(text, values);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    }
    const results = await client.exec(text);
    const last = results.at(-1);
    return { rows: last?.rows ?? [], rowCount: last?.affectedRows ?? 0 };
  };
}

function rowsOf(result: unknown): Rows {
  return (Array.isArray(result) ? result : (result as { rows: Rows }).rows) as Rows;
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function requireUrl(url: string | undefined): string {
  if (!url) throw new Error('The job queue needs the PostgreSQL URL (DATABASE_URL) when the database is a PostgreSQL server.');
  return url;
}
