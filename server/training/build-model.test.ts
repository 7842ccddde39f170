import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../../blocks/catalog';
import { emitTfjs } from '../../blocks/codegen/emit-tfjs';
import { compileCell, compileSpec } from '../../blocks/compile';
import { SPEC_VERSION, type ModelSpec } from '../../blocks/format/model-spec';
import { branchingWorkspace } from '../../blocks/templates/branching';
import { modelWorkspace } from '../../blocks/templates/build';
import { mnistCnnWorkspace } from '../../blocks/templates/mnist-cnn';
import { mnistMlpWorkspace } from '../../blocks/templates/mnist-mlp';
import { residualBlockWorkspace } from '../../blocks/templates/residual-block';
import { twoInputsWorkspace } from '../../blocks/templates/two-inputs';
import { InvalidModelError, buildModel } from './build-model';
import { configWithoutNames } from '../../testing/layer-config';

function specOf(workspace: unknown): ModelSpec {
  const { spec, diagnostics } = compileCell(workspace);
  expect(diagnostics).toEqual([]);
  return spec!;
}

/** Runs the generated code the way a student would after `import * as tf from '@tensorflow/tfjs'`. */
function modelFromCode(code: string): tf.LayersModel {
  return new Function('tf', `${code}\nreturn model;`)(tf) as tf.LayersModel;
}

/** What makes two models the same network: layer classes, settings (names aside), shapes, weights count. */
function describeModel(model: tf.LayersModel) {
  return {
    layers: model.layers.map((layer) => {
      return { className: layer.getClassName(), config: configWithoutNames(layer), outputShape: layer.outputShape, params: layer.countParams() };
    }),
    inputShapes: model.inputs.map((i) => i.shape),
    outputShapes: model.outputs.map((o) => o.shape),
    params: model.countParams(),
  };
}

