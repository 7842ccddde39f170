import { describe, expect, it } from 'vitest';
import { convLstm2d } from './conv-lstm2d';

const defaults = Object.fromEntries(convLstm2d.args.map((a) => [a.name, a.default]));

describe('ConvLSTM2D', () => {
  it('counts 4 gates × (kernel × kernel × (channels in + filters) × filters + filters) weights', () => {
    // 3×3 kernel, 2 channels in, 4 filters: 4 × (9 × 6 × 4 + 4).
    expect(convLstm2d.params([5, 8, 8, 2], { ...defaults, filters: 4, kernelSize: 3 })).toBe(880);
    expect(convLstm2d.params([5, 8, 8, 2], { ...defaults, filters: 4, kernelSize: 3, useBias: false })).toBe(4 * 9 * 6 * 4);
  });

  it('gives one image of filters at the end, or one per step when it returns sequences', () => {
    const args = { ...defaults, filters: 4, kernelSize: 3 };
    expect(convLstm2d.outputShape([5, 8, 8, 2], args)).toEqual({ shape: [6, 6, 4] });
    expect(convLstm2d.outputShape([5, 8, 8, 2], { ...args, returnSequences: true, padding: 'same' })).toEqual({ shape: [5, 8, 8, 4] });
  });

  it('explains a filter bigger than the images', () => {
    const outcome = convLstm2d.outputShape([5, 2, 2, 1], { ...defaults, filters: 4, kernelSize: 3 });
    expect(outcome).toMatchObject({ problem: { message: expect.stringContaining('ConvLSTM2D') } });
  });
});
