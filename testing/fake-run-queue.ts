import type { RunEvent, TrainJob } from '../server/training/protocol';
import type { RunQueue } from '../server/services/runs';

/**
 * A stand-in for the training runner in API tests: it records jobs instead of training,
 * and lets a test play the runner's live events to subscribers.
 */
export class FakeRunQueue implements RunQueue {
  readonly jobs: TrainJob[] = [];
  readonly owners: string[] = [];
  readonly cancelled: string[] = [];
  private readonly listeners = new Map<string, Set<(event: RunEvent) => void>>();
  private readonly everyRunListeners = new Set<(runId: string, event: RunEvent) => void>();

  async enqueue(job: TrainJob, ownerId: string): Promise<{ queuePosition: number }> {
    this.jobs.push(job);
    this.owners.push(ownerId);
    return { queuePosition: this.jobs.length - 1 };
  }

  async cancel(runId: string): Promise<boolean> {
    this.cancelled.push(runId);
    return this.jobs.some((job) => job.runId === runId);
  }

  subscribe(runId: string, listener: (event: RunEvent) => void): () => void {
    const set = this.listeners.get(runId) ?? new Set();
    set.add(listener);
    this.listeners.set(runId, set);
    return () => set.delete(listener);
  }

  subscribeToEveryRun(listener: (runId: string, event: RunEvent) => void): () => void {
    this.everyRunListeners.add(listener);
    return () => this.everyRunListeners.delete(listener);
  }

  emit(runId: string, event: RunEvent): void {
    for (const listener of this.listeners.get(runId) ?? []) listener(event);
    for (const listener of this.everyRunListeners) listener(runId, event);
  }

  /** Views following every run (class views) that are open now. */
  everyRunSubscriberCount(): number {
    return this.everyRunListeners.size;
  }

  subscriberCount(runId: string): number {
    return this.listeners.get(runId)?.size ?? 0;
  }

  async health() {
    return { workers: 1, busy: 0, queued: this.jobs.length, backend: 'fake' };
  }
}
