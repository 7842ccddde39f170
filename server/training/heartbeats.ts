/**
 * Tells the workers table that this runner's processes are alive and what each trains.
 * The server beats for its children: if the server dies, so do they, and their runs are
 * recovered elsewhere (server/queue/workers.ts).
 */
import type { WorkerRegistry } from './ports';

export type Beat = { id: string; runId: string | null };

export class Heartbeats {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: WorkerRegistry | null,
    private readonly everyMs: number,
    private readonly current: () => Beat[],
  ) {}

  start(): void {
    if (!this.registry || this.timer) return;
    this.timer = setInterval(() => this.beat(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Also called at once when what a process trains changes, so health is up to date. */
  beat(): void {
    if (!this.registry || !this.timer) return;
    this.registry.beat(this.current()).catch((error) => console.error("[training] could not record the workers' heartbeat:", error));
  }

  /** Registered before it gets a run, so a run never names a worker the table lacks. */
  async register(worker: { id: string; pid: number; backend: string }): Promise<void> {
    await (this.registry?.register(worker) ?? Promise.resolve()).catch((error) => console.error('[training] could not register a training process:', error));
  }

  remove(id: string | null): void {
    if (!id || !this.registry) return;
    this.registry.remove(id).catch((error) => console.error('[training] could not unregister a training process:', error));
  }
}
