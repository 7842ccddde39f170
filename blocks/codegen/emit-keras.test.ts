import { describe, expect, it } from 'vitest';
import { specFromWorkspace } from '../workspace/from-workspace';
import { SPEC_VERSION, type ModelSpec } from '../format/model-spec';
import { modelWorkspace } from '../templates/build';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { emitKeras } from './emit-keras';

const specOf = (workspace: unknown) => specFromWorkspace(workspace).spec!;

describe('emitKeras (golden)', () => {
  it('MNIST CNN: Keras names, and the TF.js starting weights spelled out', () => {
    expect(emitKeras(specOf(mnistCnnWorkspace()))).toBe(
      `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(filters=8, kernel_size=3, activation="relu", kernel_initializer="glorot_normal"),
        layers.MaxPooling2D(pool_size=2),
        layers.Conv2D(filters=16, kernel_size=3, activation="relu", kernel_initializer="glorot_normal"),
        layers.MaxPooling2D(pool_size=2),
        layers.Flatten(),
        layers.Dense(units=64, activation="relu", kernel_initializer="glorot_normal"),
        layers.Dense(units=10, activation="softmax", kernel_initializer="glorot_normal"),
    ],
    name="MNIST CNN",
)
model.summary()
`,
    );
  });

  it('MNIST MLP', () => {
    expect(emitKeras(specOf(mnistMlpWorkspace()))).toBe(
      `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        layers.Flatten(),
        layers.Dense(units=128, activation="relu", kernel_initializer="glorot_normal"),
        layers.Dense(units=10, activation="softmax", kernel_initializer="glorot_normal"),
    ],
    name="MNIST MLP",
)
model.summary()
`,
    );
  });

  it('Dropout, BatchNormalization, AveragePooling2D and changed settings', () => {
    const spec = specOf(
      modelWorkspace('g', 'regularised', [
        { key: 'input', args: { shape: [32, 32, 3] } },
        { key: 'conv2d', args: { filters: 4, kernelSize: [3, 5], strides: [2, 2], padding: 'same', useBias: false, kernelInitializer: 'glorotUniform' } },
        { key: 'batchNormalization', args: { momentum: 0.9 } },
        { key: 'averagePooling2d', args: { poolSize: 2, strides: 1 } },
        { key: 'flatten' },
        { key: 'dropout', args: { rate: 0.25 } },
        { key: 'dense', args: { units: 10, activation: 'hardSigmoid', kernelInitializer: 'heNormal' } },
      ]),
    );
    expect(emitKeras(spec)).toBe(
      `from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential(
    [
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(filters=4, kernel_size=(3, 5), strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(momentum=0.9),
        layers.AveragePooling2D(pool_size=2, strides=1),
        layers.Flatten(),
        layers.Dropout(rate=0.25),
        layers.Dense(units=10, activation="hard_sigmoid", kernel_initializer="he_normal"),
    ],
    name="regularised",
)
model.summary()
`,
    );
  });

  it('puts the recurrent layer inside layers.Bidirectional, with the join setting outside it', () => {
    const spec = specOf(
      modelWorkspace('b', 'both ways', [
        { key: 'input', args: { shape: [20, 8] } },
        { key: 'bidirectionalLstm', args: { units: 16, returnSequences: true } },
        { key: 'bidirectionalSimpleRnn', args: { units: 4, mergeMode: 'ave' } },
      ]),
    );
    expect(emitKeras(spec)).toContain(
      `        keras.Input(shape=(20, 8)),
        layers.Bidirectional(layers.LSTM(units=16, return_sequences=True, kernel_initializer="glorot_normal", recurrent_activation="hard_sigmoid", unit_forget_bias=False)),
        layers.Bidirectional(layers.SimpleRNN(units=4, kernel_initializer="glorot_normal"), merge_mode="ave"),
`,
    );
  });

  it('builds the GRU TF.js builds: without Keras 2+\'s second bias (reset_after=False)', () => {
    const spec = specOf(
      modelWorkspace('g', 'gru', [
        { key: 'input', args: { shape: [20, 8] } },
        { key: 'gru', args: { units: 16 } },
        { key: 'dense', args: { units: 1 } },
      ]),
    );
    expect(emitKeras(spec)).toMatch(/layers\.GRU\(units=16, .*reset_after=False\)/);
  });

  it('prints functional specs with keras.Input and keras.Model', () => {
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
    expect(emitKeras(spec)).toBe(
      `from tensorflow import keras
from tensorflow.keras import layers

inputs_1 = keras.Input(shape=(8,))
dense_1 = layers.Dense(units=4, activation="relu", kernel_initializer="glorot_normal")(inputs_1)
dense_2 = layers.Dense(units=1, kernel_initializer="glorot_normal")(dense_1)
model = keras.Model(inputs=inputs_1, outputs=dense_2, name="f")
model.summary()
`,
    );
  });

  it('keeps text typed into blocks inside its Python string', () => {
    const spec = specOf(modelWorkspace('g', 'x")\nimport os\n#', [{ key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 2 } }]));
    const code = emitKeras(spec);
    expect(code).toContain('name="x\\")\\nimport os\\n#",');
    expect(code.split('\n').some((line) => line.startsWith('import os'))).toBe(false);
  });
});
