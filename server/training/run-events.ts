/**
 * Progress of runs to whoever listens: the browser subscriptions on this server, and
 * (through onEvent) other servers sharing the queue. Apart from the runner, which only says
 * what happened.
 */
import type { RunEvent } from './protocol';

export type RunListener = (event: RunEvent) => void;
export type EveryRunListener = (runId: string, event: RunEvent) => void;

export class RunEvents {
  private readonly listeners = new Map<string, Set<RunListener>>();
  /** Views of many runs at once (a teacher's class view), which learn of a run only from its events. */
  private readonly everyRunListeners = new Set<EveryRunListener>();

  constructor(private readonly onEvent?: (runId: string, event: RunEvent) => void) {}

  subscribe(runId: string, listener: RunListener): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }

  /** Hears the events of every run, trained here or (relayed) elsewhere, until the returned function is called. */
  subscribeToEveryRun(listener: EveryRunListener): () => void {
    this.everyRunListeners.add(listener);
    return () => this.everyRunListeners.delete(listener);
  }

  /** An event of a run trained here: heard here and passed on. */
  emit(runId: string, event: RunEvent): void {
    if (this.onEvent) {
      try {
        this.onEvent(runId, event);
      } catch (error) {
        console.error(`[training] passing on an event of run ${runId} failed:`, error);
      }
    }
    this.deliver(runId, event);
  }

  /** The run is over: its listeners hear the last event and are let go. */
  emitFinal(runId: string, event: RunEvent): void {
    this.emit(runId, event);
    this.listeners.delete(runId);
  }

  /** An event of a run trained elsewhere (heard through the database), to this server's listeners only. */
  relay(runId: string, event: RunEvent): void {
    // Handing it to onEvent again would send it round in circles.
    this.deliver(runId, event);
    if (event.type === 'status' && (event.status === 'succeeded' || event.status === 'failed' || event.status === 'cancelled')) {
      this.listeners.delete(runId);
    }
  }

  private deliver(runId: string, event: RunEvent): void {
    for (const listener of this.listeners.get(runId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        console.error(`[training] a listener of run ${runId} threw:`, error);
      }
    }
    for (const listener of this.everyRunListeners) {
      try {
        listener(runId, event);
      } catch (error) {
        console.error(`[training] a listener of every run threw at run ${runId}:`, error);
      }
    }
  }
}
