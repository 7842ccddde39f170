import { describe, expect, it } from 'vitest';
import { compileCell, compileSpec } from '../compile';
import type { Diagnostic } from '../format/diagnostic';
import { SPEC_VERSION, type ModelSpec } from '../format/model-spec';
import { modelWorkspace, type TemplateLayer } from '../templates/build';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { checkLimits } from './limits';

/** Compiles a model block holding these layers; layer i has block id `t-<i+1>-<key>`. */
function compileLayers(layers: TemplateLayer[], opts?: { maxParams?: number }) {
  return compileCell(modelWorkspace('t', 'test', layers), opts);
}
const input = (...shape: number[]): TemplateLayer => ({ key: 'input', args: { shape } });
const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');

describe('shapes and parameter counts (Keras numbers)', () => {
  it('MNIST CNN template', () => {
    const result = compileCell(mnistCnnWorkspace());
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.map((l) => [l.label, l.outputShape, l.params])).toEqual([
      ['Input', [null, 28, 28, 1], 0],
      ['Conv2D', [null, 26, 26, 8], 3 * 3 * 1 * 8 + 8],
      ['MaxPooling2D', [null, 13, 13, 8], 0],
      ['Conv2D', [null, 11, 11, 16], 3 * 3 * 8 * 16 + 16],
      ['MaxPooling2D', [null, 5, 5, 16], 0],
      ['Flatten', [null, 400], 0],
      ['Dense', [null, 64], 400 * 64 + 64],
      ['Dense', [null, 10], 64 * 10 + 10],
    ]);
    expect(result.totalParams).toBe(27_562);
  });

  it('MNIST MLP template', () => {
    const result = compileCell(mnistMlpWorkspace());
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.map((l) => [l.outputShape, l.params])).toEqual([
      [[null, 28, 28, 1], 0],
      [[null, 784], 0],
      [[null, 128], 784 * 128 + 128],
      [[null, 10], 128 * 10 + 10],
    ]);
    expect(result.totalParams).toBe(101_770);
  });

  it('strides, "same" padding, dilation, bias off, pooling strides and the other layers', () => {
    const result = compileLayers([
      input(32, 32, 3),
      { key: 'conv2d', args: { filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false } },
      { key: 'conv2d', args: { filters: 2, kernelSize: 3, dilationRate: 2 } },
      { key: 'batchNormalization' },
      { key: 'averagePooling2d', args: { poolSize: 3, strides: 2 } },
      { key: 'reshape', args: { targetShape: [50] } },
      { key: 'dropout', args: { rate: 0.5 } },
      { key: 'activation', args: { activation: 'tanh' } },
    ]);
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.map((l) => [l.outputShape, l.params])).toEqual([
      [[null, 32, 32, 3], 0],
      [[null, 16, 16, 4], 3 * 5 * 3 * 4], // ceil(32/2) with "same"; no bias
      [[null, 12, 12, 2], 3 * 3 * 4 * 2 + 2], // dilated 3×3 spans 5×5: 16-5+1
      [[null, 12, 12, 2], 4 * 2], // gamma, beta, moving mean, moving variance per channel
      [[null, 5, 5, 2], 0], // floor((12-3)/2)+1
      [[null, 50], 0],
      [[null, 50], 0],
      [[null, 50], 0],
    ]);
  });
});

