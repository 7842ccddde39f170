import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { emitTfjs } from '../codegen/emit-tfjs';
import { compileCell, compileSpec } from '../compile';
import { specFromWorkspace } from '../workspace/from-workspace';
import { MAX_IMPORT_LAYERS, exportKerasJson, importKerasJson } from '.';
import { readModelText } from '../model-file';
import { modelWorkspace } from '../templates/build';
import { convBlocksWorkspace } from '../templates/conv-blocks';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { residualBlockWorkspace } from '../templates/residual-block';
import { twoInputsWorkspace } from '../templates/two-inputs';

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
const errorOf = (json: unknown) => importKerasJson(json).diagnostics.find((d) => d.severity === 'error');

const seq = (layers: unknown[]) => ({ class_name: 'Sequential', config: { name: 'm', layers } });
const inputLayer = { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 4] } };
const dense = (name: string, extra: Record<string, unknown> = {}) => ({ class_name: 'Dense', config: { name, units: 2, ...extra } });
const fn = (layers: unknown[], inputs = [['in', 0, 0]], outputs = [['out', 0, 0]]) => ({
  class_name: 'Functional',
  config: { name: 'f', layers, input_layers: inputs, output_layers: outputs },
});
const node = (name: string, cls: string, from: string[], config: Record<string, unknown> = {}) => ({
  class_name: cls,
  name,
  config: { name, ...config },
  inbound_nodes: from.length === 0 ? [] : [from.map((f) => [f, 0, 0, {}])],
});

