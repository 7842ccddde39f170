import type { RunEvent, TrainJob } from '../training/protocol';
import type { RunQueue } from './runs';

/**
 * A stand-in for the training runner in API tests: it records jobs instead of training,
 * and lets a test play the runner's live events to subscribers.
 */
export class FakeRunQueue implements RunQueue {
  readonly jobs: TrainJob[] = [];
  readonly cancelled: string[] = [];
  private readonly listeners = new Map<string, Set<(event: RunEvent) => void>>();

  enqueue(job: TrainJob): { queuePosition: number } {
    this.jobs.push(job);
    return { queuePosition: this.jobs.length - 1 };
  }

  cancel(runId: string): boolean {
    this.cancelled.push(runId);
    return this.jobs.some((job) => job.runId === runId);
  }

  subscribe(runId: string, listener: (event: RunEvent) => void): () => void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    return () => set.delete(listener);
  }

  emit(runId: string, event: RunEvent): void {
    for (const listener of this.listeners.get(runId) ?? []) listener(event);
  }

  subscriberCount(runId: string): number {
    return this.listeners.get(runId)?.size ?? 0;
  }

  health() {
    return { workers: 1, busy: 0, queued: this.jobs.length, backend: 'fake' };
  }
}
