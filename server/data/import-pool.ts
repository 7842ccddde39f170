import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ImportJob } from './import-jobs';
import type { ImportReply } from './import-worker';
import type { ImportedImages } from './pictures';
import { UploadProblem } from './upload-files';

/**
 * Decoding a 20 MB zip of photos or unpacking Fashion-MNIST takes seconds of CPU. On the
 * web server's thread that would stall every other student's page for as long, so it runs
 * on a few worker threads instead. At most THREADS imports run at once (each can hold a few
 * hundred MB); more wait their turn. Idle threads stay a while for the next upload, then end.
 */
const THREADS = Math.max(1, Math.min(2, availableParallelism() - 1));
const IDLE_MS = 30_000;

interface PoolThread {
  worker: Worker;
  idleTimer: NodeJS.Timeout | null;
}

const idle: PoolThread[] = [];
const waiting: (() => void)[] = [];
let running = 0;
let nextId = 1;

/** How many imports are being worked on right now (not counting those waiting for a thread). */
export function importsInFlight(): number {
  return running;
}

/** Runs the import on a pool thread. A problem with the files comes back as an UploadProblem, as if it ran here. */
export async function importOffThread(job: ImportJob): Promise<ImportedImages> {
  // A loop, not an if: a caller arriving just as a thread frees up may take it first.
  while (running >= THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  const thread = idle.pop() ?? startThread();
  if (thread.idleTimer) clearTimeout(thread.idleTimer);
  thread.worker.ref();
  let healthy = true;
  try {
    return await postJob(thread.worker, job);
  } catch (error) {
    healthy = error instanceof UploadProblem;
    throw error;
  } finally {
    running--;
    if (healthy) park(thread);
    else void thread.worker.terminate();
    waiting.shift()?.();
  }
}

function postJob(worker: Worker, job: ImportJob): Promise<ImportedImages> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: ImportReply) => {
      if (reply.id !== id) return;
      cleanUp();
      if (reply.ok) resolve(reply.result);
      else if ('problem' in reply) reject(new UploadProblem(reply.problem));
      else reject(new Error(`Importing the upload failed: ${reply.crash}`));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new Error(`The import thread failed: ${error.stack ?? error.message}`));
    };
    const onExit = (code: number) => {
      cleanUp();
      reject(new Error(`The import thread stopped (exit code ${code}) before it finished.`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ id, job });
  });
}

function park(thread: PoolThread): void {
  // An idle thread must not keep the process alive, nor live forever.
  thread.worker.unref();
  thread.idleTimer = setTimeout(() => {
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
    void thread.worker.terminate();
  }, IDLE_MS);
  thread.idleTimer.unref();
  idle.push(thread);
}

/**
 * The server runs TypeScript through tsx; a thread starts without it, so the entry first
 * registers tsx's loader in that thread, then imports the worker module.
 */
function startThread(): PoolThread {
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx')), 'esm/api/index.mjs')).href;
  const entry = new URL('./import-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, name: 'layerbook-import' });
  const thread: PoolThread = { worker, idleTimer: null };
  // A job in progress hears about a crash through its own listeners; an idle thread that dies just leaves the pool.
  worker.on('error', (error) => console.error('[import] thread failed:', error));
  worker.on('exit', () => {
    const at = idle.indexOf(thread);
    if (at >= 0) idle.splice(at, 1);
  });
  return thread;
}
