import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { DEFAULT_MAX_TRAINING_BYTES, estimateTrainingMemory, formatBytes } from './memory';

describe('training memory estimate', () => {
  it('counts weights four times (weight, gradient, two Adam slots) and every activation per example in the batch', () => {
    const memory = estimateTrainingMemory(
      [
        { outputShape: [null, 784], params: 0 },
        { outputShape: [null, 10], params: 7_850 },
      ],
      32,
    );
    expect(memory.weightBytes).toBe(7_850 * 4 * 4);
    expect(memory.activationBytes).toBe((784 + 10) * 32 * 4);
    expect(memory.totalBytes).toBe(memory.weightBytes + memory.activationBytes);
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

  it('allows 2 GiB by default and words sizes as students know them', () => {
    expect(DEFAULT_MAX_TRAINING_BYTES).toBe(2 * 1024 ** 3);
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1_630_000)).toBe('1.6 MB');
    expect(formatBytes(DEFAULT_MAX_TRAINING_BYTES)).toBe('2.1 GB');
  });
});
