import { describe, expect, it } from 'vitest';
import { layerBlockJson } from '../blockly/definitions';
import { resolveArgs } from '../shapes/validate-args';
import { MERGE_WITH_FIELD, layerBlockType } from '../format/block-types';
import { argToField, fieldToArg } from './field-values';
import { CATEGORIES, LAYERS, getLayer } from './index';

/** Every field name a Blockly JSON definition declares, over all its message rows. */
function fieldNames(json: Record<string, unknown>): string[] {
  return Object.entries(json)
    .filter(([key]) => /^args\d+$/.test(key))
    .flatMap(([, args]) => (args as Array<{ type: string; name?: string }>).filter((a) => a.type.startsWith('field_')).map((a) => a.name!));
}

describe('layer catalogue', () => {
  it('has the layers the course needs, each once', () => {
    const keys = LAYERS.map((l) => l.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of ['input', 'dense', 'conv2d', 'maxPooling2d', 'flatten', 'dropout', 'activation']) expect(getLayer(key)?.key).toBe(key);
    expect(getLayer('noSuchLayer')).toBeUndefined();
  });

  it.each(LAYERS.map((l) => [l.key, l] as const))('%s: documents itself and every argument in one line', (_key, layer) => {
    expect(layer.label).not.toBe('');
    expect(layer.kerasClass).toMatch(/^[A-Z][A-Za-z0-9]*$/);
    expect(CATEGORIES.map((c) => c.key)).toContain(layer.category);
    expect(layer.doc.length).toBeGreaterThan(10);
    expect(layer.doc).not.toMatch(/\n/);
    expect(layer.isInput).toBe(layer.tfjsFactory === null);
    for (const arg of layer.args) {
      expect(arg.doc.length, `${layer.key}.${arg.name} doc`).toBeGreaterThan(10);
      expect(arg.doc).not.toMatch(/\n/);
      expect(arg.name).toMatch(/^[a-z][A-Za-z0-9]*$/);
    }
  });

  it.each(LAYERS.map((l) => [l.key, l] as const))('%s: defaults pass its own validation', (_key, layer) => {
    const { args, diagnostics } = resolveArgs(layer, {}, 'block');
    expect(diagnostics).toEqual([]);
    expect(Object.keys(args!)).toEqual(layer.args.map((a) => a.name));
  });

  it.each(LAYERS.map((l) => [l.key, l] as const))('%s: block definition has one field per argument, coloured by category', (_key, layer) => {
    const json = layerBlockJson(layer);
    expect(json.type).toBe(layerBlockType(layer.key));
    expect(json.tooltip).toBe(layer.doc);
    expect(json.colour).toBe(CATEGORIES.find((c) => c.key === layer.category)!.colour);
    // Merge blocks also have a box naming the outputs they combine; it is not an argument.
    const names = fieldNames(json).filter((n) => n !== 'SHOW_ADVANCED' && n !== MERGE_WITH_FIELD);
    expect(fieldNames(json).includes(MERGE_WITH_FIELD)).toBe(layer.merge !== undefined);
    expect(names.sort()).toEqual(layer.args.map((a) => a.name).sort());
  });

  it.each(LAYERS.flatMap((l) => l.args.map((a) => [`${l.key}.${a.name}`, a] as const)))(
    '%s: default survives the trip into a block field and back',
    (_name, arg) => {
      const back = fieldToArg(arg, argToField(arg, arg.default));
      expect(back).toEqual(arg.default);
    },
  );
});

describe('block field values', () => {
  const conv = getLayer('conv2d')!;
  const kernel = conv.args.find((a) => a.name === 'kernelSize')!;
  const poolStrides = getLayer('maxPooling2d')!.args.find((a) => a.name === 'strides')!;
  const shape = getLayer('input')!.args.find((a) => a.name === 'shape')!;

  it('reads the ways students write sizes', () => {
    expect(fieldToArg(kernel, '3')).toBe(3);
    expect(fieldToArg(kernel, '3,5')).toEqual([3, 5]);
    expect(fieldToArg(kernel, '3x5')).toEqual([3, 5]);
    expect(fieldToArg(kernel, ' 3 × 3 ')).toEqual([3, 3]);
    expect(fieldToArg(shape, '28, 28, 1')).toEqual([28, 28, 1]);
    expect(fieldToArg(poolStrides, 'auto')).toBeNull();
    expect(fieldToArg(poolStrides, '')).toBeNull();
  });

  it('passes unreadable text on unchanged so the validator can explain it', () => {
    expect(fieldToArg(shape, '28,28,a')).toBe('28,28,a');
    expect(fieldToArg(kernel, '1,2,3')).toBe('1,2,3');
    // "auto" is only meaningful where the argument has an automatic value.
    expect(fieldToArg(kernel, 'auto')).toBe('auto');
  });
});
