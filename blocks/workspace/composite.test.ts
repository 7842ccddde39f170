import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { compositeWorkspace, type BlockDefinitionTemplate, type CompositeStep } from '../templates/composite';
import { convBlocksWorkspace } from '../templates/conv-blocks';
import { modelWorkspace } from '../templates/build';
import { splitSettingPairs } from './composite';
import { specFromWorkspace } from './from-workspace';

const convBlock: BlockDefinitionTemplate = {
  name: 'conv block',
  settings: ['filters', 'kernelSize'],
  steps: [
    { key: 'conv2d', args: { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { key: 'maxPooling2d', args: { poolSize: 2 } },
  ],
};
const input = { key: 'input', args: { shape: [28, 28, 1] } };
const use = (name: string, settings: Record<string, string | number> = {}): CompositeStep => ({ use: name, settings, block: true });
const build = (definitions: BlockDefinitionTemplate[], steps: CompositeStep[]) => compositeWorkspace('t', 'test', definitions, steps);
const codes = (diagnostics: { code: string }[]) => diagnostics.map((d) => d.code);
/** Conv2D parameters: one kernel per filter over every input channel, plus one bias per filter. */
const convParams = (kernel: number, channelsIn: number, filters: number) => kernel * kernel * channelsIn * filters + filters;

describe('blocks a student makes are copied into the model where they are used', () => {
  it('two uses with different filters become two Conv2D layers with those filters', () => {
    const workspace = build([convBlock], [input, use('conv block', { filters: 16 }), use('Conv Block', { filters: 32, kernelSize: 5 })]);
    const { spec, diagnostics } = specFromWorkspace(workspace);
    expect(diagnostics).toEqual([]);
    expect(spec!.kind).toBe('sequential');
    expect(spec!.layers.map((l) => [l.id, l.type])).toEqual([
      ['t-1-input', 'input'],
      ['t-2-block/t-def1-1-conv2d', 'conv2d'],
      ['t-2-block/t-def1-2-maxPooling2d', 'maxPooling2d'],
      ['t-3-block/t-def1-1-conv2d', 'conv2d'],
      ['t-3-block/t-def1-2-maxPooling2d', 'maxPooling2d'],
    ]);
    const convs = spec!.layers.filter((l) => l.type === 'conv2d');
    expect(convs.map((c) => [c.args.filters, c.args.kernelSize, c.args.padding])).toEqual([
      [16, 3, 'same'],
      [32, 5, 'same'],
    ]);

    const compiled = compileCell(workspace);
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.layers.map((l) => l.outputShape)).toEqual([
      [null, 28, 28, 1],
      [null, 28, 28, 16],
      [null, 14, 14, 16],
      [null, 14, 14, 32],
      [null, 7, 7, 32],
    ]);
    expect(compiled.totalParams).toBe(convParams(3, 1, 16) + convParams(5, 16, 32));
  });

  it('a use without settings keeps the values inside the definition; the definition itself is not a stray block', () => {
    const { spec, diagnostics } = specFromWorkspace(build([convBlock], [input, use('conv block')]));
    expect(diagnostics).toEqual([]);
    expect(spec!.layers.find((l) => l.type === 'conv2d')!.args.filters).toBe(8);
  });

  it('the conv blocks template compiles to the same model as the same layers written out', () => {
    const compiled = compileCell(convBlocksWorkspace());
    expect(compiled.diagnostics).toEqual([]);
    const flat = compileCell(
      modelWorkspace('flat', 'flat', [
        input,
        { key: 'conv2d', args: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { key: 'maxPooling2d', args: { poolSize: 2 } },
        { key: 'conv2d', args: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { key: 'maxPooling2d', args: { poolSize: 2 } },
        { key: 'flatten' },
        { key: 'dense', args: { units: 10, activation: 'softmax' } },
      ]),
    );
    expect(compiled.totalParams).toBe(convParams(3, 1, 16) + convParams(3, 16, 32) + (7 * 7 * 32 * 10 + 10));
    expect(compiled.layers.map((l) => [l.type, l.outputShape, l.params])).toEqual(flat.layers.map((l) => [l.type, l.outputShape, l.params]));
    expect(compiled.code).toContain('filters: 32');
  });

  it('names given inside a block stay inside each copy, so a residual block can be used twice', () => {
    const residual: BlockDefinitionTemplate = {
      name: 'residual block',
      settings: ['units'],
      steps: [{ name: 'skip' }, { key: 'dense', args: { units: 8, activation: 'relu' } }, { key: 'add', with: ['skip'] }],
    };
    const { spec, diagnostics } = specFromWorkspace(build([residual], [{ key: 'input', args: { shape: [8] } }, use('residual block'), use('residual block')]));
    expect(diagnostics).toEqual([]);
    expect(spec!.kind).toBe('functional');
    const adds = spec!.layers.filter((l) => l.type === 'add');
    expect(adds.map((a) => a.inputs)).toEqual([
      ['t-2-block/t-def1-2-dense', 't-1-input'],
      ['t-3-block/t-def1-2-dense', 't-2-block/t-def1-3-add'],
    ]);
    expect(compileCell(build([residual], [{ key: 'input', args: { shape: [8] } }, use('residual block'), use('residual block')])).diagnostics).toEqual([]);
  });

  it('a block made of other made blocks is copied all the way down, and outer settings reach inner layers', () => {
    const twice: BlockDefinitionTemplate = { name: 'double conv', settings: ['filters'], steps: [use('conv block'), use('conv block')] };
    const { spec, diagnostics } = specFromWorkspace(build([convBlock, twice], [input, use('double conv', { filters: 4 })]));
    expect(diagnostics).toEqual([]);
    expect(spec!.layers.filter((l) => l.type === 'conv2d').map((l) => [l.id, l.args.filters])).toEqual([
      ['t-2-block/t-def2-1-block/t-def1-1-conv2d', 4],
      ['t-2-block/t-def2-2-block/t-def1-1-conv2d', 4],
    ]);
  });
});

describe('problems with made blocks say what to do', () => {
  it('an unknown block name lists the blocks that exist', () => {
    const { diagnostics } = specFromWorkspace(build([convBlock], [input, use('conv blok')]));
    expect(diagnostics).toEqual([expect.objectContaining({ blockId: 't-2-block', code: 'unknown-block-name', fix: expect.stringContaining('"conv block"') })]);
  });

  it('a setting that no layer inside has is reported on the definition', () => {
    const { diagnostics } = specFromWorkspace(build([{ ...convBlock, settings: ['filters', 'units'] }], [input, use('conv block')]));
    expect(diagnostics).toEqual([expect.objectContaining({ blockId: 't-def1', code: 'unknown-block-setting', message: expect.stringContaining('"units"') })]);
  });

  it('a use setting that is not in the definition\'s list is refused, naming the allowed ones', () => {
    const { diagnostics } = specFromWorkspace(build([convBlock], [input, use('conv block', { strides: 2 })]));
    expect(diagnostics).toEqual([
      expect.objectContaining({ blockId: 't-2-block', code: 'setting-not-in-block', fix: expect.stringContaining('"filters", "kernelSize"') }),
    ]);
  });

  it('a setting written without "=" is explained', () => {
    const workspace = build([convBlock], [input, use('conv block')]);
    const useBlock = workspace.blocks!.blocks[0]!.inputs!.LAYERS!.block!.next!.block!;
    useBlock.fields!.SETTINGS = 'filters 32';
    expect(codes(specFromWorkspace(workspace).diagnostics)).toEqual(['bad-block-setting']);
  });

  it('a value that does not fit the setting is shown on the use block, naming the layer inside', () => {
    const compiled = compileCell(build([convBlock], [input, use('conv block', { filters: 'lots' })]));
    expect(compiled.spec).toBeNull();
    expect(compiled.diagnostics).toEqual([
      expect.objectContaining({ blockId: 't-2-block', code: 'invalid-arg', message: expect.stringMatching(/^Inside your "conv block" block, in its Conv2D layer: .*"lots"/) }),
    ]);
    expect(compiled.diagnostics[0]!.quickFix).toBeUndefined();
  });

  it('a shape problem inside a copy is shown on the use block', () => {
    const dense: BlockDefinitionTemplate = { name: 'classifier', settings: [], steps: [{ key: 'dense', args: { units: 10 } }] };
    const compiled = compileCell(build([dense], [input, use('classifier')]));
    expect(compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.blockId, d.code])).toEqual([['t-2-block', 'needs-flat-input']]);
  });

  it('a block that uses itself, directly or through another block, is refused', () => {
    const loop: BlockDefinitionTemplate = { name: 'loop', settings: [], steps: [{ key: 'dense', args: { units: 4 } }, use('loop')] };
    const direct = specFromWorkspace(build([loop], [{ key: 'input', args: { shape: [4] } }, use('loop')]));
    expect(direct.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ blockId: 't-def1-2-block', code: 'block-uses-itself' }),
        expect.objectContaining({ blockId: 't-2-block', code: 'block-uses-itself' }),
      ]),
    );
    const a: BlockDefinitionTemplate = { name: 'a', settings: [], steps: [use('b')] };
    const b: BlockDefinitionTemplate = { name: 'b', settings: [], steps: [use('a')] };
    const indirect = specFromWorkspace(build([a, b], [{ key: 'input', args: { shape: [4] } }]));
    expect(indirect.diagnostics.map((d) => [d.blockId, d.code])).toEqual([
      ['t-def1-1-block', 'block-uses-itself'],
      ['t-def2-1-block', 'block-uses-itself'],
    ]);
    expect(compileCell(build([loop], [{ key: 'input', args: { shape: [4] } }, use('loop')])).spec).toBeNull();
  });

  it('two definitions with the same name: the second one is reported', () => {
    const { diagnostics } = specFromWorkspace(build([convBlock, { ...convBlock, name: 'Conv Block' }], [input, use('conv block')]));
    expect(diagnostics).toEqual([expect.objectContaining({ blockId: 't-def2', code: 'duplicate-block-name' })]);
  });
});

describe('splitSettingPairs', () => {
  it('keeps a pair value with commas together', () => {
    expect(splitSettingPairs('filters=32, kernelSize=3, 5,strides = 2')).toEqual(['filters=32', 'kernelSize=3, 5', 'strides = 2']);
  });
});

describe('copying has limits', () => {
  it('blocks that multiply each other into thousands of layers are refused, not copied forever', () => {
    const ten = (name: string, inner: string): BlockDefinitionTemplate => ({ name, settings: [], steps: Array.from({ length: 10 }, () => use(inner)) });
    const dense: BlockDefinitionTemplate = { name: 'd', settings: [], steps: [{ key: 'dense', args: { units: 2 } }] };
    const workspace = build([dense, ten('c', 'd'), ten('b', 'c'), ten('a', 'b')], [{ key: 'input', args: { shape: [2] } }, use('a'), use('a'), use('a')]);
    const { diagnostics, spec } = specFromWorkspace(workspace);
    expect(codes(diagnostics)).toContain('too-many-blocks');
    expect(spec!.layers.length).toBeLessThanOrEqual(2000);
  });
});