describe('importKerasJson', () => {
  it.each(['keras2-mnist-convnet.json', 'keras3-mnist-convnet.json'])('reads the Keras MNIST convnet (%s)', (file) => {
    const imported = importKerasJson(fixture(file));
    expect(imported.diagnostics).toEqual([]);
    const compiled = compileSpec(imported.spec);
    expect(compiled.totalParams).toBe(34_826);
    expect(imported.spec!.layers.map((l) => l.type)).toEqual(['input', 'conv2d', 'maxPooling2d', 'conv2d', 'maxPooling2d', 'flatten', 'dropout', 'dense']);
    expect(imported.spec!.layers[1]!.args).toMatchObject({ filters: 32, kernelSize: [3, 3], activation: 'relu', kernelInitializer: 'glorotUniform' });
    // The blocks made for it compile back to the same model.
    expect(compileSpec(specFromWorkspace(imported.workspace).spec).totalParams).toBe(34_826);
  });

  it.each(['keras2-mnist-mlp.json', 'keras3-mnist-mlp.json'])('reads a straight functional MLP as a stack (%s)', (file) => {
    const imported = importKerasJson(fixture(file));
    expect(imported.diagnostics).toEqual([]);
    expect(imported.spec!.kind).toBe('sequential');
    expect(imported.spec!.layers.map((l) => l.id)).toEqual(['digits', 'dense_1', 'dense_2', 'predictions']);
    expect(compileSpec(imported.spec).totalParams).toBe(55_050);
  });

  it('reads old Keras 2 files where the first layer carries the input shape', () => {
    const imported = importKerasJson(seq([dense('d', { batch_input_shape: [null, 4] })]));
    expect(imported.spec!.layers.map((l) => [l.type, l.args])).toEqual([['input', { shape: [4] }], ['dense', { units: 2 }]]);
  });

  it('refuses Lambda layers, naming the layer', () => {
    expect(errorOf(seq([inputLayer, { class_name: 'Lambda', config: { name: 'scale', function: 'gASV...' } }]))).toMatchObject({
      code: 'lambda-layer',
      blockId: 'scale',
      message: expect.stringContaining('"scale" is a Lambda layer'),
    });
  });

  it('names an unknown layer class and the layer', () => {
    expect(errorOf(seq([inputLayer, { class_name: 'Frobnicate', config: { name: 'frob' } }]))!.message).toBe(
      `The layer "frob" is a Frobnicate, which Layerbook doesn't have (yet).`,
    );
  });

  it('reads Bidirectional by the layer inside it, with Keras 3\'s backward copy', () => {
    const lstm = { class_name: 'LSTM', config: { name: 'forward_lstm', units: 8, return_sequences: true } };
    const imported = importKerasJson(
      seq([
        { class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 10, 3] } },
        { class_name: 'Bidirectional', config: { name: 'bi', merge_mode: 'sum', layer: lstm, backward_layer: { ...lstm, config: { ...lstm.config, go_backwards: true } } } },
      ]),
    );
    expect(imported.diagnostics).toEqual([]);
    expect(imported.spec!.layers[1]).toMatchObject({ type: 'bidirectionalLstm', args: { units: 8, returnSequences: true, mergeMode: 'sum' } });
    expect(compileSpec(imported.spec).layers[1]!.outputShape).toEqual([null, 10, 8]);
  });

  it('names what is inside a Bidirectional Layerbook has no block for', () => {
    const error = errorOf(seq([inputLayer, { class_name: 'Bidirectional', config: { name: 'bi', layer: { class_name: 'ConvLSTM1D', config: {} } } }]));
    expect(error).toMatchObject({ code: 'unknown-layer', blockId: 'bi' });
    expect(error!.message).toContain('a Bidirectional around a ConvLSTM1D');
    expect(error!.fix).toBe('Put one of these inside the Bidirectional: LSTM, GRU, SimpleRNN.');
  });

  it('names an option Layerbook does not have', () => {
    expect(errorOf(seq([inputLayer, dense('d', { activation: 'leaky_relu' })]))!.message).toContain('activation="leaky_relu"');
  });

  it('finds connections to missing layers', () => {
    const error = errorOf(fn([node('in', 'InputLayer', [], { batch_input_shape: [null, 4] }), node('out', 'Dense', ['ghost'], { units: 2 })]));
    expect(error).toMatchObject({ code: 'dangling-reference', message: expect.stringContaining('"ghost"') });
  });

  it('finds cycles without hanging', () => {
    const error = errorOf(
      fn([node('in', 'InputLayer', [], { batch_input_shape: [null, 4] }), node('a', 'Dense', ['out'], { units: 2 }), node('out', 'Dense', ['a'], { units: 2 })]),
    );
    expect(error).toMatchObject({ code: 'cycle', message: expect.stringContaining('"a", "out"') });
  });

  it('reads branches into a functional spec and blocks with names', () => {
    const imported = importKerasJson(
      fn([
        node('in', 'InputLayer', [], { batch_input_shape: [null, 4] }),
        node('a', 'Dense', ['in'], { units: 2 }),
        node('b', 'Dense', ['in'], { units: 2 }),
        node('out', 'Add', ['a', 'b']),
      ]),
    );
    expect(imported.diagnostics).toEqual([]);
    expect(imported.spec).toMatchObject({ kind: 'functional', inputs: ['in'], outputs: ['out'] });
    expect(imported.spec!.layers.find((l) => l.id === 'out')!.inputs).toEqual(['a', 'b']);
    // The blocks name what the Add needs: "in" for the second branch, "a" for the Add.
    const fromBlocks = compileCell(imported.workspace);
    expect(fromBlocks.diagnostics).toEqual([]);
    expect(fromBlocks.code).toBe(emitTfjs(imported.spec!));
  });

  it.each([
    ['residual block', residualBlockWorkspace],
    ['two inputs', twoInputsWorkspace],
  ])('%s: exported Keras JSON imports back to the same model and blocks', (_name, template) => {
    const original = compileCell(template());
    const imported = importKerasJson(exportKerasJson(original.spec!));
    expect(imported.diagnostics).toEqual([]);
    expect(emitTfjs(imported.spec!)).toBe(original.code);
    expect(compileCell(imported.workspace).code).toBe(original.code);
  });

  it('still refuses a layer that leads nowhere', () => {
    const error = errorOf(
      fn([
        node('in', 'InputLayer', [], { batch_input_shape: [null, 4] }),
        node('lost', 'Dense', ['in'], { units: 2 }),
        node('out', 'Dense', ['in'], { units: 2 }),
      ]),
    );
    expect(error).toMatchObject({ code: 'unused-layers' });
  });

  it('refuses models that are too big before looking at their layers', () => {
    const many = Array.from({ length: MAX_IMPORT_LAYERS + 1 }, () => null);
    expect(errorOf(seq(many))).toMatchObject({ code: 'too-many-layers' });
    expect(errorOf(seq([inputLayer, dense('wide', { units: 100_000 }), dense('wider', { units: 100_000 })]))).toMatchObject({ code: 'too-many-params' });
  });

  it('says where malformed JSON breaks', () => {
    const loaded = readModelText('{"class_name": "Sequential",\n "config": {"layers": [}}');
    expect(loaded.diagnostics[0]!.message).toMatch(/not valid JSON: .* at line 2, column 24/);
  });
});

