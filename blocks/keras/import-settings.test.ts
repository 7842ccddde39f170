import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { INITIALIZERS, getLayer } from '../catalog';
import { argToField, fieldToArg } from '../catalog/field-values';
import { emitKeras } from '../codegen/emit-keras';
import { emitPytorch } from '../codegen/emit-pytorch';
import { emitTfjs } from '../codegen/emit-tfjs';
import { compileSpec } from '../compile';
import { readModelText } from '../model-file';
import { exportKerasJson, importKerasJson } from '.';

const seq = (layers: unknown[]) => ({ class_name: 'Sequential', config: { name: 'm', layers } });
const input = (shape: (number | null)[]) => ({ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false } });
const denseWith = (config: Record<string, unknown>) => seq([input([4]), { class_name: 'Dense', config: { name: 'd', units: 2, ...config } }]);
const errorOf = (json: unknown) => importKerasJson(json).diagnostics.find((d) => d.severity === 'error');
const vs = (scale: number, mode: string, distribution: string) => ({ class_name: 'VarianceScaling', config: { scale, mode, distribution, seed: null } });
const kernelOf = (init: unknown) => {
  const imported = importKerasJson(denseWith({ kernel_initializer: init }));
  return imported.spec?.layers[1]?.args.kernelInitializer ?? imported.diagnostics[0];
};

describe('Keras initializers', () => {
  it.each([
    ['Keras 2.2.4 glorot_uniform', vs(1, 'fan_avg', 'uniform'), 'glorotUniform'],
    ['Keras 2.2.4 glorot_normal', vs(1, 'fan_avg', 'normal'), 'glorotNormal'],
    ['Keras 2.2.4 he_normal', vs(2, 'fan_in', 'normal'), 'heNormal'],
    ['Keras 2.2.4 he_uniform', vs(2, 'fan_in', 'uniform'), 'heUniform'],
    ['Keras 2.2.4 lecun_normal', vs(1, 'fan_in', 'normal'), 'leCunNormal'],
    ['Keras 2.2.4 lecun_uniform', vs(1, 'fan_in', 'uniform'), 'leCunUniform'],
    ['tf.keras truncated_normal spelling', vs(2, 'fan_in', 'truncated_normal'), 'heNormal'],
    ['VarianceScaling() with its defaults', { class_name: 'VarianceScaling', config: {} }, 'leCunNormal'],
    ['tf.keras GlorotUniform', { class_name: 'GlorotUniform', config: { seed: null } }, 'glorotUniform'],
    ['tf.keras 2.15 wrapped HeNormal', { module: 'keras.initializers', class_name: 'HeNormal', config: { seed: 7 }, registered_name: null }, 'heNormal'],
    ['Keras 3 LecunUniform', { class_name: 'LecunUniform', config: { seed: null } }, 'leCunUniform'],
    ['a name string', 'he_uniform', 'heUniform'],
    ['RandomUniform(-0.05, 0.05)', { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } }, 'randomUniform'],
    ['RandomNormal(0, 0.05)', { class_name: 'RandomNormal', config: { mean: 0.0, stddev: 0.05, seed: null } }, 'randomNormal'],
    ['TruncatedNormal(0, 0.05)', { class_name: 'TruncatedNormal', config: { mean: 0.0, stddev: 0.05, seed: null } }, 'truncatedNormal'],
    ['Constant(0)', { class_name: 'Constant', config: { value: 0 } }, 'zeros'],
    ['Constant(1)', { class_name: 'Constant', config: { value: 1.0 } }, 'ones'],
    ['Ones', { class_name: 'Ones', config: {} }, 'ones'],
    ['Orthogonal(gain=1)', { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } }, 'orthogonal'],
    ['Identity(gain=1)', { class_name: 'Identity', config: { gain: 1.0 } }, 'identity'],
  ])('reads %s as the named option', (_what, init, expected) => {
    expect(kernelOf(init)).toBe(expected);
  });

  it.each([
    ['VarianceScaling(scale=0.5, mode=fan_out, distribution=uniform)', vs(0.5, 'fan_out', 'uniform'), { kind: 'varianceScaling', scale: 0.5, mode: 'fan_out', distribution: 'uniform' }],
    ['VarianceScaling(scale=0.5, mode=fan_in, distribution=untruncated_normal)', vs(0.5, 'fan_in', 'untruncated_normal'), { kind: 'varianceScaling', scale: 0.5, mode: 'fan_in', distribution: 'untruncated_normal' }],
    ['Keras 2.2.4 VarianceScaling(3, fan_avg, normal)', vs(3, 'fan_avg', 'normal'), { kind: 'varianceScaling', scale: 3, mode: 'fan_avg', distribution: 'truncated_normal' }],
    ['Orthogonal(gain=2)', { class_name: 'Orthogonal', config: { gain: 2, seed: null } }, { kind: 'orthogonal', gain: 2 }],
    ['Identity(gain=0.5)', { class_name: 'Identity', config: { gain: 0.5 } }, { kind: 'identity', gain: 0.5 }],
    ['Constant(0.3)', { class_name: 'Constant', config: { value: 0.3 } }, { kind: 'constant', value: 0.3 }],
    ['RandomNormal(stddev=0.01)', { class_name: 'RandomNormal', config: { mean: 0, stddev: 0.01 } }, { kind: 'randomNormal', mean: 0, stddev: 0.01 }],
    ['TruncatedNormal(mean=0.1, stddev=0.02)', { class_name: 'TruncatedNormal', config: { mean: 0.1, stddev: 0.02, seed: 3 } }, { kind: 'truncatedNormal', mean: 0.1, stddev: 0.02 }],
    ['RandomUniform(-0.2, 0.3)', { class_name: 'RandomUniform', config: { minval: -0.2, maxval: 0.3 } }, { kind: 'randomUniform', minval: -0.2, maxval: 0.3 }],
    ['tf.keras 2.15 wrapped RandomNormal', { module: 'keras.initializers', class_name: 'RandomNormal', config: { mean: 1, stddev: 0.5, seed: null }, registered_name: null }, { kind: 'randomNormal', mean: 1, stddev: 0.5 }],
  ])('reads %s, which no option is, as its own block settings', (_what, init, expected) => {
    expect(kernelOf(init)).toEqual(expected);
  });

  it.each([
    ['an unknown class', { class_name: 'MyInit', config: {} }, 'MyInit', 'kernel_initializer'],
    ['a negative scale', vs(-1, 'fan_in', 'uniform'), 'scale', 'kernel_initializer'],
    ['a distribution Keras has not', vs(1, 'fan_in', 'lumpy'), 'lumpy', 'kernel_initializer'],
    ['a RandomUniform whose range runs backwards', { class_name: 'RandomUniform', config: { minval: 1, maxval: 0 } }, 'RandomUniform(minval=1, maxval=0)', 'kernel_initializer'],
  ])('refuses %s, saying what it does and what to do', (_what, init, shown, fix) => {
    const error = errorOf(denseWith({ kernel_initializer: init }));
    expect(error).toMatchObject({ code: 'unsupported-initializer', blockId: 'd' });
    expect(error!.message).toContain(shown);
    expect(error!.fix).toContain(fix);
  });

  it('gives every named option a form, so every option can be imported back', () => {
    for (const option of INITIALIZERS) expect(kernelOf(option.keras)).toBe(option.value);
  });
});

