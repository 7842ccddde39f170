import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import workerThreads from 'node:worker_threads';
import type * as tfType from '@tensorflow/tfjs';

/**
 * Starts tfjs-backend-wasm's threaded SIMD build under Node, so that XNNPACK (Conv2D,
 * MatMul) runs on several cores.
 *
 * tfjs-backend-wasm 4.22 turns threads off in Node because Emscripten starts its pthread
 * workers from blob: URLs, which Node's worker_threads refuse. Node can run a worker from a
 * file, so while the backend initialises we:
 *  - record the two scripts the backend puts in Blobs (the pthread worker, and the module
 *    factory the worker loads) and write them to files;
 *  - hand Emscripten the worker's file path instead of a blob: URL, with the worker script
 *    loading the factory from its file instead of from a Blob (the one text edit below);
 *  - give the factory the names it uses from the bundle around it (Node's fs/path/os,
 *    tslib helpers), since a worker evaluates it alone;
 *  - start those workers without this process's Node flags (a loader such as tsx, or
 *    --input-type, would break or slow a plain CommonJS worker);
 *  - report twice the real core count: the backend caps its thread pool at half the
 *    "logical cores" (it assumes hyper-threading), which would leave one thread on this
 *    2-core machine.
 * Every global is restored as soon as initialisation ends. If anything in this no longer
 * matches the installed version, initialisation fails and the caller falls back to the
 * single-threaded build.
 */
export async function initThreadedWasm(tf: typeof tfType, threads: number, setBackend: () => Promise<boolean>): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layerbook-wasm-'));
  const factoryScript = path.join(dir, 'factory.cjs');
  const workerScript = path.join(dir, 'pthread-worker.cjs');
  const bundleNames =
    `var commonjsGlobal = globalThis, require$$0 = require('fs'), require$$1 = require('path'), require$$3 = require('perf_hooks'), require$$4 = require('os');\n` +
    `var { __values, __read, __spreadArray } = require(${JSON.stringify(require.resolve('tslib'))});\n` +
    `var _scriptDir = ${JSON.stringify(factoryScript)};\n`;

  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const RealWorker = workerThreads.Worker;
  // Emscripten reads worker_threads.Worker while the backend initialises and keeps it for
  // workers it adds later, so this class outlives the restore below.
  class PlainWorker extends RealWorker {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      super(filename, { ...options, execArgv: [] });
    }
  }
  (workerThreads as { Worker: typeof RealWorker }).Worker = PlainWorker;
  class RecordingBlob extends RealBlob {
    readonly source: string;
    constructor(parts: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      this.source = parts.map(String).join('');
      if (this.source.startsWith('var WasmBackendModuleThreadedSimd')) fs.writeFileSync(factoryScript, bundleNames + this.source);
    }
  }
  globalThis.Blob = RecordingBlob as unknown as typeof Blob;
  URL.createObjectURL = (blob: Blob) => {
    const text = (blob as unknown as RecordingBlob).source ?? '';
    const loadFromFile = text.replace('importScripts(objectUrl)', `importScripts(${JSON.stringify(factoryScript)})`);
    if (loadFromFile === text) throw new Error('The wasm pthread worker script is not the expected one.');
    fs.writeFileSync(workerScript, loadFromFile);
    return workerScript;
  };
  os.cpus = () => {
    const cores = realCpus();
    return Array.from({ length: 2 * Math.max(threads, cores.length) }, (_, i) => cores[i % cores.length]!);
  };
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  try {
    if (!(await setBackend())) return false;
    letProcessExit(tf);
    return true;
  } finally {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreateObjectURL;
    os.cpus = realCpus;
    (workerThreads as { Worker: typeof RealWorker }).Worker = RealWorker;
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    // Emscripten starts its 8 workers, and they read both files, before initialisation ends;
    // tfjs never uses more than 8 threads, so no later worker needs them.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Emscripten keeps its pthread workers referenced, and XNNPACK's pool threads never end, so
 * Node would never exit on its own; unreferenced, they end with the process.
 */
function letProcessExit(tf: typeof tfType): void {
  const module = (tf.backend() as unknown as { wasm?: { PThread?: { unusedWorkers: Worker[]; runningWorkers: Worker[] } } }).wasm;
  const pthreads = module?.PThread;
  if (!pthreads) return;
  for (const worker of [...pthreads.unusedWorkers, ...pthreads.runningWorkers]) (worker as unknown as { unref?: () => void }).unref?.();
}
