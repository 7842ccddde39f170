import { createRequire } from 'node:module';
import path from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import { installWasmTrainingKernels } from './wasm-kernels';

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
 * Order for 'auto'. wasm is ahead of cpu because, with the kernels from ./wasm-kernels, it
 * trained the small MNIST CNN at ~2,700 samples/s on this 2-core machine against ~11 for
 * the cpu backend, and the MLP at ~8,000 against ~630 (batch 64, Adam; bench/training.ts).
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
  const skipped: string[] = [];
  for (const name of candidates) {
    try {
      const tf = await activate(name);
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

async function activate(name: BackendName): Promise<Tf> {
  switch (name) {
    case 'tensorflow-gpu':
      return activateNative('@tensorflow/tfjs-node-gpu');
    case 'tensorflow':
      return activateNative('@tensorflow/tfjs-node');
    case 'wasm':
      return activateWasm();
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

async function activateWasm(): Promise<Tf> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries ship in the package; pointing at them keeps TF.js off the network.
  const require = createRequire(import.meta.url);
  const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  wasm.setWasmPaths(distDir + path.sep);
  // tfjs-backend-wasm disables its threaded build under Node (it starts workers from blob:
  // URLs, which Node refuses), so the single-threaded SIMD binary is what runs here.
  if (!(await tfjs.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
  installWasmTrainingKernels(tfjs);
  return tfjs;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}
