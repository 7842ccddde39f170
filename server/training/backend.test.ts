import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseBackendPreference, selectBackend } from './backend';

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
});
