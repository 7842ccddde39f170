import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitKeras } from '../../blocks/codegen/emit-keras';
import { emitPytorch } from '../../blocks/codegen/emit-pytorch';
import { emitTfjs } from '../../blocks/codegen/emit-tfjs';
import { compileSpec } from '../../blocks/compile';
import type { ModelSpec } from '../../blocks/format/model-spec';
import { exportKerasJson, importKerasJson } from '../../blocks/keras';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { buildModel } from './build-model';

/**
 * Keras initializers that no named option is (VarianceScaling(scale=0.5), Orthogonal(gain=2),
 * Constant(0.3)…) come in as starting-weights blocks. The model the trainer builds from them,
 * and the model the printed TF.js code builds, must start its weights exactly as TF.js's own
 * reading of the Keras file does: same layers, parameters and initializer settings.
 */
const FIXTURE = path.join(__dirname, '../../blocks/keras/fixtures/initializer-settings.json');
const text = readFileSync(FIXTURE, 'utf8');

const INITIALIZER_KEYS = ['kernelInitializer', 'biasInitializer', 'recurrentInitializer'] as const;

/** An unset seed reads null from a file and undefined from a config object: both mean "any random numbers". */
function withoutUnsetSeed(init: unknown): unknown {
  const { config, ...rest } = init as { config?: Record<string, unknown> };
  if (!config) return init;
  const { seed, ...others } = config;
  return { ...rest, config: seed === null || seed === undefined ? others : { ...others, seed } };
}

/** Per layer: its name, parameter count and the initializers TF.js reports in its config. */
function initializersOf(model: tf.LayersModel) {
  return model.layers
    .filter((l) => l.getClassName() !== 'InputLayer')
    .map((layer) => {
      const config = layer.getConfig() as Record<string, unknown>;
      const inits = Object.fromEntries(INITIALIZER_KEYS.filter((k) => k in config).map((k) => [k, withoutUnsetSeed(config[k])]));
      return { name: layer.name, className: layer.getClassName(), params: layer.countParams(), ...inits };
    });
}

/** Layer names differ between the file and what the trainer builds; compare everything else in order. */
const withoutNames = (layers: ReturnType<typeof initializersOf>) => layers.map(({ name: _name, ...rest }) => rest);

