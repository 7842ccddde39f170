import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { ISSUE_CASE, MEMORY_CASES, estimateOf } from '../../bench/memory';
import { compileTrainingCell } from '../compile-training';
import { BUILT_IN_DATASETS } from '../format/datasets';
import { modelWorkspace } from '../templates/build';
import { trainingWorkspace } from '../templates/training';
import { DEFAULT_MAX_TRAINING_BYTES, estimateTrainingMemory, formatBytes } from './memory';

/**
 * Peak memory growth of two training steps on the wasm backend, in bytes, measured by
 * `node --import tsx bench/memory.ts` (fresh process per case, 1 thread) on the 2-core
 * development machine, Node 20, on 2 December 2026. Re-measure when the kernels change.
 */
const MEASURED_PEAK_BYTES: Record<string, number> = {
  'mlp-784-128-10 b256': 12.0e6,
  'mlp-784-1024x2-10 b1024': 97.3e6,
  'cnn-small b64': 22.9e6,
  'cnn-small b1024': 204.6e6,
  'conv32-same b256': 186.5e6,
  'conv128-same b128': 222.1e6,
  'conv128-same b512': 840.0e6,
  'conv64-pool-conv64 b512': 693.3e6,
};

describe('training memory estimate', () => {
  it('counts weights six times, outputs twice, activated outputs three times more, convolution patches, and a fixed part', () => {
    const memory = estimateTrainingMemory(
      [
        { type: 'input', outputShape: [null, 28, 28, 1], params: 0 },
        // 3×3 kernel over 1 channel, 8 filters: 9 numbers per patch (+1 for the bias), 26×26 patches.
        { type: 'conv2d', outputShape: [null, 26, 26, 8], params: 80, activation: 'relu' },
        { type: 'flatten', outputShape: [null, 5408], params: 0 },
        { type: 'dense', outputShape: [null, 10], params: 54_090, activation: 'linear' },
      ],
      32,
    );
    expect(memory.weightBytes).toBe((80 + 54_090) * 4 * 6);
    const perExample = 784 * 2 + 5408 * (2 + 3) + 26 * 26 * 10 + 5408 * 2 + 10 * 2;
    expect(memory.activationBytes).toBe(perExample * 32 * 4 + 8_000_000);
    expect(memory.totalBytes).toBe(memory.weightBytes + memory.activationBytes);
  });

  it('is within 1.5× of the peak measured on the wasm backend, for MLPs and CNNs from batch 64 to 1024', () => {
    for (const memoryCase of MEMORY_CASES) {
      const measured = MEASURED_PEAK_BYTES[memoryCase.name];
      expect(measured, `a measured peak for ${memoryCase.name}`).toBeDefined();
      const ratio = estimateOf(memoryCase) / measured!;
      expect({ name: memoryCase.name, ratio, within: ratio >= 1 / 1.5 && ratio <= 1.5 }).toMatchObject({ within: true });
    }
  });

  it("refuses issue 8's Conv2D 128 model at batch 2048 (it crashed the training process at 4 GB), naming the need and the limit", () => {
    expect(estimateOf(ISSUE_CASE)).toBeGreaterThan(DEFAULT_MAX_TRAINING_BYTES);
    const model = compileCell(modelWorkspace('heavy', 'Heavy', ISSUE_CASE.blocks));
    expect(model.spec).not.toBeNull();
    const result = compileTrainingCell(trainingWorkspace('t', { batchSize: 2048 }), {
      dataset: 'mnist',
      data: { info: BUILT_IN_DATASETS.mnist, ownValidation: null },
      model,
    });
    const problem = result.diagnostics.find((d) => d.code === 'too-much-memory');
    expect(problem).toMatchObject({ severity: 'error', blockId: 't-batch-size' });
    expect(problem!.message).toBe(
      `Training this model with batches of 2048 needs about ${formatBytes(result.trainingBytes)} of memory, more than the 2.1 GB the server allows.`,
    );
    expect(formatBytes(result.trainingBytes)).toBe('3.4 GB');
    expect(problem!.fix).toMatch(/smaller batch size/);
  });

  it('is part of every compile result, growing with the batch size', () => {
    const small = compileCell(mnistMlpWorkspace(), { batchSize: 1 });
    const big = compileCell(mnistMlpWorkspace(), { batchSize: 1000 });
    expect(small.trainingBytes).toBeGreaterThan(101_770 * 16);
    expect(big.trainingBytes).toBeGreaterThan(small.trainingBytes);
    expect(big.diagnostics).toEqual([]);
  });

  it('refuses a model over the limit, saying how much it needs and what the limit is', () => {
    const result = compileCell(mnistMlpWorkspace(), { maxTrainingBytes: 1_000_000 });
    expect(result.spec).toBeNull();
    const problem = result.diagnostics.find((d) => d.code === 'too-much-memory');
    expect(problem).toMatchObject({ severity: 'error', blockId: 'mnist-mlp-model' });
    expect(problem!.message).toContain(formatBytes(result.trainingBytes));
    expect(problem!.message).toContain('1.0 MB');
  });

  it('allows up to 2 GiB when no limit is set: a model needing 2.14 GB trains, one needing 2.33 GB is refused', () => {
    const heavy = modelWorkspace('heavy', 'Heavy', ISSUE_CASE.blocks);
    const fits = compileCell(heavy, { batchSize: 1280 });
    expect(fits.trainingBytes).toBeGreaterThan(2.13e9);
    expect(fits.diagnostics).toEqual([]);
    const over = compileCell(heavy, { batchSize: 1400 });
    expect(over.trainingBytes).toBeLessThan(2.34e9);
    expect(over.diagnostics.find((d) => d.code === 'too-much-memory')?.message).toContain('more than the 2.1 GB the server allows');
  });

  it('words sizes as students know them', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1_630_000)).toBe('1.6 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.1 GB');
  });
});
