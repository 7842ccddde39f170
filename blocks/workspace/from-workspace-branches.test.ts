import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { branchingWorkspace, type BranchStep } from '../templates/branching';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { residualBlockWorkspace } from '../templates/residual-block';
import { twoInputsWorkspace } from '../templates/two-inputs';
import { specFromWorkspace } from './from-workspace';

const convert = (steps: BranchStep[]) => specFromWorkspace(branchingWorkspace('t', 'test', steps));
const codes = (diagnostics: { code: string }[]) => diagnostics.map((d) => d.code);

describe('branches in the blocks become a functional spec', () => {
  it('a plain stack stays sequential', () => {
    expect(specFromWorkspace(mnistCnnWorkspace()).spec!.kind).toBe('sequential');
  });

  it('residual block: the named output feeds the Add block as its second input', () => {
    const { spec, diagnostics } = specFromWorkspace(residualBlockWorkspace());
    expect(diagnostics).toEqual([]);
    expect(spec!.kind).toBe('functional');
    const add = spec!.layers.find((l) => l.type === 'add')!;
    expect(add.inputs).toEqual(['resnet-5-conv2d', 'resnet-2-conv2d']);
    expect(spec!.inputs).toEqual(['resnet-1-input']);
    expect(spec!.outputs).toEqual(['resnet-10-dense']);
    // The branching blocks are not layers.
    expect(spec!.layers.map((l) => l.type)).toEqual(['input', 'conv2d', 'conv2d', 'conv2d', 'add', 'activation', 'maxPooling2d', 'flatten', 'dense']);
  });

  it('two inputs: an Input after a named output starts a second branch', () => {
    const { spec, diagnostics } = specFromWorkspace(twoInputsWorkspace());
    expect(diagnostics).toEqual([]);
    expect(spec!.inputs).toEqual(['two-1-input', 'two-4-input']);
    expect(spec!.layers.find((l) => l.type === 'concatenate')!.inputs).toEqual(['two-5-dense', 'two-2-dense']);
    const compiled = compileCell(twoInputsWorkspace());
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.layers.find((l) => l.type === 'concatenate')!.outputShape).toEqual([null, 24]);
  });

  it('"use output of" starts a branch; "model output" marks several outputs', () => {
    const { spec, diagnostics } = convert([
      { key: 'input', args: { shape: [10] } },
      { name: 'features' },
      { key: 'dense', args: { units: 3, activation: 'softmax' } },
      { output: true },
      { use: 'features' },
      { key: 'dense', args: { units: 1 } },
      { output: true },
    ]);
    expect(diagnostics).toEqual([]);
    expect(spec!.layers.map((l) => [l.id, l.inputs])).toEqual([
      ['t-1-input', []],
      ['t-3-dense', ['t-1-input']],
      ['t-6-dense', ['t-1-input']],
    ]);
    expect(spec!.outputs).toEqual(['t-3-dense', 't-6-dense']);
    expect(spec!.kind).toBe('functional');
  });

  it('names match whatever the capitals and spaces', () => {
    const { spec, diagnostics } = convert([
      { key: 'input', args: { shape: [4] } },
      { name: ' Skip ' },
      { key: 'dense', args: { units: 4 } },
      { key: 'add', with: ['skip'] },
    ]);
    expect(diagnostics).toEqual([]);
    expect(spec!.layers[2]!.inputs).toEqual(['t-3-dense', 't-1-input']);
  });
});

describe('problems with branches are explained on the block', () => {
  it('a name given twice', () => {
    const { diagnostics } = convert([
      { key: 'input', args: { shape: [4] } },
      { name: 'a' },
      { key: 'dense', args: { units: 4 } },
      { name: 'A' },
      { key: 'add', with: ['a'] },
    ]);
    expect(diagnostics).toMatchObject([{ blockId: 't-4-name', severity: 'error', code: 'duplicate-name' }]);
    expect(diagnostics[0]!.message).toContain('"A" is already given to another output above');
  });

  it('"use output of" a name nobody gave lists the names there are', () => {
    const { diagnostics } = convert([
      { key: 'input', args: { shape: [4] } },
      { name: 'skip' },
      { key: 'dense', args: { units: 4 } },
      { key: 'add', with: ['skip'] },
      { use: 'skp' },
      { key: 'dense', args: { units: 2 } },
    ]);
    expect(diagnostics).toMatchObject([{ blockId: 't-5-use', code: 'unknown-name' }]);
    expect(diagnostics[0]!.message).toBe('No output above this block is called "skp".');
    expect(diagnostics[0]!.fix).toContain('"skip"');
  });

  it('a merge with a name that is only given further down would be a loop', () => {
    const result = compileCell(
      branchingWorkspace('t', 'loop', [
        { key: 'input', args: { shape: [4] } },
        { key: 'dense', args: { units: 4 } },
        { key: 'add', with: ['later'] },
        { name: 'later' },
      ]),
    );
    expect(codes(result.diagnostics.filter((d) => d.severity === 'error'))).toEqual(['name-loop', 'merge-needs-more-inputs']);
    expect(result.diagnostics[0]).toMatchObject({ blockId: 't-3-add' });
    expect(result.diagnostics[0]!.fix).toContain('name this output later');
    expect(result.spec).toBeNull();
  });

  it('a merge with an empty "with" box gets only one input', () => {
    const result = compileCell(branchingWorkspace('t', 'one', [{ key: 'input', args: { shape: [4] } }, { key: 'add' }]));
    expect(result.diagnostics).toMatchObject([{ blockId: 't-2-add', code: 'merge-needs-more-inputs' }]);
  });

  it('shapes that cannot be merged name both shapes', () => {
    const result = compileCell(
      branchingWorkspace('t', 'bad', [
        { key: 'input', args: { shape: [6] } },
        { name: 'x' },
        { key: 'dense', args: { units: 4 } },
        { key: 'add', with: ['x'] },
      ]),
    );
    expect(result.diagnostics).toMatchObject([{ blockId: 't-4-add', code: 'merge-shapes-differ' }]);
    expect(result.diagnostics[0]!.message).toContain('4 and 6');
  });

  it('a branch that goes nowhere and a name nobody uses are warned about', () => {
    const result = compileCell(
      branchingWorkspace('t', 'unused', [
        { key: 'input', args: { shape: [4] } },
        { name: 'x' },
        { key: 'dense', args: { units: 3 } },
        { name: 'unused' },
        { use: 'x' },
        { key: 'dense', args: { units: 2 } },
      ]),
    );
    expect(result.diagnostics.map((d) => [d.blockId, d.severity, d.code])).toEqual([
      ['t-4-name', 'warning', 'unused-name'],
      ['t-3-dense', 'warning', 'unused-output'],
    ]);
    // Warnings don't stop the model from being built.
    expect(result.spec).not.toBeNull();
  });

  it('an Input straight below a layer is still misplaced', () => {
    const result = compileCell(
      branchingWorkspace('t', 'misplaced', [
        { key: 'input', args: { shape: [4] } },
        { key: 'dense', args: { units: 3 } },
        { key: 'input', args: { shape: [4] } },
        { key: 'dense', args: { units: 3 } },
      ]),
    );
    expect(codes(result.diagnostics)).toContain('input-not-first');
  });

  it('naming or marking nothing', () => {
    const { diagnostics } = convert([{ name: 'x' }, { output: true }, { key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 1 } }]);
    expect(codes(diagnostics)).toEqual(['nothing-to-name', 'nothing-to-output']);
  });
});
