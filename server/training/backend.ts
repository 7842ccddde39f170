import { createRequire } from 'node:module';
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { installWasmTrainingKernels } from './wasm/kernels';
import { initThreadedWasm } from './wasm/threads';

export type Tf = typeof tfjs;

export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

/** What a run reports as its backend. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface SelectedBackend {
  /** The tf namespace whose engine runs on the chosen backend. */
  tf: Tf;
  name: BackendName;
  /** Why faster backends were skipped, e.g. "tensorflow-gpu: Cannot find package…". Empty when the first choice loaded. */
  skipped: string[];
}

/**
 * Order for 'auto'. wasm is ahead of cpu because, with the kernels from ./wasm/kernels, it
 * trained the small MNIST CNN at ~8,500 samples/s on this 2-core machine against ~23 for the
 * cpu backend, and the MLP at ~21,000 against ~800 (batch 64, Adam; bench/training.ts).
 */
const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

export function parseBackendPreference(value: string | undefined | null): BackendPreference {
  const wanted = (value ?? '').trim().toLowerCase();
  if (wanted === '') return 'auto';
  if ((BACKEND_PREFERENCES as readonly string[]).includes(wanted)) return wanted as BackendPreference;
  throw new Error(
    `Unknown training backend "${value}". Set LAYERBOOK_BACKEND to one of: ${BACKEND_PREFERENCES.join(', ')}.`,
  );
}

/**
 * Picks the fastest TF.js backend that loads on this machine. An explicit preference that
 * cannot load is an error (the operator asked for it); 'auto' falls through and records why.
 * Call once per process: TF.js keeps one global engine.
 */
export async function selectBackend(
  preference: BackendPreference | string = process.env.LAYERBOOK_BACKEND ?? 'auto',
): Promise<SelectedBackend> {
  const wanted = parseBackendPreference(preference);
  const candidates: BackendName[] = wanted === 'auto' ? AUTO_ORDER : wanted === 'tensorflow' ? ['tensorflow-gpu', 'tensorflow'] : [wanted];
  // Read before trying: a mistyped value must stop here, not make 'auto' skip wasm for cpu.
  const wasmThreads = candidates.includes('wasm') ? wasmThreadCount() : 1;
  const skipped: string[] = [];
  for (const name of candidates) {
    try {
      const tf = await activate(name, wasmThreads);
      return { tf, name, skipped };
    } catch (error) {
      skipped.push(`${name}: ${firstLine(error)}`);
    }
  }
  throw new Error(
    `The training backend "${wanted}" could not start (${skipped.join('; ')}). ` +
      `Set LAYERBOOK_BACKEND=auto to use whichever backend works.`,
  );
}

async function activate(name: BackendName, wasmThreads: number): Promise<Tf> {
  switch (name) {
    case 'tensorflow-gpu':
      return activateNative('@tensorflow/tfjs-node-gpu');
    case 'tensorflow':
      return activateNative('@tensorflow/tfjs-node');
    case 'wasm':
      return activateWasm(wasmThreads);
    case 'cpu':
      if (!(await tfjs.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
      return tfjs;
  }
}

/**
 * tfjs-node(-gpu) is optional and usually absent; the specifier is a variable so that
 * neither the type checker nor a bundler insists on it.
 */
async function activateNative(packageName: string): Promise<Tf> {
  const native = (await import(/* webpackIgnore: true */ packageName)) as Tf;
  const tf = typeof (native as Partial<Tf>).setBackend === 'function' ? native : tfjs;
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${packageName} loaded but its backend did not initialise`);
  return tf;
}

async function activateWasm(threads: number): Promise<Tf> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries ship in the package; pointing at them keeps TF.js off the network.
  const require = createRequire(import.meta.url);
  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(distDir + path.sep);
  const threaded =
    threads > 1 &&
    (await initThreadedWasm(tfjs, threads, () => tfjs.setBackend('wasm')).catch((error: unknown) => {
      console.warn(`[training] wasm could not start ${threads} threads (${firstLine(error)}); training on one.`);
      return false;
    }));
  if (!threaded) {
    // The single-threaded SIMD build: always there, and what runs when threads cannot start.
    wasm.setThreadsCount(1);
    if (!(await tfjs.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  }
  installWasmTrainingKernels(tfjs);
  return tfjs;
}

/**
 * How many threads the wasm backend's XNNPACK may use: LAYERBOOK_WASM_THREADS, else 1.
 *
 * One by default, measured on this 2-core machine: with the machine otherwise idle, two
 * threads trained the MLP 23% faster and the CNN no faster (most of its step is in our own
 * single-threaded kernels, and the threaded build costs ~8% by itself); with anything else
 * running — the web server answering, a test, a second training process — they were 2–3×
 * slower, because XNNPACK's threads spin waiting for each other and one of them is often
 * not on a core. So more threads only pay on a machine whose cores are free for training:
 * a `layerbook worker` machine, with processes × threads ≤ cores.
 */
export function wasmThreadCount(source: Readonly<Record<string, string | undefined>> = process.env): number {
  const value = source.LAYERBOOK_WASM_THREADS?.trim();
  if (!value) return 1;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`LAYERBOOK_WASM_THREADS must be a whole number from 1 up, not "${value}".`);
  }
  return threads;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}
