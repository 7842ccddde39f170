import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseBackendPreference, selectBackend, wasmThreadCount } from './backend';

const resolvable = (name: string) => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};
/** tfjs-node(-gpu) is optional: the expectations below follow whether this machine has it. */
const nativeInstalled = resolvable('@tensorflow/tfjs-node') || resolvable('@tensorflow/tfjs-node-gpu');

describe('training backend selection', () => {
  it('reads LAYERBOOK_BACKEND values, treating empty as auto, and explains a wrong one', () => {
    expect(parseBackendPreference(undefined)).toBe('auto');
    expect(parseBackendPreference(' WASM ')).toBe('wasm');
    expect(() => parseBackendPreference('gpu')).toThrow('Unknown training backend "gpu". Set LAYERBOOK_BACKEND to one of: auto, tensorflow, wasm, cpu.');
  });

  it('auto picks the fastest backend that loads and records why faster ones were skipped', async () => {
    const chosen = await selectBackend('auto');
    if (nativeInstalled) {
      expect(chosen.name).toMatch(/^tensorflow/);
      expect(chosen.tf.getBackend()).toBe('tensorflow');
      return;
    }
    expect(chosen.name).toBe('wasm');
    expect(chosen.tf.getBackend()).toBe('wasm');
    expect(chosen.skipped.map((s) => s.split(':')[0])).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(chosen.skipped[0]).toMatch(/tfjs-node-gpu/);
    // And wasm can train a CNN: its missing Conv2DBackpropFilter kernel is registered.
    expect(chosen.tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('an explicit choice is honoured, and one that cannot load is an error naming the way out', async () => {
    expect((await selectBackend('cpu')).tf.getBackend()).toBe('cpu');
    expect((await selectBackend('wasm')).tf.getBackend()).toBe('wasm');
    if (nativeInstalled) {
      expect((await selectBackend('tensorflow')).tf.getBackend()).toBe('tensorflow');
    } else {
      await expect(selectBackend('tensorflow')).rejects.toThrow(/could not start .* Set LAYERBOOK_BACKEND=auto/);
    }
  });

  it('reads LAYERBOOK_WASM_THREADS, one thread when unset, and explains a wrong value', () => {
    expect(wasmThreadCount({})).toBe(1);
    expect(wasmThreadCount({ LAYERBOOK_WASM_THREADS: ' 2 ' })).toBe(2);
    expect(() => wasmThreadCount({ LAYERBOOK_WASM_THREADS: 'two' })).toThrow(
      'LAYERBOOK_WASM_THREADS must be a whole number from 1 up, not "two".',
    );
    expect(() => wasmThreadCount({ LAYERBOOK_WASM_THREADS: '0' })).toThrow(/whole number from 1 up/);
  });

  it('with LAYERBOOK_WASM_THREADS=2, wasm trains on two threads and computes exactly what one thread does', () => {
    // A process of its own: the thread count is fixed when the backend first starts.
    const script = `
      const { selectBackend } = await import('./server/training/backend.ts');
      const { tf } = await selectBackend('wasm');
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const x = tf.tensor4d(Array.from({ length: 4 * 12 * 12 * 8 }, (_, i) => Math.sin(i)), [4, 12, 12, 8]);
      const w = tf.variable(tf.tensor4d(Array.from({ length: 3 * 3 * 8 * 16 }, (_, i) => Math.cos(i) / 10), [3, 3, 8, 16]));
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 3; step++) optimizer.minimize(() => tf.conv2d(x, w, 1, 'same').relu().maxPool(2, 2, 'valid').square().mean());
      console.log(JSON.stringify({ backend: tf.getBackend(), threads: wasm.getThreadsCount(), weights: Array.from(w.dataSync()) }));
    `;
    const run = (threads: number) => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: process.cwd(),
        encoding: 'utf8',
        env: { ...process.env, LAYERBOOK_WASM_THREADS: String(threads) },
        timeout: 60_000,
      });
      const last = child.stdout.trim().split('\n').pop() ?? '';
      expect(last, child.stderr.slice(-2000)).toMatch(/^\{/);
      return JSON.parse(last) as { backend: string; threads: number; weights: number[] };
    };
    const one = run(1);
    const two = run(2);
    expect(one.backend).toBe('wasm');
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.weights).toHaveLength(3 * 3 * 8 * 16);
    expect(two.weights).toEqual(one.weights);
  }, 120_000);
});
