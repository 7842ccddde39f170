/**
 * One training child process (worker-entry.ts) from start to exit: how it is started with its
 * memory cap, the run it holds, its memory watch, and why it is being replaced. The runner
 * decides what runs where; this file only knows about the process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HEAP_LIMIT_WORDS } from './failures';
import { memoryCapFlags, watchMemory, type MemoryReader } from './memory-watch';
import type { ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import type { Checkpoint, ParentMessage, SavedWeights, TrainJob, WorkerMessage } from './protocol';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker-entry.ts', import.meta.url));

/** A job being trained by a process, and what the runner has heard of it so far. */
export interface ActiveRun {
  job: TrainJob;
  weights: SavedWeights | null;
  confusionMatrix: ConfusionMatrix | null;
  /** The latest epoch's weights, so the run can carry on elsewhere if its process dies. */
  checkpoint: Checkpoint | null;
  cancelRequested: boolean;
  /** Set when the run is stopped for taking longer than the time limit. */
  timedOut: boolean;
  /** Set when the run made its process pass the memory cap (seen by the watch or by the process). */
  outOfMemory: boolean;
  killTimer: NodeJS.Timeout | null;
  timeLimitTimer: NodeJS.Timeout | null;
}

export function newRun(job: TrainJob): ActiveRun {
  return { job, weights: null, confusionMatrix: null, checkpoint: null, cancelRequested: false, timedOut: false, outOfMemory: false, killTimer: null, timeLimitTimer: null };
}

export interface TrainingProcessOptions {
  /** 'auto', 'tensorflow', 'wasm' or 'cpu'; passed on as LAYERBOOK_BACKEND. */
  backend: string;
  /** Resident memory the process may use; past it, it is stopped and onMemoryOver hears it. */
  memoryCapBytes: number;
  memoryCheckMs: number;
  /** How its resident memory is read; this machine's reader (memory-watch.ts) unless told. */
  readMemory?: MemoryReader;
  onMessage(message: WorkerMessage): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
}

const megabytes = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;

export class TrainingProcess {
  readonly child: ChildProcess;
  /** Set by the process's `ready` message; null while it is still starting. */
  backend: string | null = null;
  /** Its row in the workers table; null until it is ready. */
  id: string | null = null;
  run: ActiveRun | null = null;
  /**
   * Why the process is being replaced (it failed a run for a reason other than the student's
   * input); it takes no job from then on. null while it may take jobs.
   */
  retiring: string | null = null;
  /** V8 said it ran out of heap before the process died. */
  heapExhausted = false;
  private stopWatch: (() => void) | null = null;

  constructor(private readonly options: TrainingProcessOptions) {
    const require = createRequire(import.meta.url);
    this.child = fork(WORKER_SCRIPT, [], {
      execArgv: [...memoryCapFlags(options.memoryCapBytes), '--import', pathToFileURL(require.resolve('tsx')).href],
      serialization: 'advanced',
      env: { ...process.env, LAYERBOOK_BACKEND: options.backend },
      // stderr is read for V8's last words when the heap runs out, and passed on.
      stdio: ['inherit', 'inherit', 'pipe', 'ipc'],
    });
    this.child.stderr?.on('data', (data: Buffer) => {
      const text = data.toString();
      if (HEAP_LIMIT_WORDS.test(text)) this.heapExhausted = true;
      process.stderr.write(text);
    });
    this.child.on('message', (message: WorkerMessage) => options.onMessage(message));
    this.child.on('error', (error) => console.error('[training] worker process error:', error));
    this.child.on('exit', (code, signal) => {
      this.stopWatch?.();
      options.onExit(code, signal);
    });
    if (this.child.pid !== undefined) {
      const pid = this.child.pid;
      this.stopWatch = watchMemory(pid, options.memoryCapBytes, options.memoryCheckMs, (bytes) => {
        // The run ends when the process has exited, as for any process that dies; it then reads why.
        if (this.run) this.run.outOfMemory = true;
        const training = this.run ? ` training run ${this.run.job.runId}` : '';
        this.retire(`it used ${megabytes(bytes)}${training}, past its cap of ${megabytes(options.memoryCapBytes)}`);
      }, options.readMemory);
    }
  }

  /** Ready, not retiring, connected and free. */
  get idle(): boolean {
    return this.backend !== null && this.retiring === null && !this.run && this.child.connected;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  send(message: ParentMessage): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Stops the process for good; the runner starts a fresh one when it exits. */
  retire(reason: string): void {
    if (this.retiring !== null) return;
    this.retiring = reason;
    console.error(`[training] replacing training process ${this.child.pid}: ${reason}.`);
    this.kill();
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
