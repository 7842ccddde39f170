/**
 * Every catalogue layer against TF.js itself: for each of its examples, the shape checker's
 * output shape and parameter count must equal what TF.js builds, both through buildModel and
 * from the generated code; and the catalogue's defaults must be TF.js's defaults (the code
 * leaves defaults out, so a wrong one would silently build a different layer).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYERS, splitWrapperArgs, type LayerDefinition } from '../../blocks/catalog';
import { emitTfjs } from '../../blocks/codegen/emit-tfjs';
import { tfjsValue } from '../../blocks/codegen/tfjs-plan';
import { compileSpec } from '../../blocks/compile';
import { SPEC_VERSION, type ModelSpec } from '../../blocks/format/model-spec';
import { buildModel } from './build-model';
import { configWithoutNames } from '../../testing/layer-config';

function oneLayerSpec(layer: LayerDefinition, input: readonly (number | null)[], args: Readonly<Record<string, unknown>>): ModelSpec {
  return {
    specVersion: SPEC_VERSION,
    kind: 'sequential',
    name: layer.key,
    layers: [
      { id: 'in', type: 'input', args: { shape: [...input] }, inputs: [] },
      { id: 'l', type: layer.key, args: { ...args }, inputs: ['in'] },
    ],
    inputs: ['in'],
    outputs: ['l'],
  };
}

/** A merge layer fed straight from one Input per shape. */
function mergeSpec(layer: LayerDefinition, inputs: readonly (readonly (number | null)[])[], args: Readonly<Record<string, unknown>>): ModelSpec {
  const inputIds = inputs.map((_, i) => `in${i + 1}`);
  return {
    specVersion: SPEC_VERSION,
    kind: 'functional',
    name: layer.key,
    layers: [
      ...inputs.map((shape, i) => ({ id: inputIds[i]!, type: 'input', args: { shape: [...shape] }, inputs: [] })),
      { id: 'l', type: layer.key, args: { ...args }, inputs: inputIds },
    ],
    inputs: inputIds,
    outputs: ['l'],
  };
}

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const factory = (name: string) => (tf.layers as unknown as Record<string, Factory>)[name]!;

/**
 * TF.js treats a flag left out, null and false alike (ReLU maxValue, LSTM unitForgetBias),
 * and some layers list only the settings they were given (Flatten's data format).
 */
const LISTED_ONLY_WHEN_GIVEN: Record<string, readonly string[]> = { flatten: ['dataFormat'] };
function meaningfulConfig(layerKey: string, layer: tf.layers.Layer) {
  const config = configWithoutNames(layer);
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || value === null || value === false || LISTED_ONLY_WHEN_GIVEN[layerKey]?.includes(key)) delete config[key];
  }
  return config;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  tf.disposeVariables();
});

const layers = LAYERS.filter((l) => !l.isInput);
const examples = layers.flatMap((layer) => layer.examples.map((example, i) => [`${layer.key} #${i + 1}`, layer, example] as const));

describe('catalogue shapes and parameter counts match TF.js', () => {
  it('every layer has at least one example', () => {
    for (const layer of layers) expect(layer.examples.length, layer.key).toBeGreaterThan(0);
  });

  it.each(examples)('%s', (_name, layer, example) => {
    const spec = example.inputs ? mergeSpec(layer, example.inputs, example.args) : oneLayerSpec(layer, example.input, example.args);
    const checked = compileSpec(spec);
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const trace = checked.layers.find((l) => l.id === 'l')!;

    const built = buildModel(tf, spec);
    const builtLayer = built.layers[built.layers.length - 1]!;
    expect(builtLayer.getClassName()).toBe(layer.kerasClass);
    expect([builtLayer.outputShape, builtLayer.countParams()]).toEqual([trace.outputShape, trace.params]);

    const fromCode = new Function('tf', `${emitTfjs(spec)}\nreturn model;`)(tf) as tf.LayersModel;
    const codeLayer = fromCode.layers[fromCode.layers.length - 1]!;
    expect(configWithoutNames(codeLayer)).toEqual(configWithoutNames(builtLayer));
    expect(codeLayer.countParams()).toBe(trace.params);
    built.dispose();
    fromCode.dispose();
  });
});

describe('merge layers refuse the shapes TF.js refuses', () => {
  const merges = LAYERS.filter((l) => l.merge);
  const cases: [string, LayerDefinition, number[][], Record<string, unknown>][] = [
    ...merges.filter((l) => l.key !== 'concatenate' && l.key !== 'dot').map((l): [string, LayerDefinition, number[][], Record<string, unknown>] => [`${l.key}: 8 and 4`, l, [[8], [4]], {}]),
    ['concatenate: 4×4×3 and 5×5×3 on the channels', LAYERS.find((l) => l.key === 'concatenate')!, [[4, 4, 3], [5, 5, 3]], {}],
    ['dot: 8 and 4', LAYERS.find((l) => l.key === 'dot')!, [[8], [4]], { axes: -1 }],
  ];

  it('covers every merge layer', () => {
    expect(new Set(cases.map((c) => c[1].key))).toEqual(new Set(merges.map((l) => l.key)));
  });

  it.each(cases)('%s', (_name, layer, inputs, args) => {
    const checked = compileSpec(mergeSpec(layer, inputs, args));
    expect(checked.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['merge-shapes-differ']);
    const tensors = inputs.map((shape) => tf.input({ shape }));
    expect(() => factory(layer.tfjsFactory!)({ ...args }).apply(tensors)).toThrow();
  });
});

