import { describe, expect, it } from 'vitest';
import { specFromWorkspace } from '../workspace/from-workspace';
import { SPEC_VERSION, type ModelSpec } from '../format/model-spec';
import { modelWorkspace } from '../templates/build';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { emitTfjs } from './emit-tfjs';

const specOf = (workspace: unknown) => specFromWorkspace(workspace).spec!;

describe('emitTfjs (golden)', () => {
  it('MNIST CNN', () => {
    expect(emitTfjs(specOf(mnistCnnWorkspace()))).toBe(
      `const model = tf.sequential();
model.add(tf.layers.conv2d({inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu'}));
model.add(tf.layers.maxPooling2d({poolSize: 2}));
model.add(tf.layers.conv2d({filters: 16, kernelSize: 3, activation: 'relu'}));
model.add(tf.layers.maxPooling2d({poolSize: 2}));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({units: 64, activation: 'relu'}));
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
`,
    );
  });

  it('MNIST MLP', () => {
    expect(emitTfjs(specOf(mnistMlpWorkspace()))).toBe(
      `const model = tf.sequential();
model.add(tf.layers.flatten({inputShape: [28, 28, 1]}));
model.add(tf.layers.dense({units: 128, activation: 'relu'}));
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
`,
    );
  });

  it('builds the recurrent layer inside a Bidirectional block first and keeps the join setting outside it', () => {
    const spec = specOf(
      modelWorkspace('b', 'both ways', [
        { key: 'input', args: { shape: [20, 8] } },
        { key: 'bidirectionalLstm', args: { units: 16, returnSequences: true } },
        { key: 'bidirectionalGru', args: { units: 4, mergeMode: 'sum' } },
      ]),
    );
    expect(emitTfjs(spec)).toBe(
      `const model = tf.sequential();
model.add(tf.layers.bidirectional({layer: tf.layers.lstm({units: 16, returnSequences: true}), inputShape: [20, 8]}));
model.add(tf.layers.bidirectional({layer: tf.layers.gru({units: 4}), mergeMode: 'sum'}));
`,
    );
  });

  it('prints changed advanced settings, pairs and every other layer', () => {
    const spec = specOf(
      modelWorkspace('g', 'all', [
        { key: 'input', args: { shape: [32, 32, 3] } },
        { key: 'conv2d', args: { filters: 4, kernelSize: [3, 5], strides: [2, 2], padding: 'same', useBias: false, kernelInitializer: 'heNormal' } },
        { key: 'batchNormalization', args: { momentum: 0.9 } },
        { key: 'averagePooling2d', args: { poolSize: 3, strides: 1 } },
        { key: 'reshape', args: { targetShape: [50] } },
        { key: 'dropout', args: { rate: 0.25 } },
        { key: 'activation', args: { activation: 'tanh' } },
      ]),
    );
    expect(emitTfjs(spec)).toBe(
      `const model = tf.sequential();
model.add(tf.layers.conv2d({inputShape: [32, 32, 3], filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false, kernelInitializer: 'heNormal'}));
model.add(tf.layers.batchNormalization({momentum: 0.9}));
model.add(tf.layers.averagePooling2d({poolSize: 3, strides: 1}));
model.add(tf.layers.reshape({targetShape: [50]}));
model.add(tf.layers.dropout({rate: 0.25}));
model.add(tf.layers.activation({activation: 'tanh'}));
`,
    );
  });

  it('prints functional specs with tf.input and apply', () => {
    const spec: ModelSpec = {
      specVersion: SPEC_VERSION,
      kind: 'functional',
      name: 'f',
      layers: [
        { id: 'x', type: 'input', args: { shape: [8] }, inputs: [] },
        { id: 'h', type: 'dense', args: { units: 4, activation: 'relu' }, inputs: ['x'] },
        { id: 'y', type: 'dense', args: { units: 1 }, inputs: ['h'] },
      ],
      inputs: ['x'],
      outputs: ['y'],
    };
    expect(emitTfjs(spec)).toBe(
      `const input1 = tf.input({shape: [8]});
const dense1 = tf.layers.dense({units: 4, activation: 'relu'}).apply(input1);
const dense2 = tf.layers.dense({units: 1}).apply(dense1);
const model = tf.model({inputs: input1, outputs: dense2});
`,
    );
  });

  it('keeps text typed into blocks inside its string literal', () => {
    const spec = specOf(
      modelWorkspace('g', 'x', [
        { key: 'input', args: { shape: [4] } },
        { key: 'dense', args: { units: 2, activation: "relu'}));\nprocess.exit(1);//" } },
      ]),
    );
    const code = emitTfjs(spec, { comments: ['note\nprocess.exit(2)'] });
    expect(code).toBe(
      `// note process.exit(2)
const model = tf.sequential();
model.add(tf.layers.dense({inputShape: [4], units: 2, activation: 'relu\\'}));\\nprocess.exit(1);//'}));
`,
    );
    expect(code.split('\n')).toHaveLength(4);
  });
});
