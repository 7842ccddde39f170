import { describe, expect, it } from 'vitest';
import { CATEGORIES, LAYERS, getLayer } from '../../blocks/catalog';
import { formatArgDefault, formatArgRange, layerReference } from './reference';

function arg(layerKey: string, name: string) {
  const found = getLayer(layerKey)?.args.find((a) => a.name === name);
  if (!found) throw new Error(`no argument ${layerKey}.${name}`);
  return found;
}

describe('layer reference', () => {
  it('lists every catalogue layer exactly once, under its own category', () => {
    const sections = layerReference();
    const listed = sections.flatMap((s) => s.layers.map((l) => l.key));
    expect(listed.slice().sort()).toEqual(LAYERS.map((l) => l.key).sort());
    for (const section of sections) {
      for (const entry of section.layers) expect(getLayer(entry.key)?.category).toBe(section.key);
    }
    // Toolbox order, so the page reads like the toolbox.
    const order = CATEGORIES.map((c) => c.key).filter((k) => sections.some((s) => s.key === k));
    expect(sections.map((s) => s.key)).toEqual(order);
  });

  it('gives each layer a unique anchor and its Keras and TF.js names', () => {
    const entries = layerReference().flatMap((s) => s.layers);
    expect(new Set(entries.map((e) => e.anchor)).size).toBe(entries.length);
    const dense = entries.find((e) => e.key === 'dense')!;
    expect(dense.kerasClass).toBe('Dense');
    expect(dense.tfjsFactory).toBe('tf.layers.dense');
    expect(entries.find((e) => e.key === 'input')!.tfjsFactory).toBeNull();
    const bidirectional = entries.find((e) => e.key === 'bidirectionalLstm')!;
    expect(bidirectional.kerasClass).toBe('Bidirectional(LSTM)');
    expect(bidirectional.tfjsFactory).toBe('tf.layers.bidirectional(tf.layers.lstm)');
  });

  it('shows every argument with its doc and marks the advanced ones', () => {
    const dense = layerReference().flatMap((s) => s.layers).find((e) => e.key === 'dense')!;
    expect(dense.arguments.map((a) => a.name)).toEqual(getLayer('dense')!.args.map((a) => a.name));
    const units = dense.arguments.find((a) => a.name === 'units')!;
    expect(units).toMatchObject({ type: 'whole number', default: '64', range: '1 to 100,000', advanced: false });
    expect(units.doc).toMatch(/neurons/);
    expect(dense.arguments.find((a) => a.name === 'useBias')).toMatchObject({ type: 'yes / no', default: 'yes', advanced: true });
  });

  it('words defaults and ranges the way a student reads them', () => {
    expect(formatArgDefault(arg('dense', 'activation'))).toBe('none (linear)');
    expect(formatArgRange(arg('dense', 'activation'))).toMatch(/^one of: none \(linear\), relu, sigmoid/);
    expect(formatArgRange(arg('dropout', 'rate'))).toBe('at least 0, less than 1');
    expect(formatArgRange(arg('batchNormalization', 'epsilon'))).toBe('more than 0, at most 1');
    expect(formatArgDefault(arg('input', 'shape'))).toMatch(/^\d+(, \d+)*$/);
    const poolStrides = arg('maxPooling2d', 'strides');
    expect(formatArgDefault(poolStrides)).toMatch(/^auto \(.+\)$/);
  });
});