/** Every catalogue layer, in stacks whose data suits it: images, sequences, volumes, categories. */
const allLayerStacks = {
  image: modelWorkspace('img', 'image layers', [
    { key: 'input', args: { shape: [32, 32, 3] } },
    { key: 'rescaling', args: { scale: 0.5, offset: -1 } },
    { key: 'zeroPadding2d', args: { padding: [2, 1] } },
    { key: 'cropping2d', args: { cropping: 1 } },
    { key: 'conv2d', args: { filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false, kernelInitializer: 'heNormal', activation: 'elu', kernelRegularizer: 'l2' } },
    { key: 'conv2d', args: { filters: 2, kernelSize: 3, dilationRate: 2, biasInitializer: 'ones', kernelConstraint: 'maxNorm' } },
    { key: 'separableConv2d', args: { filters: 6, depthMultiplier: 2, padding: 'same' } },
    { key: 'depthwiseConv2d', args: { kernelSize: 3, depthMultiplier: 2 } },
    { key: 'conv2dTranspose', args: { filters: 3, strides: 2, padding: 'same' } },
    { key: 'upSampling2d', args: { size: [2, 1] } },
    { key: 'batchNormalization', args: { momentum: 0.9, center: false } },
    { key: 'averagePooling2d', args: { poolSize: 3, strides: 2, padding: 'same' } },
    { key: 'maxPooling2d', args: { poolSize: [2, 1] } },
    { key: 'prelu', args: { sharedAxes: [1, 2] } },
    { key: 'relu', args: { maxValue: 6 } },
    { key: 'leakyRelu', args: { alpha: 0.1 } },
    { key: 'elu' },
    { key: 'thresholdedRelu', args: { theta: 0.1 } },
    { key: 'gaussianNoise', args: { stddev: 0.2 } },
    { key: 'gaussianDropout', args: { rate: 0.1 } },
    { key: 'globalAveragePooling2d' },
    { key: 'reshape', args: { targetShape: [3, 1] } },
    { key: 'flatten' },
    { key: 'dropout', args: { rate: 0.3 } },
    { key: 'alphaDropout', args: { rate: 0.1 } },
    { key: 'dense', args: { units: 7, activation: 'sigmoid', useBias: false } },
    { key: 'layerNormalization' },
    { key: 'softmax' },
    { key: 'activation', args: { activation: 'softmax' } },
  ]),
  image2: modelWorkspace('img2', 'more image layers', [
    { key: 'input', args: { shape: [8, 8, 3] } },
    { key: 'globalMaxPooling2d' },
    { key: 'dense', args: { units: 2 } },
  ]),
  sequence: modelWorkspace('seq', 'sequence layers', [
    { key: 'input', args: { shape: [20] } },
    { key: 'embedding', args: { inputDim: 100, outputDim: 8 } },
    { key: 'spatialDropout1d', args: { rate: 0.2 } },
    { key: 'conv1d', args: { filters: 6, kernelSize: 3, padding: 'same' } },
    { key: 'maxPooling1d', args: { poolSize: 2 } },
    { key: 'averagePooling1d', args: { poolSize: 2, strides: 1 } },
    { key: 'simpleRnn', args: { units: 5, returnSequences: true } },
    { key: 'lstm', args: { units: 4, returnSequences: true, unitForgetBias: true } },
    { key: 'gru', args: { units: 3, returnSequences: true, goBackwards: true } },
    { key: 'permute', args: { dims: [2, 1] } },
    { key: 'globalMaxPooling1d' },
    { key: 'repeatVector', args: { n: 4 } },
    { key: 'globalAveragePooling1d' },
  ]),
  masked: modelWorkspace('mask', 'masked sequence', [
    { key: 'input', args: { shape: [6, 3] } },
    { key: 'masking', args: { maskValue: -1 } },
    { key: 'lstm', args: { units: 2 } },
  ]),
  volume: modelWorkspace('vol', 'volume layers', [
    { key: 'input', args: { shape: [8, 8, 8, 2] } },
    { key: 'conv3d', args: { filters: 3, kernelSize: [1, 3, 3], padding: 'same' } },
    { key: 'conv3dTranspose', args: { filters: 2, strides: 2 } },
    { key: 'maxPooling3d', args: { poolSize: 2 } },
    { key: 'averagePooling3d', args: { poolSize: [1, 2, 2] } },
  ]),
  merging: branchingWorkspace('merge', 'merge layers', [
    { key: 'input', args: { shape: [6] } },
    { name: 'a' },
    { key: 'dense', args: { units: 6 } },
    { name: 'b' },
    { key: 'add', with: ['a'] },
    { key: 'multiply', with: ['b'] },
    { key: 'average', with: ['a', 'b'] },
    { key: 'maximum', with: ['a'] },
    { key: 'minimum', with: ['b'] },
    { name: 'm' },
    { key: 'dot', args: { axes: -1, normalize: true }, with: ['a'] },
    { key: 'concatenate', with: ['m'] },
    { key: 'dense', args: { units: 2 } },
  ]),
  recurrentWrappers: modelWorkspace('wrap', 'recurrent wrappers', [
    { key: 'input', args: { shape: [7, 3] } },
    { key: 'bidirectionalSimpleRnn', args: { units: 4, returnSequences: true } },
    { key: 'bidirectionalGru', args: { units: 3, returnSequences: true, mergeMode: 'mul' } },
    { key: 'bidirectionalLstm', args: { units: 2, mergeMode: 'ave', unitForgetBias: true, returnSequences: true } },
    { key: 'timeDistributedDense', args: { units: 3, activation: 'softmax' } },
  ]),
  frames: modelWorkspace('frames', 'image sequences', [
    { key: 'input', args: { shape: [4, 12, 12, 1] } },
    { key: 'timeDistributedConv2d', args: { filters: 2, padding: 'same', activation: 'relu' } },
    { key: 'timeDistributedMaxPooling2d', args: { poolSize: [2, 1] } },
    { key: 'convLstm2d', args: { filters: 3, padding: 'same', returnSequences: true } },
    { key: 'convLstm2d', args: { filters: 2, kernelSize: [3, 5], recurrentDropout: 0.1 } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 2, activation: 'softmax' } },
  ]),
  categories: modelWorkspace('cat', 'category layers', [
    { key: 'input', args: { shape: [5] } },
    { key: 'categoryEncoding', args: { numTokens: 10, outputMode: 'count' } },
  ]),
};

