import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MemoryJobQueue, type JobQueue } from './job-queue';
import type { EpochMetrics, RunEvent, SavedWeights, TrainJob, WorkerMessage } from './protocol';

/** Where a run's outcome is recorded (the database); implemented outside the trainer. */
export interface RunSink {
  started(runId: string, backend: string): Promise<void>;
  epoch(runId: string, metrics: EpochMetrics): Promise<void>;
  finished(
    runId: string,
    result: { testAccuracy: number; testLoss: number; samplesPerSec: number; weights: SavedWeights },
  ): Promise<void>;
  failed(runId: string, message: string): Promise<void>;
  cancelled(runId: string): Promise<void>;
}

export type RunListener = (event: RunEvent) => void;

export interface TrainingRunnerOptions {
  sink: RunSink;
  /** Training child processes to keep running (default 1). */
  workerCount?: number;
  /** 'auto' (default), 'tensorflow', 'wasm' or 'cpu'; passed to the workers as LAYERBOOK_BACKEND. */
  backend?: string;
  queue?: JobQueue;
  /** How long a running job may take to stop after a cancel before its process is killed. */
  cancelGraceMs?: number;
}

export const WORKER_CRASHED_MESSAGE =
  'The training process stopped unexpectedly, so this run could not finish. ' +
  'Try again; if it keeps happening, make the model smaller (fewer or smaller layers).';
export const SERVER_STOPPED_MESSAGE = 'The server was stopped before this run finished. Train the model again.';
const WEIGHTS_MISSING_MESSAGE = 'Training finished but the trained weights were lost on the way. Train the model again.';

interface ActiveRun {
  job: TrainJob;
  weights: SavedWeights | null;
  cancelRequested: boolean;
  killTimer: NodeJS.Timeout | null;
}

interface WorkerProcess {
  child: ChildProcess;
  /** Set by the worker's `ready` message; null while it is still starting. */
  backend: string | null;
  run: ActiveRun | null;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));
const MAX_RESTART_DELAY_MS = 10_000;

/**
 * Runs training jobs in child processes, one job per process at a time, in arrival order.
 * Lives in the web-server process: it forwards each run's events to subscribers and records
 * outcomes through the RunSink, in order per run (started → epochs → one final call).
 */
export class TrainingRunner {
  private readonly sink: RunSink;
  private readonly workerCount: number;
  private readonly backendPreference: string;
  private readonly queue: JobQueue;
  private readonly cancelGraceMs: number;
  private readonly workers = new Set<WorkerProcess>();
  private readonly listeners = new Map<string, Set<RunListener>>();
  private readonly sinkChains = new Map<string, Promise<void>>();
  private started = false;
  private backendName: string | null = null;
  private failedStarts = 0;
  private readonly restartTimers = new Set<NodeJS.Timeout>();

