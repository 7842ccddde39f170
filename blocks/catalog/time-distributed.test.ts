import { describe, expect, it } from 'vitest';
import { emitKeras } from '../codegen/emit-keras';
import { emitTfjs } from '../codegen/emit-tfjs';
import { compileSpec } from '../compile';
import { SPEC_VERSION, type ModelSpec } from '../format/model-spec';
import { dense } from './dense';
import { timeDistributedDense } from './time-distributed-dense';

const defaults = Object.fromEntries(timeDistributedDense.args.map((a) => [a.name, a.default]));
const stack = (input: number[], args: Record<string, unknown>): ModelSpec => ({
  specVersion: SPEC_VERSION,
  kind: 'sequential',
  name: 'steps',
  layers: [
    { id: 'in', type: 'input', args: { shape: input }, inputs: [] },
    { id: 'td', type: 'timeDistributedDense', args, inputs: ['in'] },
  ],
  inputs: ['in'],
  outputs: ['td'],
});

describe('TimeDistributed Dense', () => {
  it('applies one Dense to each step: the steps stay, the weights are shared', () => {
    const args = { ...defaults, units: 4 };
    expect(timeDistributedDense.outputShape([10, 8], args)).toEqual({ shape: [10, 4] });
    expect(timeDistributedDense.params([10, 8], args)).toBe(dense.params([8], args));
    expect(timeDistributedDense.params([10, 8], args)).toBe(36);
  });

  it('wants a sequence of flat steps, and says so on the block', () => {
    const errors = compileSpec(stack([28, 28, 1], { units: 4 })).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.blockId, d.code])).toEqual([['td', 'wrong-rank']]);
    expect(errors[0]!.message).toContain('TimeDistributed Dense needs data with 2 dimensions');
  });

  it('prints the Dense inside the wrapper in TF.js and Keras code', () => {
    const spec = stack([10, 8], { units: 4, activation: 'relu' });
    expect(emitTfjs(spec)).toContain("model.add(tf.layers.timeDistributed({layer: tf.layers.dense({units: 4, activation: 'relu'}), inputShape: [10, 8]}));");
    expect(emitKeras(spec)).toContain('layers.TimeDistributed(layers.Dense(units=4, activation="relu", kernel_initializer="glorot_normal")),');
  });
});
