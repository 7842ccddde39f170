import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../format/diagnostic';
import type { ModelSpec } from '../format/model-spec';
import { addQuickFixes } from './quick-fixes';

const spec: ModelSpec = {
  specVersion: 1,
  kind: 'sequential',
  name: 'm',
  inputs: ['in'],
  outputs: ['out'],
  layers: [
    { id: 'in', type: 'input', args: { shape: [784] }, inputs: [] },
    { id: 'pool', type: 'globalMaxPooling2d', args: {}, inputs: ['in'] },
    { id: 'out', type: 'dense', args: { units: 10 }, inputs: ['pool'] },
  ],
};
const diagnostic = (blockId: string, code: string): Diagnostic => ({ blockId, code, severity: 'error', message: 'm', fix: 'f' });

describe('addQuickFixes', () => {
  it('sets the Input shape from the dataset when the Input does not fit the data', () => {
    const [fixed] = addQuickFixes([diagnostic('in', 'input-does-not-fit-data')], spec, { datasetInputShape: [28, 28, 1] });
    expect(fixed!.quickFix).toEqual({ kind: 'setInputShape', blockId: 'in', value: [28, 28, 1] });
    // Without knowing the dataset there is nothing mechanical to do.
    expect(addQuickFixes([diagnostic('in', 'input-does-not-fit-data')], spec)[0]!.quickFix).toBeUndefined();
  });

  it('offers no padding fix for a layer without a padding setting', () => {
    expect(addQuickFixes([diagnostic('pool', 'pool-too-big')], spec)[0]!.quickFix).toBeUndefined();
  });

  it('leaves other diagnostics unchanged', () => {
    const other = diagnostic('out', 'something-else');
    expect(addQuickFixes([other], spec)).toEqual([other]);
  });
});
