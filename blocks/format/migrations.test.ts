import { describe, expect, it } from 'vitest';
import { migrateSpec } from './migrations';
import type { ModelSpec } from './model-spec';

const v1: ModelSpec = {
  specVersion: 1,
  kind: 'sequential',
  name: 'm',
  layers: [{ id: 'a', type: 'input', args: { shape: [4] }, inputs: [] }],
  inputs: ['a'],
  outputs: ['a'],
};

describe('migrateSpec', () => {
  it('reads the current version unchanged', () => {
    expect(migrateSpec(structuredClone(v1))).toEqual(v1);
  });

  it('refuses versions from a newer Layerbook, saying what to do', () => {
    expect(() => migrateSpec({ ...v1, specVersion: 2 })).toThrow(/spec version 2.*only reads versions up to 1\. Update Layerbook/);
  });

  it('refuses things that are not specs', () => {
    expect(() => migrateSpec('x')).toThrow(/not a saved model/);
    expect(() => migrateSpec({ layers: [] })).toThrow(/no valid specVersion \(found nothing\)/);
    expect(() => migrateSpec({ ...v1, specVersion: 0 })).toThrow(/no valid specVersion \(found 0\)/);
    expect(() => migrateSpec({ ...v1, kind: 'tree' })).toThrow(/damaged at kind/);
  });
});