describe('diagnostics', () => {
  it('no model block', () => {
    const result = compileCell({ blocks: { languageVersion: 0, blocks: [{ type: 'layer_dense', id: 'd', fields: { units: 3 } }] } });
    expect(result.spec).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['stray-block', 'no-model-block']);
    expect(result.diagnostics[1]!.fix).toMatch(/model/);
  });

  it('empty model block', () => {
    const result = compileLayers([]);
    expect(result.diagnostics).toMatchObject([{ code: 'empty-model', blockId: 't-model', severity: 'error' }]);
  });

  it('no Input block: shown on the model block', () => {
    const result = compileLayers([{ key: 'flatten' }, { key: 'dense', args: { units: 10 } }]);
    expect(errors(result.diagnostics)).toMatchObject([{ code: 'no-input', blockId: 't-model' }]);
    expect(result.diagnostics[0]!.fix).toContain('Input block');
    expect(result.spec).toBeNull();
  });

  it('Input not first', () => {
    const result = compileLayers([{ key: 'flatten' }, input(784), { key: 'dense', args: { units: 10 } }]);
    expect(errors(result.diagnostics)).toMatchObject([{ code: 'input-not-first', blockId: 't-2-input' }]);
    expect(result.diagnostics[0]!.message).toContain('below the Flatten block');
    expect(result.diagnostics[0]!.fix).toBe('Drag the Input block to the top of the model block.');
  });

  it('Input with nothing after it', () => {
    const result = compileLayers([input(28, 28, 1)]);
    expect(errors(result.diagnostics)).toMatchObject([{ code: 'no-layers', blockId: 't-1-input' }]);
  });

  it('Dense before Flatten on an image', () => {
    const result = compileLayers([input(28, 28, 1), { key: 'conv2d', args: { filters: 8, kernelSize: 3 } }, { key: 'dense', args: { units: 10 } }]);
    expect(errors(result.diagnostics)).toEqual([
      {
        blockId: 't-3-dense',
        severity: 'error',
        code: 'needs-flat-input',
        message: 'This Dense block gets a 26×26×8 image, but Dense needs a flat list of numbers.',
        fix: 'Add a Flatten block above this Dense block.',
        quickFix: { kind: 'insertBefore', blockId: 't-3-dense', layer: 'flatten' },
      },
    ]);
    // Layers above the problem keep their shapes, so the student still sees them.
    expect(result.layers[1]!.outputShape).toEqual([null, 26, 26, 8]);
    expect(result.layers[2]!.outputShape).toBeNull();
  });

  it('Conv2D after Flatten', () => {
    const result = compileLayers([input(28, 28, 1), { key: 'flatten' }, { key: 'conv2d' }]);
    expect(errors(result.diagnostics)).toMatchObject([
      {
        blockId: 't-3-conv2d',
        code: 'needs-image',
        message: 'This Conv2D block gets a flat list of 784 numbers, but Conv2D needs an image (height × width × colour channels).',
        fix: 'Move this Conv2D block above the Flatten block.',
      },
    ]);
  });

  it('Flatten on data that is already flat (TF.js refuses to build it)', () => {
    const result = compileLayers([input(4), { key: 'flatten' }, { key: 'dense', args: { units: 3 } }]);
    expect(errors(result.diagnostics)).toMatchObject([
      { blockId: 't-2-flatten', code: 'already-flat', fix: 'Delete this Flatten block: the data is already flat.' },
    ]);
  });

  it('MaxPooling2D on a 2-D input without colour channel', () => {
    const result = compileLayers([input(28, 28), { key: 'maxPooling2d' }]);
    expect(errors(result.diagnostics)).toMatchObject([
      { blockId: 't-2-maxPooling2d', code: 'needs-image', fix: 'Add a colour channel to the Input shape: 28,28,1 instead of 28,28.' },
    ]);
  });

  it('Conv2D on a flat list from the Input', () => {
    const result = compileLayers([input(784), { key: 'conv2d' }]);
    expect(errors(result.diagnostics)[0]!.fix).toMatch(/Input block an image shape such as 28,28,1/);
  });

  it('kernel larger than its input suggests padding "same" or a smaller kernel', () => {
    const result = compileLayers([input(4, 4, 1), { key: 'conv2d', args: { filters: 2, kernelSize: 5 } }]);
    expect(errors(result.diagnostics)).toMatchObject([
      {
        blockId: 't-2-conv2d',
        code: 'kernel-too-big',
        message: 'This Conv2D block gets an image of only 4×4 pixels, which is smaller than its 5×5 kernel, so nothing would be left.',
      },
    ]);
    expect(result.diagnostics[0]!.fix).toMatch(/padding to "same".*smaller kernel size/);
    // The same kernel with padding "same" fits.
    expect(compileLayers([input(4, 4, 1), { key: 'conv2d', args: { filters: 2, kernelSize: 5, padding: 'same' } }, { key: 'flatten' }]).diagnostics).toEqual([]);
  });

  it('dilation makes a kernel too big even when its size fits', () => {
    const result = compileLayers([input(5, 5, 1), { key: 'conv2d', args: { kernelSize: 3, dilationRate: 3 } }]);
    expect(errors(result.diagnostics)[0]!.message).toContain('7×7 kernel (spread out by the dilation rate)');
  });

  it('the image shrinks until a pool no longer fits: nothing would be left', () => {
    const result = compileLayers([input(28, 28, 1), { key: 'maxPooling2d' }, { key: 'maxPooling2d' }, { key: 'maxPooling2d' }, { key: 'maxPooling2d' }, { key: 'maxPooling2d' }]);
    expect(result.layers.map((l) => l.outputShape?.[1] ?? null)).toEqual([28, 14, 7, 3, 1, null]);
    expect(errors(result.diagnostics)).toMatchObject([
      { blockId: 't-6-maxPooling2d', code: 'pool-too-big', message: expect.stringContaining('only 1×1 pixels') },
    ]);
  });

  it('Reshape that does not fit the numbers coming in', () => {
    const result = compileLayers([input(28, 28, 1), { key: 'reshape', args: { targetShape: [27, 28] } }]);
    expect(errors(result.diagnostics)).toMatchObject([
      { code: 'reshape-size-mismatch', message: 'This Reshape block gets 784 numbers, but the new shape 27,28 holds 756.' },
    ]);
  });

  it.each([
    ['dense', { units: 0 }, 'The "units" field of this Dense block is 0, but it must be at least 1.'],
    ['dense', { units: 2.5 }, 'The "units" field of this Dense block is 2.5, but it must be a whole number.'],
    ['dropout', { rate: 1 }, 'The "rate" field of this Dropout block is 1, but it must be less than 1.'],
    ['dropout', { rate: -0.1 }, 'The "rate" field of this Dropout block is -0.1, but it must be at least 0.'],
    ['conv2d', { kernelSize: '3,3,3' }, 'The "kernel size" field of this Conv2D block is "3,3,3", but it must be one whole number like 3, or two like 3,5.'],
    ['conv2d', { filters: 0 }, 'The "filters" field of this Conv2D block is 0, but it must be at least 1.'],
    ['dense', { activation: 'magic' }, 'The "activation" field of this Dense block is "magic", but it isn\'t one of the choices.'],
  ])('invalid %s argument %j names the field', (key, args, message) => {
    const result = compileLayers([input(28, 28, 1), { key: 'flatten' }, { key, args }]);
    expect(errors(result.diagnostics)).toMatchObject([{ blockId: `t-3-${key}`, code: 'invalid-arg', message }]);
    expect(result.spec).toBeNull();
  });

  it('an unreadable Input shape explains the expected form', () => {
    const workspace = modelWorkspace('t', 'test', [input(28, 28, 1), { key: 'flatten' }]);
    const inputBlock = workspace.blocks!.blocks[0]!.inputs!.LAYERS!.block!;
    inputBlock.fields!.shape = '28,28,a';
    expect(errors(compileCell(workspace).diagnostics)).toMatchObject([
      {
        blockId: 't-1-input',
        message: 'The "shape" field of this Input block is "28,28,a", but it must be whole numbers separated by commas.',
        fix: 'Type the sizes separated by commas, like 28,28,1, or "any" for a size that changes from example to example (like a text\'s length).',
      },
    ]);
  });

  it('Conv2D cannot step and spread at once', () => {
    const result = compileLayers([input(28, 28, 1), { key: 'conv2d', args: { strides: 2, dilationRate: 2 } }]);
    expect(errors(result.diagnostics)).toMatchObject([{ code: 'strides-and-dilation', blockId: 't-2-conv2d' }]);
  });
});