describe('Keras settings without a block setting', () => {
  it.each([
    ['Dense', { trainable: true, dtype: 'float32', activity_regularizer: null, kernel_constraint: null }],
    ['Dense', { dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null } }],
  ])('accepts %s settings at their neutral value silently', (_cls, config) => {
    expect(importKerasJson(denseWith(config)).diagnostics).toEqual([]);
  });

  it('accepts recurrent settings that change nothing (time_major, implementation, return_state false)', () => {
    const json = seq([input([10, 3]), { class_name: 'LSTM', config: { name: 'l', units: 4, time_major: false, implementation: 2, return_state: false, stateful: false, zero_output_for_mask: false } }]);
    expect(importKerasJson(json).diagnostics).toEqual([]);
  });

  it.each([
    ['trainable false', { trainable: false }, 'trainable=false'],
    ['mixed precision', { dtype: 'mixed_float16' }, 'dtype="mixed_float16"'],
    ['a setting Keras does not have', { units_per_step: 3 }, 'units_per_step=3'],
  ])('refuses %s, naming the setting', (_what, config, named) => {
    const error = errorOf(denseWith(config));
    expect(error).toMatchObject({ code: 'unsupported-setting', blockId: 'd' });
    expect(error!.message).toContain(named);
  });

  it('refuses keepdims=True on global pooling, which changes the output shape', () => {
    const error = errorOf(seq([input([10, 3]), { class_name: 'GlobalMaxPooling1D', config: { name: 'g', keepdims: true } }]));
    expect(error!.message).toContain('keepdims=true');
  });

  it('refuses a stateful recurrent layer and says why', () => {
    const error = errorOf(seq([input([10, 3]), { class_name: 'GRU', config: { name: 'g', units: 4, stateful: true } }]));
    expect(error).toMatchObject({ code: 'unsupported-setting' });
    expect(error!.fix).toContain('stateful=False');
  });

  it('reads GRU reset_after=False and refuses reset_after=True naming it', () => {
    const gru = (resetAfter: boolean) => seq([input([10, 3]), { class_name: 'GRU', config: { name: 'g', units: 4, reset_after: resetAfter } }]);
    // TF.js's GRU (one bias per gate): 3 × (3·4 + 4·4 + 4).
    expect(compileSpec(importKerasJson(gru(false)).spec).totalParams).toBe(3 * (3 * 4 + 4 * 4 + 4));
    const error = errorOf(gru(true));
    expect(error!.message).toContain('reset_after=true');
    expect(error!.fix).toContain('reset_after=False');
  });

  it('reads BatchNormalization axis written as a list after build', () => {
    const json = seq([input([8, 8, 3]), { class_name: 'BatchNormalization', config: { name: 'b', axis: [3] } }]);
    const imported = importKerasJson(json);
    expect(imported.diagnostics).toEqual([]);
    expect(compileSpec(imported.spec).totalParams).toBe(4 * 3);
  });
});

