/**
 * Takes jobs from the queue and hands them to training processes, one job per process at a
 * time, in queue order; follows each run to its end (done, failed, cancelled, timed out,
 * stopped past its memory cap) and replaces a process whose run failed for any reason but the
 * student's input. The other jobs live next door: the child process and its memory cap
 * (training-process.ts, memory-watch.ts), why runs fail and what students read
 * (failures.ts), progress to listeners (run-events.ts), outcomes recorded in order
 * (run-recorder.ts), heartbeats (heartbeats.ts), uploaded data for the processes
 * (chunk-relay.ts), what it needs from the server (ports.ts).
 */
import { MemoryJobQueue, type JobOutcome, type JobQueue } from './job-queue';
import {
  SERVER_STOPPED_MESSAGE,
  WEIGHTS_MISSING_MESSAGE,
  WORKER_CRASHED_MESSAGE,
  resumedNote,
  timeLimitMessage,
  tooMuchMemoryMessage,
} from './failures';
import { Heartbeats } from './heartbeats';
import { DEFAULT_TRAINING_MEMORY_BYTES, type MemoryReader } from './memory-watch';
import { workerId, type RunSink, type RunSource, type WorkerKind, type WorkerRegistry } from './ports';
import type { ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import type { RunEvent, SavedWeights, TrainJob, WorkerMessage } from './protocol';
import { answerChunkRequest } from './chunk-relay';
import { RunEvents, type EveryRunListener, type RunListener } from './run-events';
import { RunRecorder } from './run-recorder';
import { newRun, TrainingProcess, type ActiveRun } from './training-process';

export type { EveryRunListener, RunListener, RunSink, RunSource };

export interface TrainingRunnerOptions {
  sink: RunSink;
  /** Training child processes to keep running (default 1). */
  workerCount?: number;
  /** 'auto' (default), 'tensorflow', 'wasm' or 'cpu'; passed to the workers as LAYERBOOK_BACKEND. */
  backend?: string;
  queue?: JobQueue;
  /** How long a running job may take to stop after a cancel before its process is killed. */
  cancelGraceMs?: number;
  /** A run still training after this long is stopped (LAYERBOOK_RUN_TIME_LIMIT_S; default 1800). */
  runTimeLimitSeconds?: number;
  /** Where the training processes say they are alive (the workers table); none in unit tests. */
  registry?: WorkerRegistry;
  /** How often they do (default 5 s); a worker silent for the heartbeat timeout is taken for dead. */
  heartbeatMs?: number;
  /** How the processes are listed in the workers table (default 'embedded'). */
  workerKind?: WorkerKind;
  /**
   * Look in the queue this often even when nothing happened here (default: never), for jobs
   * other servers added and runs cancelled elsewhere. Needed wherever the queue is shared.
   */
  pollMs?: number;
  /** Hears every event of every run this runner trains or queues (to pass on to other servers). */
  onEvent?: (runId: string, event: RunEvent) => void;
  /**
   * On stop, leave the runs queued here in the queue instead of failing them (default false).
   * Right for a shared PostgreSQL queue, where another server or a worker machine trains them.
   */
  keepWaitingOnStop?: boolean;
  /** Asked on each poll which of the runs training here were cancelled elsewhere (in the database). */
  findCancelled?: (runIds: string[]) => Promise<string[]>;
  /** Needed for jobs on uploaded datasets and for resuming jobs from a stored checkpoint; none in most unit tests. */
  source?: RunSource;
  /** Resident memory one training process may use (LAYERBOOK_TRAINING_MEMORY_MB; default 3 GiB). */
  memoryCapBytes?: number;
  /** How often a process's memory is read (default 250 ms): a batch can grow by gigabytes in a second. */
  memoryCheckMs?: number;
  /** How a process's resident memory is read (default: /proc where there is one, else ps); tests force the ps path with it. */
  readMemory?: MemoryReader;
}

export const DEFAULT_RUN_TIME_LIMIT_SECONDS = 1800;

const MAX_RESTART_DELAY_MS = 10_000;
const DEFAULT_MEMORY_CHECK_MS = 250;

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
  private readonly runTimeLimitSeconds: number;
  private readonly workers = new Set<TrainingProcess>();
  private readonly events: RunEvents;
  private readonly recorder = new RunRecorder();
  private readonly memoryCapBytes: number;
  private readonly memoryCheckMs: number;
  private started = false;
  private backendName: string | null = null;
  private failedStarts = 0;
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  /** Runs this runner put in the queue that are still waiting; the ones it answers for on stop. */
  private readonly waitingHere = new Set<string>();
  /** Cancels that arrived while the run was being taken from the queue (no worker has it yet). */
  private readonly cancelledWhileTaking = new Set<string>();
  /**
   * Runs whose process died after a checkpoint, waiting for the next idle process. They
   * stay taken in the queue (still this runner's), and go before new jobs: they started first.
   */
  private readonly resuming: TrainJob[] = [];
  /** Training-time estimates of waiting runs, repeated with each new place in line. */
  private readonly etaSeconds = new Map<string, number>();
  private dispatching = false;
  private dispatchAgain = false;
  private queuedCount = 0;
  private readonly heartbeats: Heartbeats;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly options: TrainingRunnerOptions;

  constructor(options: TrainingRunnerOptions) {
    this.sink = options.sink;
    this.workerCount = Math.max(1, Math.floor(options.workerCount ?? 1));
    this.backendPreference = options.backend ?? process.env.LAYERBOOK_BACKEND ?? 'auto';
    this.queue = options.queue ?? new MemoryJobQueue();
    this.cancelGraceMs = options.cancelGraceMs ?? 5_000;
    this.runTimeLimitSeconds = options.runTimeLimitSeconds ?? DEFAULT_RUN_TIME_LIMIT_SECONDS;
    this.heartbeats = new Heartbeats(options.registry ?? null, options.heartbeatMs ?? 5_000, () =>
      [...this.workers].filter((w) => w.id !== null).map((w) => ({ id: w.id!, runId: w.run?.job.runId ?? null })),
    );
    this.events = new RunEvents(options.onEvent);
    this.memoryCapBytes = options.memoryCapBytes ?? DEFAULT_TRAINING_MEMORY_BYTES;
    this.memoryCheckMs = options.memoryCheckMs ?? DEFAULT_MEMORY_CHECK_MS;
    this.options = options;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (let i = 0; i < this.workerCount; i++) this.spawnWorker();
    this.heartbeats.start();
    if (this.options.pollMs) {
      this.pollTimer = setInterval(() => this.poll(), this.options.pollMs);
      this.pollTimer.unref();
    }
  }

  private beat(): void {
    if (this.started) this.heartbeats.beat();
  }

  /** Takes jobs other servers queued, and stops runs that were cancelled elsewhere. */
  private poll(): void {
    this.dispatch();
    const findCancelled = this.options.findCancelled;
    const training = this.activeRunIds();
    if (!findCancelled || training.length === 0) return;
    findCancelled(training).then(
      (cancelled) => cancelled.forEach((runId) => void this.cancel(runId)),
      (error) => console.error('[training] could not check for cancelled runs:', error),
    );
  }

  /** Runs being trained by this runner's processes. */
  activeRunIds(): string[] {
    return [...this.workers].flatMap((w) => (w.run ? [w.run.job.runId] : []));
  }

  /** True when this runner queued or trains the run, so its events start here. */
  owns(runId: string): boolean {
    return this.waitingHere.has(runId) || this.activeWorkerOf(runId) !== undefined || this.resuming.some((j) => j.runId === runId);
  }

  /** Passes on an event of a run trained elsewhere (heard through the database) to this server's subscribers. */
  relay(runId: string, event: RunEvent): void {
    this.events.relay(runId, event);
  }

  /** Stops the workers; runs still waiting or training are recorded as failed, since they are lost. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.heartbeats.stop();
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    const exits: Promise<void>[] = [];
    for (const worker of [...this.workers]) {
      exits.push(new Promise((resolve) => worker.child.once('exit', () => resolve())));
      if (worker.run) this.endRun(worker, { failed: SERVER_STOPPED_MESSAGE });
      worker.kill();
    }
    for (const job of this.resuming.splice(0)) {
      await this.queue.release(job.runId, 'failed').catch(() => {});
      this.fail(job.runId, SERVER_STOPPED_MESSAGE);
    }
    for (const runId of [...this.waitingHere]) {
      this.waitingHere.delete(runId);
      if (this.options.keepWaitingOnStop) continue;
      if (await this.queue.remove(runId).catch(() => false)) this.fail(runId, SERVER_STOPPED_MESSAGE);
    }
    await Promise.all(exits);
    await this.recorder.settled();
  }

  /**
   * Puts a job in line for its owner (the queue takes turns between owners).
   * queuePosition: how many runs were ahead of this one when it joined the line (0: it goes next, or at once).
   */
  async enqueue(job: TrainJob, ownerId: string, estimate: { etaSeconds?: number } = {}): Promise<{ queuePosition: number }> {
    if (this.waitingHere.has(job.runId) || this.activeWorkerOf(job.runId) || this.resuming.some((j) => j.runId === job.runId)) {
      throw new Error(`Run ${job.runId} is already queued or training.`);
    }
    const queuePosition = await this.queue.push(job, ownerId);
    this.waitingHere.add(job.runId);
    if (estimate.etaSeconds !== undefined) this.etaSeconds.set(job.runId, estimate.etaSeconds);
    this.emit(job.runId, { type: 'status', status: 'queued', queuePosition, ...this.etaOf(job.runId) });
    this.dispatch();
    return { queuePosition };
  }

  /** Cancels a waiting, starting or running job; false when the run is none of those (already over or unknown). */
  async cancel(runId: string): Promise<boolean> {
    const worker = this.activeWorkerOf(runId);
    if (worker) return this.stopRunning(worker, 'cancel');
    const resumingAt = this.resuming.findIndex((j) => j.runId === runId);
    if (resumingAt >= 0) {
      this.resuming.splice(resumingAt, 1);
      await this.queue.release(runId, 'cancelled').catch((error) => console.error(`[training] could not mark run ${runId} as ended in the queue:`, error));
      this.record(runId, () => this.sink.cancelled(runId), true).finally(() => this.emitFinal(runId, { type: 'status', status: 'cancelled' }));
      return true;
    }
    if (await this.queue.remove(runId)) {
      this.waitingHere.delete(runId);
      this.record(runId, () => this.sink.cancelled(runId), true).finally(() => this.emitFinal(runId, { type: 'status', status: 'cancelled' }));
      this.emitQueuePositions();
      return true;
    }
    // The run may have been handed to a worker while the queue was asked.
    const taker = this.activeWorkerOf(runId);
    if (taker) return this.stopRunning(taker, 'cancel');
    if (this.waitingHere.has(runId)) {
      // Taken from the queue but not yet given to a worker: dispatch sees this and drops it.
      this.cancelledWhileTaking.add(runId);
      return true;
    }
    return false;
  }

  /** Asks the worker to stop its run (a cancel, or the time limit); kills the process if it does not stop in time. */
  private stopRunning(worker: TrainingProcess, reason: 'cancel' | 'time-limit'): boolean {
    const run = worker.run;
    if (!run) return false;
    if (reason === 'time-limit') run.timedOut = true;
    if (run.cancelRequested) return true;
    run.cancelRequested = true;
    worker.send({ type: 'cancel', runId: run.job.runId });
    // A step that never returns (a huge layer) cannot see the cancel; the process goes then.
    run.killTimer = setTimeout(() => {
      if (worker.run === run) worker.kill();
    }, this.cancelGraceMs);
    return true;
  }

  subscribe(runId: string, listener: RunListener): () => void {
    return this.events.subscribe(runId, listener);
  }

  /** Every run's events, including those relayed from other machines (a class view follows a whole class). */
  subscribeToEveryRun(listener: EveryRunListener): () => void {
    return this.events.subscribeToEveryRun(listener);
  }

  /** workers: processes ready to train (a restarting one is not counted); backend: what the last ready one chose. */
  async health(): Promise<{ workers: number; busy: number; queued: number; backend: string | null }> {
    const workers = [...this.workers];
    const queued = await this.queue.positions().then((p) => p.size, () => this.queuedCount);
    return {
      workers: workers.filter((w) => w.backend !== null && w.retiring === null).length,
      busy: workers.filter((w) => w.run !== null).length,
      queued,
      backend: this.backendName,
    };
  }

  /** Process ids of the training processes, for operators (and tests that stop one). */
  workerPids(): number[] {
    return [...this.workers].map((w) => w.pid).filter((pid): pid is number => pid !== undefined);
  }

  private spawnWorker(): void {
    const worker: TrainingProcess = new TrainingProcess({
      backend: this.backendPreference,
      memoryCapBytes: this.memoryCapBytes,
      memoryCheckMs: this.memoryCheckMs,
      readMemory: this.options.readMemory,
      onMessage: (message) => this.onMessage(worker, message),
      onExit: (code, signal) => this.onExit(worker, code, signal),
    });
    this.workers.add(worker);
  }

  private onMessage(worker: TrainingProcess, message: WorkerMessage): void {
    if (message.type === 'ready') {
      this.failedStarts = 0;
      const pid = worker.child.pid ?? 0;
      const id = workerId(this.options.workerKind ?? 'embedded', pid);
      // Registered before it gets a run, so a run never names a worker the table lacks.
      void this.heartbeats.register({ id, pid, backend: message.backend }).then(() => {
          if (!this.workers.has(worker)) return;
          worker.id = id;
          worker.backend = message.backend;
          this.backendName = message.backend;
          this.dispatch();
        });
      return;
    }
    const run = worker.run;
    if (message.type === 'chunk-request') {
      answerChunkRequest(worker, message, this.options.source);
      return;
    }
    if (!run || run.job.runId !== message.runId) return;
    switch (message.type) {
      case 'result':
        run.weights = message.weights;
        run.confusionMatrix = message.confusionMatrix;
        return;
      case 'checkpoint': {
        const { epoch, weights, optimizer } = message;
        run.checkpoint = { epoch, weights, ...(optimizer ? { optimizer } : {}) };
        if (this.sink.checkpoint) this.record(run.job.runId, () => this.sink.checkpoint!(run.job.runId, epoch, weights, optimizer));
        return;
      }
      case 'failed':
        this.onRunFailed(worker, run, message);
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
      this.endRun(worker, { done: event, weights: run.weights, confusionMatrix: run.confusionMatrix });
      return;
    }
    if (event.type === 'epoch') {
      const { type: _type, ...metrics } = event;
      this.record(run.job.runId, () => this.sink.epoch(run.job.runId, metrics));
    }
    if (event.type === 'note') {
      this.note(run.job.runId, event.text);
      return;
    }
    this.emit(run.job.runId, event);
  }

  /** A note is recorded with the run (so a reload shows it) and heard live. */
  private note(runId: string, text: string): void {
    if (this.sink.note) this.record(runId, () => this.sink.note!(runId, text));
    this.emit(runId, { type: 'note', text });
  }

  /**
   * A run the process reports as failed. Only a failure on the student's input leaves the
   * process fit for the next job; after any other, the run ends first and the process is
   * replaced, so the next student gets a fresh TF.js (issue 8).
   */
  private onRunFailed(worker: TrainingProcess, run: ActiveRun, message: Extract<WorkerMessage, { type: 'failed' }>): void {
    const cause = message.cause ?? 'broken';
    if (cause === 'out-of-memory') run.outOfMemory = true;
    this.endRun(worker, { failed: cause === 'out-of-memory' ? this.tooMuchMemory(run) : message.message });
    if (cause !== 'input') worker.retire(`its run ${run.job.runId} failed (${cause}): ${message.message}`);
  }

  private tooMuchMemory(run: ActiveRun): string {
    return tooMuchMemoryMessage(this.memoryCapBytes, run.job.training.batchSize);
  }

  private onExit(worker: TrainingProcess, code: number | null, signal: NodeJS.Signals | null): void {
    this.workers.delete(worker);
    this.heartbeats.remove(worker.id);
    const run = worker.run;
    if (run && (run.outOfMemory || worker.heapExhausted)) {
      run.outOfMemory = true;
      this.endRun(worker, { failed: this.tooMuchMemory(run) });
    } else if (run && !this.resumeElsewhere(worker)) {
      this.endRun(worker, run.cancelRequested ? { cancelled: true } : { failed: WORKER_CRASHED_MESSAGE });
    }
    if (!this.started) return;
    if (worker.backend === null) {
      this.failedStarts++;
      console.error(`[training] a training process exited while starting (code ${code}, signal ${signal}); starting another.`);
    } else if (code !== 0 && worker.retiring === null) {
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

  /**
   * A run whose process died unasked carries on from its checkpoint in the next idle process,
   * once: a run that kills its process twice is more likely the cause than the victim.
   */
  private resumeElsewhere(worker: TrainingProcess): boolean {
    const run = worker.run;
    if (!run || !run.checkpoint || run.cancelRequested || run.timedOut || run.outOfMemory || run.job.resumeFrom || run.job.resumeFromStoredCheckpoint || !this.started) {
      return false;
    }
    worker.run = null;
    if (run.killTimer) clearTimeout(run.killTimer);
    if (run.timeLimitTimer) clearTimeout(run.timeLimitTimer);
    this.resuming.push({ ...run.job, resumeFrom: run.checkpoint });
    this.note(run.job.runId, resumedNote(run.checkpoint.epoch + 1));
    this.beat();
    this.dispatch();
    return true;
  }

  /** Hands waiting jobs to idle workers. Taking from the queue is async, so passes run one at a time. */
  private dispatch(): void {
    if (!this.started) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = true;
    void this.dispatchPass()
      .catch((error) => console.error('[training] could not take a job from the queue:', error))
      .finally(() => {
        this.dispatching = false;
        if (this.dispatchAgain) {
          this.dispatchAgain = false;
          this.dispatch();
        }
      });
  }

  private async dispatchPass(): Promise<void> {
    let moved = false;
    while (this.started && this.idleWorker()) {
      const resumed = this.resuming.shift();
      let job = resumed ?? (await this.queue.take());
      if (!job) break;
      if (job.resumeFromStoredCheckpoint && !job.resumeFrom) job = await this.withStoredCheckpoint(job);
      if (!this.started) {
        // stop() ran while this job was being taken: back in line, then treated as stop() treats waiting jobs.
        await this.queue.putBack(job);
        if (!this.options.keepWaitingOnStop && (await this.queue.remove(job.runId).catch(() => false))) {
          this.fail(job.runId, SERVER_STOPPED_MESSAGE);
        }
        break;
      }
      moved = true;
      this.waitingHere.delete(job.runId);
      if (this.cancelledWhileTaking.delete(job.runId)) {
        await this.queue.release(job.runId, 'cancelled');
        this.record(job.runId, () => this.sink.cancelled(job.runId), true).finally(() =>
          this.emitFinal(job.runId, { type: 'status', status: 'cancelled' }),
        );
        continue;
      }
      // The worker seen before the await may have died meanwhile; any idle one will do.
      const worker = this.idleWorker();
      if (!worker) {
        await this.queue.release(job.runId, 'failed');
        this.fail(job.runId, WORKER_CRASHED_MESSAGE);
        break;
      }
      const run = newRun(job);
      worker.run = run;
      run.timeLimitTimer = setTimeout(() => {
        if (worker.run === run) this.stopRunning(worker, 'time-limit');
      }, this.runTimeLimitSeconds * 1000);
      worker.send({ type: 'train', job });
      const backend = worker.backend!;
      const id = worker.id ?? undefined;
      this.record(job.runId, () => this.sink.started(job.runId, backend, id));
      this.emit(job.runId, { type: 'status', status: 'running', backend });
    }
    if (moved) {
      this.beat();
      this.emitQueuePositions();
    }
  }

  /**
   * A job put back in the queue after its machine stopped answering (server/queue/workers.ts)
   * carries on from the run's stored checkpoint. Without one it trains from the start: slower
   * for the student, but nothing is lost.
   */
  private async withStoredCheckpoint(job: TrainJob): Promise<TrainJob> {
    const checkpoint = await (this.options.source?.checkpoint(job.runId) ?? Promise.resolve(null)).catch((error) => {
      console.error(`[training] could not read the checkpoint of run ${job.runId}; training it from the start:`, error);
      return null;
    });
    return checkpoint ? { ...job, resumeFrom: checkpoint } : job;
  }

  private idleWorker(): TrainingProcess | undefined {
    return [...this.workers].find((w) => w.idle);
  }

  private endRun(
    worker: TrainingProcess,
    outcome: { failed: string } | { cancelled: true } | { done: Extract<RunEvent, { type: 'done' }>; weights: SavedWeights; confusionMatrix: ConfusionMatrix | null },
  ): void {
    const run = worker.run;
    if (!run) return;
    worker.run = null;
    if (run.killTimer) clearTimeout(run.killTimer);
    if (run.timeLimitTimer) clearTimeout(run.timeLimitTimer);
    const runId = run.job.runId;
    // A run stopped by the time limit ends as a failure that says why, however it stopped.
    if (run.timedOut && !('done' in outcome)) outcome = { failed: timeLimitMessage(this.runTimeLimitSeconds) };
    this.beat();
    const queueOutcome: JobOutcome = 'done' in outcome ? 'completed' : 'cancelled' in outcome ? 'cancelled' : 'failed';
    void this.queue
      .release(runId, queueOutcome)
      .catch((error) => console.error(`[training] could not mark run ${runId} as ended in the queue:`, error))
      .finally(() => this.dispatch());
    if ('done' in outcome) {
      const { testAccuracy, testLoss, samplesPerSec } = outcome.done;
      // Subscribers hear "done" only once the result is stored, so a page that reloads the run then finds it.
      const { weights, confusionMatrix } = outcome;
      this.record(runId, () => this.sink.finished(runId, { testAccuracy, testLoss, samplesPerSec, weights, confusionMatrix }), true).finally(() => {
        this.emit(runId, outcome.done);
        this.emitFinal(runId, { type: 'status', status: 'succeeded' });
      });
    } else if ('cancelled' in outcome) {
      this.record(runId, () => this.sink.cancelled(runId), true).finally(() => this.emitFinal(runId, { type: 'status', status: 'cancelled' }));
    } else {
      this.fail(runId, outcome.failed);
    }
  }

  private fail(runId: string, message: string): void {
    this.record(runId, () => this.sink.failed(runId, message), true).finally(() =>
      this.emitFinal(runId, { type: 'status', status: 'failed', message }),
    );
  }

  private record(runId: string, call: () => Promise<void>, last = false): Promise<void> {
    return this.recorder.record(runId, call, last);
  }

  private activeWorkerOf(runId: string): TrainingProcess | undefined {
    return [...this.workers].find((w) => w.run?.job.runId === runId);
  }

  private etaOf(runId: string): { etaSeconds?: number } {
    const etaSeconds = this.etaSeconds.get(runId);
    return etaSeconds === undefined ? {} : { etaSeconds };
  }

  private emitQueuePositions(): void {
    void this.queue.positions().then(
      (positions) => {
        this.queuedCount = positions.size;
        for (const runId of this.etaSeconds.keys()) if (!positions.has(runId)) this.etaSeconds.delete(runId);
        for (const [runId, queuePosition] of positions) {
          this.emit(runId, { type: 'status', status: 'queued', queuePosition, ...this.etaOf(runId) });
        }
      },
      (error) => console.error('[training] could not read the queue positions:', error),
    );
  }

  private emit(runId: string, event: RunEvent): void {
    this.events.emit(runId, event);
  }

  private emitFinal(runId: string, event: RunEvent): void {
    this.events.emitFinal(runId, event);
  }
}