  constructor(options: TrainingRunnerOptions) {
    this.sink = options.sink;
    this.workerCount = Math.max(1, Math.floor(options.workerCount ?? 1));
    this.backendPreference = options.backend ?? process.env.LAYERBOOK_BACKEND ?? 'auto';
    this.queue = options.queue ?? new MemoryJobQueue();
    this.cancelGraceMs = options.cancelGraceMs ?? 5_000;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.workerCount; i++) this.spawnWorker();
  }

  /** Stops the workers; runs still waiting or training are recorded as failed, since they are lost. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    const exits: Promise<void>[] = [];
    for (const worker of [...this.workers]) {
      exits.push(new Promise((resolve) => worker.child.once('exit', () => resolve())));
      if (worker.run) this.endRun(worker, { failed: SERVER_STOPPED_MESSAGE });
      worker.child.kill('SIGKILL');
    }
    for (let job = this.queue.shift(); job; job = this.queue.shift()) this.fail(job.runId, SERVER_STOPPED_MESSAGE);
    await Promise.all(exits);
    await Promise.all(this.sinkChains.values());
  }

  /** queuePosition: how many runs were ahead of this one when it joined the line (0: it goes next, or at once). */
  enqueue(job: TrainJob): { queuePosition: number } {
    if (this.queue.positionOf(job.runId) !== null || this.activeWorkerOf(job.runId)) {
      throw new Error(`Run ${job.runId} is already queued or training.`);
    }
    const queuePosition = this.queue.push(job);
    this.emit(job.runId, { type: 'status', status: 'queued', queuePosition });
    this.dispatch();
    return { queuePosition };
  }

  /** Cancels a waiting or running job; false when the run is neither (already over or unknown). */
  cancel(runId: string): boolean {
    if (this.queue.remove(runId)) {
      this.record(runId, () => this.sink.cancelled(runId), true).finally(() => this.emitFinal(runId, { type: 'status', status: 'cancelled' }));
      this.emitQueuePositions();
      return true;
    }
    const worker = this.activeWorkerOf(runId);
    if (!worker?.run) return false;
    const run = worker.run;
    if (run.cancelRequested) return true;
    run.cancelRequested = true;
    if (worker.child.connected) worker.child.send({ type: 'cancel', runId });
    // A step that never returns (a huge layer) cannot see the cancel; the process goes then.
    run.killTimer = setTimeout(() => {
      if (worker.run === run) worker.child.kill('SIGKILL');
    }, this.cancelGraceMs);
    return true;
  }

  subscribe(runId: string, listener: RunListener): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }

  /** workers: processes ready to train (a restarting one is not counted); backend: what the last ready one chose. */
  health(): { workers: number; busy: number; queued: number; backend: string | null } {
    const workers = [...this.workers];
    return {
      workers: workers.filter((w) => w.backend !== null).length,
      busy: workers.filter((w) => w.run !== null).length,
      queued: this.queue.size,
      backend: this.backendName,
    };
  }

  /** Process ids of the training processes, for operators (and tests that stop one). */
  workerPids(): number[] {
    return [...this.workers].map((w) => w.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  private spawnWorker(): void {
    const require = createRequire(import.meta.url);
    const child = fork(WORKER_SCRIPT, [], {
      execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
      serialization: 'advanced',
      env: { ...process.env, LAYERBOOK_BACKEND: this.backendPreference },
    });
    const worker: WorkerProcess = { child, backend: null, run: null };
    this.workers.add(worker);
    child.on('message', (message: WorkerMessage) => this.onMessage(worker, message));
    child.on('error', (error) => console.error('[training] worker process error:', error));
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
  }

  private onMessage(worker: WorkerProcess, message: WorkerMessage): void {
    if (message.type === 'ready') {
      worker.backend = message.backend;
      this.backendName = message.backend;
      this.failedStarts = 0;
      this.dispatch();
      return;
    }
    const run = worker.run;
    if (!run || run.job.runId !== message.runId) return;
    switch (message.type) {
      case 'weights':
        run.weights = message.weights;
        return;
      case 'failed':
        this.endRun(worker, { failed: message.message });
        return;
      case 'cancelled':
        this.endRun(worker, { cancelled: true });
        return;
      case 'event':
        break;
    }
    const event = message.event;
    if (event.type === 'done') {
      if (!run.weights) {
        this.endRun(worker, { failed: WEIGHTS_MISSING_MESSAGE });
        return;
      }
      this.endRun(worker, { done: event, weights: run.weights });
      return;
    }
    if (event.type === 'epoch') {
      const { type: _type, ...metrics } = event;
      this.record(run.job.runId, () => this.sink.epoch(run.job.runId, metrics));
    }
    this.emit(run.job.runId, event);
  }

  private onExit(worker: WorkerProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.workers.delete(worker);
    if (worker.run) {
      this.endRun(worker, worker.run.cancelRequested ? { cancelled: true } : { failed: WORKER_CRASHED_MESSAGE });
    }
    if (!this.started) return;
    if (worker.backend === null) {
      this.failedStarts++;
      console.error(`[training] a training process exited while starting (code ${code}, signal ${signal}); starting another.`);
    } else if (code !== 0) {
      console.error(`[training] a training process stopped (code ${code}, signal ${signal}); starting another.`);
    }
    // Back off only when processes keep dying before they are ready (a broken install).
    const delay = Math.min(MAX_RESTART_DELAY_MS, this.failedStarts === 0 ? 0 : 250 * 2 ** this.failedStarts);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.started) this.spawnWorker();
    }, delay);
    this.restartTimers.add(timer);
  }

  private dispatch(): void {
    if (!this.started) return;
    let moved = false;
    for (const worker of this.workers) {
      if (worker.backend === null || worker.run || !worker.child.connected) continue;
      const job = this.queue.shift();
      if (!job) break;
      moved = true;
      worker.run = { job, weights: null, cancelRequested: false, killTimer: null };
      worker.child.send({ type: 'train', job });
      const backend = worker.backend;
      this.record(job.runId, () => this.sink.started(job.runId, backend));
      this.emit(job.runId, { type: 'status', status: 'running', backend });
    }
    if (moved) this.emitQueuePositions();
  }

  private endRun(
    worker: WorkerProcess,
    outcome: { failed: string } | { cancelled: true } | { done: Extract<RunEvent, { type: 'done' }>; weights: SavedWeights },
  ): void {
    const run = worker.run;
    if (!run) return;
    worker.run = null;
    if (run.killTimer) clearTimeout(run.killTimer);
    const runId = run.job.runId;
    if ('done' in outcome) {
      const { testAccuracy, testLoss, samplesPerSec } = outcome.done;
      // Subscribers hear "done" only once the result is stored, so a page that reloads the run then finds it.
      this.record(runId, () => this.sink.finished(runId, { testAccuracy, testLoss, samplesPerSec, weights: outcome.weights }), true).finally(() => {
        this.emit(runId, outcome.done);
        this.emitFinal(runId, { type: 'status', status: 'succeeded' });
      });
    } else if ('cancelled' in outcome) {
      this.record(runId, () => this.sink.cancelled(runId), true).finally(() => this.emitFinal(runId, { type: 'status', status: 'cancelled' }));
    } else {
      this.fail(runId, outcome.failed);
    }
    this.dispatch();
  }

  private fail(runId: string, message: string): void {
    this.record(runId, () => this.sink.failed(runId, message), true).finally(() =>
      this.emitFinal(runId, { type: 'status', status: 'failed', message }),
    );
  }

  /** Sink calls for one run happen in order, one after another; a failing sink is logged, never fatal. */
  private record(runId: string, call: () => Promise<void>, last = false): Promise<void> {
    const previous = this.sinkChains.get(runId) ?? Promise.resolve();
    const next = previous.then(call).catch((error) => console.error(`[training] recording run ${runId} failed:`, error));
    this.sinkChains.set(runId, next);
    if (last) void next.then(() => this.sinkChains.get(runId) === next && this.sinkChains.delete(runId));
    return next;
  }

  private activeWorkerOf(runId: string): WorkerProcess | undefined {
    return [...this.workers].find((w) => w.run?.job.runId === runId);
  }

  private emitQueuePositions(): void {
    this.queue.runIds().forEach((runId, queuePosition) => this.emit(runId, { type: 'status', status: 'queued', queuePosition }));
  }

  private emit(runId: string, event: RunEvent): void {
    for (const listener of this.listeners.get(runId) ?? []) {
      try {
        listener(event);
      } catch (error) {
        console.error(`[training] a listener of run ${runId} threw:`, error);
      }
    }
  }

  /** The run is over: its listeners hear the last event and are let go. */
  private emitFinal(runId: string, event: RunEvent): void {
    this.emit(runId, event);
    this.listeners.delete(runId);
  }
}