describe('Where the input shape is kept', () => {
  const dense = { class_name: 'Dense', config: { name: 'd', units: 2 } };
  it.each([
    ['tf.keras model.build(): build_input_shape', { class_name: 'Sequential', config: { name: 'm', layers: [dense], build_input_shape: [null, 4] } }],
    ['Keras 3 model.build(): the model\'s build_config', { class_name: 'Sequential', config: { name: 'm', layers: [dense] }, build_config: { input_shape: [null, 4] } }],
    ['tf.keras 2.15: the first layer\'s build_config', { class_name: 'Sequential', config: { name: 'm', layers: [{ ...dense, build_config: { input_shape: [null, 4] } }] } }],
    ['Keras 2.2.4: the first layer\'s batch_input_shape', { class_name: 'Sequential', config: { name: 'm', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 4], dtype: 'float32' } }] } }],
    ['Keras 3 InputLayer: batch_shape', seq([{ class_name: 'InputLayer', config: { name: 'in', batch_shape: [null, 4], dtype: 'float32', sparse: false } }, dense])],
  ])('finds it in %s', (_where, json) => {
    const imported = importKerasJson(json);
    expect(imported.diagnostics).toEqual([]);
    expect(imported.spec!.layers[0]).toMatchObject({ type: 'input', args: { shape: [4] } });
    expect(compileSpec(imported.spec).totalParams).toBe(4 * 2 + 2);
  });

  it('reads a Keras 3 .keras config.json, compile_config and all', () => {
    const json = { ...denseWith({}), module: 'keras', registered_name: null, compile_config: { optimizer: 'adam', loss: 'mse', metrics: null, loss_weights: null, weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false } };
    expect(importKerasJson(json).diagnostics).toEqual([]);
  });
});

describe('Keys that are names of JavaScript object internals (issue 8)', () => {
  const layerWith = (key: string) => `{"class_name": "Sequential", "config": {"name": "m", "layers": [
    {"class_name": "InputLayer", "config": {"name": "in", "batch_input_shape": [null, 4]}},
    {"class_name": "Dense", "config": {"name": "d", "units": 2, "${key}": {}}}]}}`;

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('reports a "%s" key in a layer config as a setting, without crashing', (key) => {
    const loaded = readModelText(layerWith(key));
    expect(loaded.spec).toBeNull();
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'unsupported-setting', blockId: 'd', message: expect.stringContaining(`${key}={}`) })]);
  });

  it('does not let a "__proto__" model config lend the model layers', () => {
    const loaded = readModelText('{"class_name": "Sequential", "config": {"name": "m", "__proto__": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": 2}}]}}}');
    expect(loaded.spec).toBeNull();
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'bad-keras' });
  });

  it('refuses JSON nested deeper than any model file', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    const loaded = readModelText(`{"class_name": "Sequential", "config": {"name": "m", "layers": ${deep}}}`);
    expect(loaded.diagnostics[0]).toMatchObject({ code: 'bad-keras' });
  });
});

