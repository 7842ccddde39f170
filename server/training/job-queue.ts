import { pickNext, queuePositions, type OwnerLoad, type WaitingJob } from './fair-order';
import type { TrainJob } from './protocol';

/** How a job left the queue's hands once it was taken. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled';

/**
 * The waiting line of training jobs. TrainingRunner only talks to this interface: the
 * in-memory line (tests, tools) and the PostgreSQL one (server/queue, pg-boss) are swappable.
 * Every queue hands jobs out in the fair order of ./fair-order.ts.
 */
export interface JobQueue {
  /** Adds a job for its owner; returns how many jobs are ahead of it. */
  push(job: TrainJob, ownerId: string): Promise<number>;
  /** Takes the next job in fair order whose owner is under the running limit, if any. */
  take(): Promise<TrainJob | undefined>;
  /** Takes a waiting job out of the line; false when it is not waiting. */
  remove(runId: string): Promise<boolean>;
  /** A taken job has ended; its owner may have another one trained. */
  release(runId: string, outcome: JobOutcome): Promise<void>;
  /** A job taken by a server that stopped before it could train it goes back in line, in its old place. */
  putBack(job: TrainJob): Promise<void>;
  /** How many jobs are ahead of each waiting job, keyed by run id. */
  positions(): Promise<Map<string, number>>;
}

export interface QueueLimits {
  /** Runs of one user trained at the same time (LAYERBOOK_MAX_RUNNING_PER_USER). */
  maxRunningPerUser: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = { maxRunningPerUser: 1 };

export class MemoryJobQueue implements JobQueue {
  private readonly waiting = new Map<string, { job: TrainJob; entry: WaitingJob }>();
  private readonly running = new Map<string, WaitingJob>(); // runId → its place in line when taken
  private readonly loads = new Map<string, OwnerLoad>();
  private clock = 0;

  constructor(private readonly limits: QueueLimits = DEFAULT_QUEUE_LIMITS) {}

  async push(job: TrainJob, ownerId: string): Promise<number> {
    if (this.waiting.has(job.runId) || this.running.has(job.runId)) {
      throw new Error(`Run ${job.runId} is already waiting to train.`);
    }
    this.waiting.set(job.runId, { job, entry: { runId: job.runId, ownerId, queuedAt: this.clock++ } });
    return (await this.positions()).get(job.runId)!;
  }

  async take(): Promise<TrainJob | undefined> {
    const next = pickNext(this.entries(), this.loads, this.limits.maxRunningPerUser);
    if (!next) return undefined;
    const { job } = this.waiting.get(next.runId)!;
    this.waiting.delete(next.runId);
    this.running.set(next.runId, next);
    const load = this.loads.get(next.ownerId) ?? { running: 0, lastStartedAt: null };
    this.loads.set(next.ownerId, { running: load.running + 1, lastStartedAt: this.clock++ });
    return job;
  }

  async remove(runId: string): Promise<boolean> {
    return this.waiting.delete(runId);
  }

  async release(runId: string, _outcome?: JobOutcome): Promise<void> {
    const taken = this.running.get(runId);
    if (taken === undefined) return;
    this.running.delete(runId);
    const load = this.loads.get(taken.ownerId)!;
    load.running -= 1;
  }

  async putBack(job: TrainJob): Promise<void> {
    const taken = this.running.get(job.runId);
    if (taken === undefined) return;
    await this.release(job.runId);
    this.waiting.set(job.runId, { job, entry: taken });
  }

  async positions(): Promise<Map<string, number>> {
    return queuePositions(this.entries(), this.loads);
  }

  private entries(): WaitingJob[] {
    return [...this.waiting.values()].map((w) => w.entry);
  }
}
