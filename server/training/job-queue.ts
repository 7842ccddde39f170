import type { TrainJob } from './protocol';

/**
 * The waiting line of training jobs. TrainingRunner only talks to this interface, so the
 * in-memory line can be swapped for a PostgreSQL-backed one (pg-boss) without touching it.
 */
export interface JobQueue {
  /** Adds a job at the back; returns how many jobs are ahead of it. */
  push(job: TrainJob): number;
  /** Takes the job at the front, if any. */
  shift(): TrainJob | undefined;
  /** Takes a waiting job out of the line; false when it is not waiting. */
  remove(runId: string): boolean;
  /** How many jobs are ahead of this one, or null when it is not waiting. */
  positionOf(runId: string): number | null;
  /** Run ids in line order. */
  runIds(): string[];
  readonly size: number;
}

export class MemoryJobQueue implements JobQueue {
  private readonly jobs: TrainJob[] = [];

  push(job: TrainJob): number {
    if (this.positionOf(job.runId) !== null) throw new Error(`Run ${job.runId} is already waiting to train.`);
    this.jobs.push(job);
    return this.jobs.length - 1;
  }

  shift(): TrainJob | undefined {
    return this.jobs.shift();
  }

  remove(runId: string): boolean {
    const index = this.jobs.findIndex((job) => job.runId === runId);
    if (index < 0) return false;
    this.jobs.splice(index, 1);
    return true;
  }

  positionOf(runId: string): number | null {
    const index = this.jobs.findIndex((job) => job.runId === runId);
    return index < 0 ? null : index;
  }

  runIds(): string[] {
    return this.jobs.map((job) => job.runId);
  }

  get size(): number {
    return this.jobs.length;
  }
}