describe('parameter limit', () => {
  it('words the limit with both numbers', () => {
    expect(checkLimits(1_000_000_000, { maxParams: 5_000_000 })).toEqual([
      {
        blockId: null,
        severity: 'error',
        code: 'too-many-params',
        message: 'This model has 1,000,000,000 parameters; the limit is 5,000,000.',
        fix: 'Use fewer units or filters, or add pooling before Flatten.',
      },
    ]);
    expect(checkLimits(5_000_000, { maxParams: 5_000_000 })).toEqual([]);
  });

  it('refuses a 10^9-parameter model by arithmetic alone, pointing at the biggest block', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const result = compileLayers([input(1000, 1000, 1), { key: 'flatten' }, { key: 'dense', args: { units: 1000 } }]);
    expect(result.totalParams).toBe(1_000_000 * 1000 + 1000);
    expect(result.spec).toBeNull();
    expect(errors(result.diagnostics)).toMatchObject([
      { code: 'too-many-params', blockId: 't-3-dense', message: 'This model has 1,000,001,000 parameters; the limit is 5,000,000.' },
    ]);
    // 10^9 float32 weights would be 4 GB; checking the model must not come anywhere near that.
    // How long the refusal takes is measured by `npm run bench -- compile`.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('respects a custom limit', () => {
    expect(compileCell(mnistMlpWorkspace(), { maxParams: 100_000 }).diagnostics.map((d) => d.code)).toEqual(['too-many-params']);
    expect(compileCell(mnistMlpWorkspace(), { maxParams: 101_770 }).diagnostics).toEqual([]);
  });
});

describe('specs from elsewhere', () => {
  const spec = (layers: ModelSpec['layers'], kind: ModelSpec['kind'] = 'sequential'): ModelSpec => ({
    specVersion: SPEC_VERSION,
    kind,
    name: 'x',
    layers,
    inputs: layers.filter((l) => l.type === 'input').map((l) => l.id),
    outputs: layers.length ? [layers[layers.length - 1]!.id] : [],
  });

  it('reports unknown layer types and settings', () => {
    const result = compileSpec(
      spec([
        { id: 'i', type: 'input', args: { shape: [4] }, inputs: [] },
        { id: 'l', type: 'transformer', args: {}, inputs: ['i'] },
        { id: 'd', type: 'dense', args: { units: 2, colour: 'red' }, inputs: ['l'] },
      ]),
    );
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.blockId])).toEqual([
      ['unknown-layer', 'error', 'l'],
      ['unknown-arg', 'warning', 'd'],
    ]);
  });

  it('reports connections to layers that do not exist', () => {
    const result = compileSpec(
      spec([
        { id: 'i', type: 'input', args: { shape: [4] }, inputs: [] },
        { id: 'd', type: 'dense', args: { units: 2 }, inputs: ['nope'] },
      ]),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['bad-connection']);
  });

  it('rejects what is not a spec at all', () => {
    for (const garbage of [null, 42, 'spec', { specVersion: 1 }, { ...spec([]), specVersion: 9 }]) {
      const result = compileSpec(garbage);
      expect(result.spec).toBeNull();
      expect(result.diagnostics.map((d) => d.code)).toEqual(['bad-spec']);
    }
  });
});