describe('exportKerasJson', () => {
  const specs = {
    'MNIST CNN': specFromWorkspace(mnistCnnWorkspace()).spec!,
    'every setting': specFromWorkspace(
      modelWorkspace('g', 'all', [
        { key: 'input', args: { shape: [32, 32, 3] } },
        { key: 'conv2d', args: { filters: 4, kernelSize: [3, 5], strides: [2, 2], padding: 'same', useBias: false, kernelInitializer: 'heNormal' } },
        { key: 'batchNormalization', args: { momentum: 0.9 } },
        { key: 'averagePooling2d', args: { poolSize: 3, strides: 1 } },
        { key: 'maxPooling2d', args: { poolSize: 2 } },
        { key: 'flatten' },
        { key: 'dropout', args: { rate: 0.25 } },
        { key: 'dense', args: { units: 10, activation: 'hardSigmoid', biasInitializer: 'ones' } },
        { key: 'activation', args: { activation: 'tanh' } },
      ]),
    ).spec!,
    'Bidirectional and TimeDistributed': specFromWorkspace(
      modelWorkspace('b', 'both ways', [
        { key: 'input', args: { shape: [12, 5] } },
        { key: 'bidirectionalSimpleRnn', args: { units: 4, returnSequences: true, mergeMode: 'sum' } },
        { key: 'bidirectionalGru', args: { units: 3, returnSequences: true } },
        { key: 'bidirectionalLstm', args: { units: 6, mergeMode: 'ave', unitForgetBias: true, recurrentDropout: 0.1, returnSequences: true } },
        { key: 'timeDistributedDense', args: { units: 2, activation: 'softmax' } },
      ]),
    ).spec!,
    'ConvLSTM2D on image sequences': specFromWorkspace(
      modelWorkspace('v', 'frames', [
        { key: 'input', args: { shape: [4, 8, 8, 1] } },
        { key: 'convLstm2d', args: { filters: 3, padding: 'same', returnSequences: true, unitForgetBias: true } },
        { key: 'convLstm2d', args: { filters: 2, kernelSize: [3, 5], strides: 2 } },
        { key: 'flatten' },
      ]),
    ).spec!,
    'residual block (branches)': specFromWorkspace(residualBlockWorkspace()).spec!,
    'two inputs (branches)': specFromWorkspace(twoInputsWorkspace()).spec!,
    // Made blocks copy their layers under ids like "use/inner"; Keras names may not hold "/".
    'made blocks (composite)': specFromWorkspace(convBlocksWorkspace()).spec!,
  };

  it('gives every layer a name Keras accepts, even from ids with other characters', () => {
    const spec = specFromWorkspace(convBlocksWorkspace()).spec!;
    expect(spec.layers.some((l) => l.id.includes('/'))).toBe(true);
    const names = ((exportKerasJson(spec).config as { layers: { config: { name: string } }[] }).layers).map((l) => l.config.name);
    expect(names.every((n) => /^[A-Za-z][A-Za-z0-9_.-]*$/.test(n))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(Object.entries(specs))('%s: TF.js loads the export with the same shapes and parameters', async (_name, spec) => {
    const compiled = compileSpec(spec);
    const model = await tf.models.modelFromJSON(exportKerasJson(spec) as unknown as tf.io.ModelJSON['modelTopology'] as never);
    expect(model.countParams()).toBe(compiled.totalParams);
    expect(model.outputs[0]!.shape).toEqual(compiled.layers[compiled.layers.length - 1]!.outputShape);
    model.dispose();
  });

  it.each(Object.entries(specs))('%s: round-trips through import', (_name, spec) => {
    const back = importKerasJson(JSON.parse(JSON.stringify(exportKerasJson(spec))));
    expect(back.diagnostics).toEqual([]);
    const resolved = (s: typeof spec) => compileSpec(s).layers.map((l) => [l.type, l.outputShape, l.params]);
    expect(resolved(back.spec!)).toEqual(resolved(spec));
    // Every argument survives, whether it was given or a default.
    for (const [i, node] of spec.layers.entries()) {
      for (const [arg, value] of Object.entries(node.args)) {
        expect([node.type, arg, back.spec!.layers[i]!.args[arg]]).toEqual([node.type, arg, keras2Size(value, arg)]);
      }
    }
  });
});

/** Keras writes every window size as a list, so 3 comes back as [3, 3]. */
function keras2Size(value: unknown, arg: string): unknown {
  return typeof value === 'number' && ['kernelSize', 'strides', 'poolSize', 'dilationRate'].includes(arg) ? [value, value] : value;
}