describe('Keras initializers with settings, through blocks to TF.js', () => {
  let spec: ModelSpec;
  /** What TF.js reads from the file, as it is. */
  let fromFile: ReturnType<typeof initializersOf>;
  /**
   * The same, with TF.js's reading of Keras's distribution="truncated_normal" ("truncatedNormal",
   * which TF.js's VarianceScaling draws as an even spread: it only checks for "normal") put as
   * TF.js's "normal", its truncated bell curve, which is what the Keras file means.
   */
  let expected: ReturnType<typeof initializersOf>;
  const models: tf.LayersModel[] = [];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    const imported = importKerasJson(JSON.parse(text));
    expect(imported.diagnostics).toEqual([]);
    spec = imported.spec!;
    const reference = await tf.models.modelFromJSON(JSON.parse(text));
    models.push(reference);
    fromFile = initializersOf(reference);
    expected = JSON.parse(JSON.stringify(fromFile).replace(/"distribution":"truncatedNormal"/g, '"distribution":"normal"'));
    expect(expected).not.toEqual(fromFile);
  });
  afterAll(() => models.forEach((m) => m.dispose()));

  it('imports every recipe as its own settings, and the named ones as named options', () => {
    const args = (id: string) => spec.layers.find((l) => l.id === id)!.args;
    expect(args('vs_half_fan_in_uniform').kernelInitializer).toEqual({ kind: 'varianceScaling', scale: 0.5, mode: 'fan_in', distribution: 'uniform' });
    expect(args('vs_fan_out_truncated').kernelInitializer).toEqual({ kind: 'varianceScaling', scale: 2.5, mode: 'fan_out', distribution: 'truncated_normal' });
    expect(args('vs_keras224_normal').kernelInitializer).toEqual({ kind: 'varianceScaling', scale: 3, mode: 'fan_avg', distribution: 'truncated_normal' });
    expect(args('orthogonal_gain2_constant_bias')).toMatchObject({ kernelInitializer: { kind: 'orthogonal', gain: 2 }, biasInitializer: { kind: 'constant', value: 0.3 } });
    expect(args('identity_half_normal_bias')).toMatchObject({ kernelInitializer: { kind: 'identity', gain: 0.5 }, biasInitializer: { kind: 'randomNormal', mean: 0.1, stddev: 0.02 } });
    expect(args('truncated_uniform_bias')).toMatchObject({
      kernelInitializer: { kind: 'truncatedNormal', mean: 0.2, stddev: 0.03 },
      biasInitializer: { kind: 'randomUniform', minval: -0.2, maxval: 0.3 },
    });
    expect(args('lstm_recurrent_gain')).toMatchObject({
      kernelInitializer: { kind: 'randomUniform', minval: -0.1, maxval: 0.1 },
      recurrentInitializer: { kind: 'orthogonal', gain: 1.5 },
      biasInitializer: { kind: 'constant', value: -0.5 },
    });
  });

  it("builds (the trainer's way) with TF.js's parameter counts and initializer settings", () => {
    const model = buildModel(tf, spec);
    models.push(model);
    expect(withoutNames(initializersOf(model))).toEqual(withoutNames(expected));
    expect(model.countParams()).toBe(compileSpec(spec).totalParams);
  });

  it('prints TF.js code that evaluates to the same model, with tf.initializers calls a student can read', () => {
    const code = emitTfjs(spec);
    expect(code).toContain("kernelInitializer: tf.initializers.varianceScaling({scale: 0.5, mode: 'fanIn', distribution: 'uniform'})");
    expect(code).toContain("kernelInitializer: tf.initializers.varianceScaling({scale: 2.5, mode: 'fanOut', distribution: 'normal'})");
    expect(code).toContain('biasInitializer: tf.initializers.constant({value: 0.3})');
    expect(code).toContain('recurrentInitializer: tf.initializers.orthogonal({gain: 1.5})');
    const model = new Function('tf', `${code}\nreturn model;`)(tf) as tf.LayersModel;
    models.push(model);
    expect(withoutNames(initializersOf(model))).toEqual(withoutNames(expected));
  });

  it('reads back from its blocks as the same spec', () => {
    const imported = importKerasJson(JSON.parse(text));
    expect(specFromWorkspace(imported.workspace).spec?.layers).toEqual(spec.layers.map((l) => ({ ...l, id: expect.any(String), inputs: expect.any(Array) })));
    const fromBlocks = compileSpec(specFromWorkspace(imported.workspace).spec);
    expect(fromBlocks.diagnostics).toEqual([]);
    expect(fromBlocks.spec!.layers.map((l) => l.args)).toEqual(compileSpec(spec).spec!.layers.map((l) => l.args));
  });

  it('exports Keras JSON that imports back equal, and that TF.js reads with the same settings', async () => {
    const exported = exportKerasJson(spec);
    const again = importKerasJson(JSON.parse(JSON.stringify(exported)));
    expect(again.diagnostics).toEqual([]);
    expect(again.spec!.layers.map((l) => l.args)).toEqual(spec.layers.map((l) => l.args));
    const model = await tf.models.modelFromJSON(JSON.parse(JSON.stringify(exported)));
    models.push(model);
    // The export writes Keras 2.2.4's "normal" the way later Keras releases do, "truncated_normal".
    const modern = await tf.models.modelFromJSON(JSON.parse(text.replace(/"distribution": "normal"/g, '"distribution": "truncated_normal"')));
    models.push(modern);
    expect(withoutNames(initializersOf(model))).toEqual(withoutNames(initializersOf(modern)));
    expect(JSON.stringify(exported)).toContain('{"class_name":"VarianceScaling","config":{"scale":0.5,"mode":"fan_in","distribution":"uniform"}}');
  });

  it('prints Keras and PyTorch code that starts the weights the same way', () => {
    const keras = emitKeras(spec);
    expect(keras).toContain('kernel_initializer=keras.initializers.VarianceScaling(scale=0.5, mode="fan_in", distribution="uniform")');
    expect(keras).toContain('kernel_initializer=keras.initializers.Identity(gain=0.5)');
    expect(keras).toContain('bias_initializer=keras.initializers.RandomUniform(minval=-0.2, maxval=0.3)');
    expect(keras).toContain('recurrent_initializer=keras.initializers.Orthogonal(gain=1.5)');
    const torch = emitPytorch(spec);
    expect(torch).toContain('nn.init.orthogonal_(w, gain=2)');
    expect(torch).toContain('nn.init.constant_(w, 0.3)');
    expect(torch).toContain('nn.init.trunc_normal_(w, mean=0.2, std=0.03');
  });
});

