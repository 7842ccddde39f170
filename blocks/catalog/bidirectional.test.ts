import { describe, expect, it } from 'vitest';
import { compileSpec } from '../compile';
import { SPEC_VERSION, type ModelSpec } from '../format/model-spec';
import { bidirectionalGru } from './bidirectional-gru';
import { bidirectionalLstm } from './bidirectional-lstm';
import { gru } from './gru';
import { lstm } from './lstm';

const defaults = (layer: typeof lstm) => Object.fromEntries(layer.args.map((a) => [a.name, a.default]));

describe('Bidirectional blocks', () => {
  it('have every setting of the layer inside, plus how the two readings are joined', () => {
    expect(bidirectionalLstm.args.map((a) => a.name)).toEqual([...lstm.args.map((a) => a.name), 'mergeMode']);
    expect(bidirectionalLstm.wraps).toEqual({ inner: lstm, ownArgs: ['mergeMode'] });
  });

  it('count twice the weights of one LSTM: one copy reads forwards, one backwards', () => {
    const args = { ...defaults(bidirectionalLstm), units: 64 };
    expect(bidirectionalLstm.params([80, 128], args)).toBe(2 * lstm.params([80, 128], args));
    expect(bidirectionalLstm.params([80, 128], args)).toBe(2 * 49_408);
  });

  it('give twice the units side by side, the same number when added, and keep the steps when asked', () => {
    const args = { ...defaults(bidirectionalGru), units: 5 };
    expect(bidirectionalGru.outputShape([10, 3], args)).toEqual({ shape: [10] });
    expect(bidirectionalGru.outputShape([10, 3], { ...args, mergeMode: 'sum' })).toEqual({ shape: [5] });
    expect(bidirectionalGru.outputShape([10, 3], { ...args, returnSequences: true, mergeMode: 'concat' })).toEqual({ shape: [10, 10] });
    expect(bidirectionalGru.params([10, 3], args)).toBe(2 * gru.params([10, 3], args));
  });

  it('ask for a sequence, like the layer inside', () => {
    const spec: ModelSpec = {
      specVersion: SPEC_VERSION,
      kind: 'sequential',
      name: 'flat',
      layers: [
        { id: 'in', type: 'input', args: { shape: [8] }, inputs: [] },
        { id: 'bi', type: 'bidirectionalLstm', args: { units: 4 }, inputs: ['in'] },
      ],
      inputs: ['in'],
      outputs: ['bi'],
    };
    const errors = compileSpec(spec).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.blockId)).toEqual(['bi']);
    expect(errors[0]!.message).toMatch(/Bidirectional LSTM/);
  });
});