describe("catalogue defaults are TF.js's defaults", () => {
  it.each(layers.map((l) => [l.key, l] as const))('%s', (_key, layer) => {
    const all: Record<string, unknown> = {};
    const essential: Record<string, unknown> = {};
    for (const arg of layer.args) {
      all[arg.name] = tfjsValue(arg, arg.default);
      if (arg.essential) essential[arg.name] = all[arg.name];
    }
    const wraps = layer.wraps;
    if (!wraps) {
      const make = factory(layer.tfjsFactory!);
      expect(meaningfulConfig(layer.key, make(all))).toEqual(meaningfulConfig(layer.key, make(essential)));
      return;
    }
    // A wrapper: the inner layer's defaults and the wrapper's own, each against TF.js.
    const makeInner = factory(wraps.inner.tfjsFactory!);
    const makeOuter = (values: Record<string, unknown>) => {
      const { own, inner } = splitWrapperArgs(wraps, values);
      const { layer: _inner, ...config } = meaningfulConfig(layer.key, factory(layer.tfjsFactory!)({ layer: makeInner(inner), ...own }));
      return { inner: meaningfulConfig(wraps.inner.key, makeInner(inner)), own: config };
    };
    expect(makeOuter(all)).toEqual(makeOuter(essential));
  });
});

describe('Keras example models count the same parameters as model.summary()', () => {
  const stack = (layers: readonly { key: string; args?: Record<string, unknown> }[]): ModelSpec => ({
    specVersion: SPEC_VERSION,
    kind: 'sequential',
    name: 'example',
    layers: layers.map((l, i) => ({ id: `l${i}`, type: l.key, args: { ...l.args }, inputs: i === 0 ? [] : [`l${i - 1}`] })),
    inputs: ['l0'],
    outputs: [`l${layers.length - 1}`],
  });
  const count = (spec: ModelSpec) => {
    const checked = compileSpec(spec, { maxParams: Number.POSITIVE_INFINITY });
    expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const built = buildModel(tf, spec, { maxParams: Number.POSITIVE_INFINITY });
    const counts = { catalogue: checked.layers.map((l) => l.params).filter((p) => p > 0), tfjs: built.countParams() };
    built.dispose();
    return counts;
  };

  it('IMDB LSTM: Embedding(20000,128) → LSTM(64) → Dense(1)', () => {
    const { catalogue, tfjs } = count(
      stack([
        { key: 'input', args: { shape: [80] } },
        { key: 'embedding', args: { inputDim: 20_000, outputDim: 128 } },
        { key: 'lstm', args: { units: 64 } },
        { key: 'dense', args: { units: 1, activation: 'sigmoid' } },
      ]),
    );
    expect(catalogue).toEqual([2_560_000, 49_408, 65]);
    expect(tfjs).toBe(2_560_000 + 49_408 + 65);
  });

  it('1-D CNN text classifier (Keras imdb_cnn)', () => {
    const { catalogue, tfjs } = count(
      stack([
        { key: 'input', args: { shape: [400] } },
        { key: 'embedding', args: { inputDim: 5000, outputDim: 50 } },
        { key: 'dropout', args: { rate: 0.2 } },
        { key: 'conv1d', args: { filters: 250, kernelSize: 3, activation: 'relu' } },
        { key: 'globalMaxPooling1d' },
        { key: 'dense', args: { units: 250 } },
        { key: 'dropout', args: { rate: 0.2 } },
        { key: 'activation', args: { activation: 'relu' } },
        { key: 'dense', args: { units: 1, activation: 'sigmoid' } },
      ]),
    );
    expect(catalogue).toEqual([250_000, 37_750, 62_750, 251]);
    expect(tfjs).toBe(350_751);
  });

  it('CIFAR-10 CNN (Keras cifar10_cnn)', () => {
    const { catalogue, tfjs } = count(
      stack([
        { key: 'input', args: { shape: [32, 32, 3] } },
        { key: 'conv2d', args: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { key: 'conv2d', args: { filters: 32, kernelSize: 3, activation: 'relu' } },
        { key: 'maxPooling2d', args: { poolSize: 2 } },
        { key: 'dropout', args: { rate: 0.25 } },
        { key: 'conv2d', args: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { key: 'conv2d', args: { filters: 64, kernelSize: 3, activation: 'relu' } },
        { key: 'maxPooling2d', args: { poolSize: 2 } },
        { key: 'dropout', args: { rate: 0.25 } },
        { key: 'flatten' },
        { key: 'dense', args: { units: 512, activation: 'relu' } },
        { key: 'dropout', args: { rate: 0.5 } },
        { key: 'dense', args: { units: 10, activation: 'softmax' } },
      ]),
    );
    expect(catalogue).toEqual([896, 9248, 18_496, 36_928, 1_180_160, 5130]);
    expect(tfjs).toBe(1_250_858);
  });
});