const functional: ModelSpec = {
  specVersion: SPEC_VERSION,
  kind: 'functional',
  name: 'f',
  layers: [
    { id: 'x', type: 'input', args: { shape: [12] }, inputs: [] },
    { id: 'h', type: 'dense', args: { units: 5, activation: 'relu' }, inputs: ['x'] },
    { id: 'y', type: 'dense', args: { units: 3, activation: 'softmax' }, inputs: ['h'] },
  ],
  inputs: ['x'],
  outputs: ['y'],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  tf.disposeVariables();
});

describe('buildModel builds what the generated TF.js code builds', () => {
  it.each<[string, ModelSpec]>([
    ['MNIST CNN', specOf(mnistCnnWorkspace())],
    ['MNIST MLP', specOf(mnistMlpWorkspace())],
    ...Object.entries(allLayerStacks).map(([name, workspace]): [string, ModelSpec] => [`catalogue layers: ${name}`, specOf(workspace)]),
    ['a functional spec', functional],
    ['residual block template', specOf(residualBlockWorkspace())],
    ['two-input Concatenate template', specOf(twoInputsWorkspace())],
  ])('%s', (_name, spec) => {
    const built = buildModel(tf, spec);
    const fromCode = modelFromCode(emitTfjs(spec));
    expect(describeModel(built)).toEqual(describeModel(fromCode));

    // The shape checker's arithmetic agrees with TF.js layer by layer. TF.js lists the layers
    // of a model with branches in its own order, so those are compared as sets.
    const trace = compileSpec(spec).layers.filter((l) => l.type !== 'input');
    const inOrder = (rows: unknown[][]) => (spec.kind === 'sequential' ? rows : rows.map((r) => JSON.stringify(r)).sort());
    expect(inOrder(built.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => [l.outputShape, l.countParams()]))).toEqual(
      inOrder(trace.map((l) => [l.outputShape, l.params])),
    );
    built.dispose();
    fromCode.dispose();
  });

  it('covers every catalogue layer with its Keras class name', () => {
    // A wrapper counts with the layer inside it: Bidirectional(LSTM) is not Bidirectional(GRU).
    const classOf = (layer: tf.layers.Layer): string => {
      const inner = (layer as unknown as { layer?: tf.layers.Layer }).layer;
      return inner ? `${layer.getClassName()}(${inner.getClassName()})` : layer.getClassName();
    };
    const classes = new Set<string>();
    for (const workspace of Object.values(allLayerStacks)) {
      const built = buildModel(tf, specOf(workspace));
      for (const layer of built.layers) classes.add(classOf(layer));
      built.dispose();
    }
    for (const layer of LAYERS.filter((l) => !l.isInput)) {
      const expected = layer.wraps ? `${layer.kerasClass}(${layer.wraps.inner.kerasClass})` : layer.kerasClass;
      expect(classes, layer.key).toContain(expected);
    }
  });
});

describe('buildModel refuses models it must not build', () => {
  it('explains a broken spec instead of letting TF.js fail', () => {
    const broken = specOf(mnistMlpWorkspace());
    // Take Flatten out: the first Dense now gets the 28×28×1 image.
    const [flatten] = broken.layers.splice(1, 1);
    broken.layers[1]!.inputs = [...flatten!.inputs];
    expect(() => buildModel(tf, broken)).toThrow(InvalidModelError);
    expect(() => buildModel(tf, broken)).toThrow(/Dense needs a flat list of numbers\. Add a Flatten block above this Dense block\./);
  });

  it('refuses a model over the parameter limit before allocating weights', () => {
    const huge = compileCell(
      modelWorkspace('h', 'huge', [
        { key: 'input', args: { shape: [1000, 1000, 1] } },
        { key: 'flatten' },
        { key: 'dense', args: { units: 1000 } },
      ]),
      { maxParams: Number.POSITIVE_INFINITY, maxTrainingBytes: Number.POSITIVE_INFINITY },
    ).spec!;
    const tensorsBefore = tf.memory().numTensors;
    expect(() => buildModel(tf, huge)).toThrow(/1,000,001,000 parameters; the limit is 5,000,000/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