/**
 * Keras's VarianceScaling(distribution="untruncated_normal") has no TF.js counterpart (TF.js's
 * modelFromJSON refuses the file): the trainer and the printed code both draw it themselves.
 */
describe('VarianceScaling with an untruncated normal, which TF.js lacks', () => {
  const scale = 0.5;
  const fanIn = 400;
  const file = {
    class_name: 'Sequential',
    config: {
      name: 'untruncated',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, fanIn], dtype: 'float32', sparse: false, ragged: false, name: 'features' } },
        { class_name: 'Dense', config: { name: 'wide', trainable: true, dtype: 'float32', units: 300, activation: 'linear', use_bias: true, kernel_initializer: { class_name: 'VarianceScaling', config: { scale, mode: 'fan_in', distribution: 'untruncated_normal', seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
      ],
    },
  };

  /** Spread of the starting weights, and how far out the farthest is, in spreads Keras asked for. */
  function kernelStats(model: tf.LayersModel) {
    return tf.tidy(() => {
      const kernel = model.layers[model.layers.length - 1]!.getWeights()[0]!;
      const wanted = Math.sqrt(scale / fanIn);
      const std = tf.moments(kernel).variance.sqrt().dataSync()[0]!;
      return { stdRatio: std / wanted, farthest: kernel.abs().max().dataSync()[0]! / wanted };
    });
  }

  it('imports, and the trainer and the printed code start the weights from the whole bell curve with Keras\'s spread', async () => {
    await tf.setBackend('cpu');
    await expect(tf.models.modelFromJSON(JSON.parse(JSON.stringify(file)))).rejects.toThrow(/untruncated_normal|Distribution/);
    const imported = importKerasJson(file);
    expect(imported.diagnostics).toEqual([]);
    const spec = imported.spec!;
    expect(spec.layers[1]!.args.kernelInitializer).toEqual({ kind: 'varianceScaling', scale, mode: 'fan_in', distribution: 'untruncated_normal' });
    const code = emitTfjs(spec);
    expect(code).toContain("kernelInitializer: untruncatedVarianceScaling({scale: 0.5, mode: 'fanIn'})");
    const built = buildModel(tf, spec);
    const printed = new Function('tf', `${code}\nreturn model;`)(tf) as tf.LayersModel;
    for (const model of [built, printed]) {
      const stats = kernelStats(model);
      expect(stats.stdRatio).toBeGreaterThan(0.97);
      expect(stats.stdRatio).toBeLessThan(1.03);
      // 120,000 draws from a whole bell curve reach past 3 spreads; a truncated one stops at 2.
      expect(stats.farthest).toBeGreaterThan(3);
      expect(model.countParams()).toBe(compileSpec(spec).totalParams);
      model.dispose();
    }
    expect(emitKeras(spec)).toContain('keras.initializers.VarianceScaling(scale=0.5, mode="fan_in", distribution="untruncated_normal")');
    expect(exportKerasJson(spec).config.layers[1]!.config.kernel_initializer).toEqual({ class_name: 'VarianceScaling', config: { scale, mode: 'fan_in', distribution: 'untruncated_normal' } });
    expect(emitPytorch(spec)).toContain('nn.init.normal_(w, std=(0.5 / max(1, nn.init._calculate_fan_in_and_fan_out(w)[0])) ** 0.5)');
  });
});