describe('Sequences of any length', () => {
  const text = (inputShape: (number | null)[], inputLength?: number) => ({
    class_name: 'Functional',
    config: {
      name: 'text',
      layers: [
        { class_name: 'InputLayer', name: 'words', config: { name: 'words', batch_input_shape: [null, ...inputShape], dtype: 'int32', sparse: false, ragged: false }, inbound_nodes: [] },
        { class_name: 'Embedding', name: 'emb', config: { name: 'emb', input_dim: 100, output_dim: 8, input_length: inputLength ?? null }, inbound_nodes: [[['words', 0, 0, {}]]] },
        { class_name: 'GlobalAveragePooling1D', name: 'pool', config: { name: 'pool', data_format: 'channels_last', keepdims: false }, inbound_nodes: [[['emb', 0, 0, {}]]] },
        { class_name: 'Dense', name: 'out', config: { name: 'out', units: 1, activation: 'sigmoid' }, inbound_nodes: [[['pool', 0, 0, {}]]] },
      ],
      input_layers: [['words', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
  });

  it('keeps an open length as "any" through shapes and code in every language', () => {
    const imported = importKerasJson(text([null]));
    expect(imported.diagnostics).toEqual([]);
    expect(imported.spec!.layers[0]!.args.shape).toEqual([null]);
    const compiled = compileSpec(imported.spec);
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.layers.map((l) => l.outputShape)).toEqual([[null, null], [null, null, 8], [null, 8], [null, 1]]);
    expect(compiled.totalParams).toBe(100 * 8 + 8 + 1);
    expect(emitTfjs(imported.spec!)).toContain('inputShape: [null]');
    expect(emitKeras(imported.spec!)).toContain('shape=(None,)');
  });

  it('exports images of any size to PyTorch, whose convolutions take any size', () => {
    const conv = { class_name: 'Conv2D', config: { name: 'c', filters: 8, kernel_size: [3, 3] } };
    const imported = importKerasJson(seq([input([null, null, 3]), conv]));
    expect(imported.diagnostics).toEqual([]);
    expect(compileSpec(imported.spec).layers.map((l) => l.outputShape)).toEqual([[null, null, null, 3], [null, null, null, 8]]);
    expect(emitPytorch(imported.spec!)).toContain('nn.Conv2d(in_channels=3, out_channels=8');
  });

  it('exports an open length as None, which TF.js loads, and imports it back', async () => {
    const spec = importKerasJson(text([null])).spec!;
    const exported = exportKerasJson(spec);
    expect(exported.config.layers[0]!.config.batch_input_shape).toEqual([null, null]);
    const model = await tf.models.modelFromJSON(JSON.parse(JSON.stringify(exported)));
    expect(model.countParams()).toBe(compileSpec(spec).totalParams);
    expect(model.outputs[0]!.shape).toEqual([null, 1]);
    model.dispose();
    expect(importKerasJson(exported).spec!.layers[0]!.args.shape).toEqual([null]);
  });

  it('uses Embedding input_length as the sequence length where the input leaves it open', () => {
    const imported = importKerasJson(text([null], 80));
    expect(imported.diagnostics).toEqual([]);
    expect(imported.spec!.layers[0]!.args.shape).toEqual([80]);
  });

  it('refuses an input_length that contradicts the input', () => {
    expect(errorOf(text([50], 80))).toMatchObject({ code: 'input-length-mismatch', blockId: 'emb' });
  });

  it('lets a student type "any" for a size on the Input block, and nowhere else', () => {
    const shapeArg = getLayer('input')!.args.find((a) => a.name === 'shape')!;
    expect(fieldToArg(shapeArg, 'any')).toEqual([null]);
    expect(fieldToArg(shapeArg, 'None, 8')).toEqual([null, 8]);
    expect(argToField(shapeArg, [null, 8])).toBe('any,8');
    const reshapeArg = getLayer('reshape')!.args.find((a) => a.name === 'targetShape')!;
    expect(fieldToArg(reshapeArg, 'any')).toBe('any');
  });

  it('says which layer cannot take an open size (Flatten into Dense)', () => {
    const json = seq([input([null, 4]), { class_name: 'Flatten', config: { name: 'f' } }, { class_name: 'Dense', config: { name: 'd', units: 2 } }]);
    const imported = importKerasJson(json);
    expect(imported.spec).toBeNull();
    expect(imported.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code: 'open-size', blockId: 'f' });
  });
});
