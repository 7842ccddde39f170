import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import type { Diagnostic } from '../format/diagnostic';
import { modelWorkspace } from '../templates/build';
import { applyQuickFix, registerLayerBlocks } from './index';

beforeAll(() => registerLayerBlocks(Blockly));

function load(json: unknown): Blockly.Workspace {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load(json as Record<string, unknown>, workspace);
  return workspace;
}

const compile = (workspace: Blockly.Workspace) => compileCell(Blockly.serialization.workspaces.save(workspace));
const withFix = (diagnostics: Diagnostic[], code: string) => {
  const found = diagnostics.find((d) => d.code === code);
  expect(found?.quickFix, `${code} should offer a quick fix`).toBeDefined();
  return found!;
};

describe('quick fixes from the shape checker, applied to Blockly (headless)', () => {
  it('Dense on an image: inserts a Flatten block above the Dense block, and the model compiles', () => {
    const workspace = load(
      modelWorkspace('t', 'T', [{ key: 'input', args: { shape: [28, 28, 1] } }, { key: 'dense', args: { units: 10, activation: 'softmax' } }]),
    );
    const problem = withFix(compile(workspace).diagnostics, 'needs-flat-input');
    expect(problem.quickFix).toEqual({ kind: 'insertBefore', blockId: 't-2-dense', layer: 'flatten' });
    expect(applyQuickFix(Blockly, workspace, problem.quickFix!)).toBe(true);
    const after = compile(workspace);
    expect(after.diagnostics).toEqual([]);
    expect(after.layers.map((l) => l.type)).toEqual(['input', 'flatten', 'dense']);
    workspace.dispose();
  });

  it('a Dense block directly under the model block (nothing above) gets Flatten above it too', () => {
    const workspace = new Blockly.Workspace();
    const dense = workspace.newBlock('layer_dense');
    expect(applyQuickFix(Blockly, workspace, { kind: 'insertBefore', blockId: dense.id, layer: 'flatten' })).toBe(true);
    expect(dense.getPreviousBlock()?.type).toBe('layer_flatten');
    workspace.dispose();
  });

  it.each([
    ['conv2d', { filters: 8, kernelSize: 5 }, 'kernel-too-big'],
    ['maxPooling2d', { poolSize: 4 }, 'pool-too-big'],
  ])('%s window bigger than the image: sets padding to "same"', (key, args, code) => {
    const workspace = load(modelWorkspace('t', 'T', [{ key: 'input', args: { shape: [3, 3, 1] } }, { key, args }, { key: 'flatten' }]));
    const problem = withFix(compile(workspace).diagnostics, code);
    expect(problem.quickFix).toEqual({ kind: 'setField', blockId: `t-2-${key}`, field: 'padding', value: 'same' });
    applyQuickFix(Blockly, workspace, problem.quickFix!);
    expect(workspace.getBlockById(`t-2-${key}`)!.getFieldValue('padding')).toBe('same');
    expect(compile(workspace).diagnostics).toEqual([]);
    workspace.dispose();
  });

  it('offers no quick fix for problems that need a decision (an empty model)', () => {
    const result = compileCell({ blocks: { languageVersion: 0, blocks: [] } });
    expect(result.diagnostics.every((d) => d.quickFix === undefined)).toBe(true);
  });

  it('sets the Input shape to the dataset shape', () => {
    const workspace = load(modelWorkspace('t', 'T', [{ key: 'input', args: { shape: [784] } }, { key: 'dense', args: { units: 10 } }]));
    expect(applyQuickFix(Blockly, workspace, { kind: 'setInputShape', value: [28, 28, 1] })).toBe(true);
    expect(workspace.getBlockById('t-1-input')!.getFieldValue('shape')).toBe('28,28,1');
    expect(applyQuickFix(Blockly, workspace, { kind: 'setInputShape', blockId: 't-2-dense', value: [4] })).toBe(false);
    workspace.dispose();
  });

  it('does nothing and says so when the named block is gone', () => {
    const workspace = new Blockly.Workspace();
    expect(applyQuickFix(Blockly, workspace, { kind: 'insertBefore', blockId: 'gone', layer: 'flatten' })).toBe(false);
    expect(applyQuickFix(Blockly, workspace, { kind: 'setField', blockId: 'gone', field: 'padding', value: 'same' })).toBe(false);
    expect(workspace.getAllBlocks(false)).toEqual([]);
    workspace.dispose();
  });
});
