import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { residualBlockWorkspace } from '../templates/residual-block';
import { twoInputsWorkspace } from '../templates/two-inputs';
import { registerLayerBlocks } from './index';

/** Blockly's saved objects have null prototypes; compare them as the JSON the database stores. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

beforeAll(() => registerLayerBlocks(Blockly));

function stackInModel(workspace: Blockly.Workspace, blocks: Blockly.Block[]): void {
  const model = workspace.newBlock('model');
  model.getInput('LAYERS')!.connection!.connect(blocks[0]!.previousConnection!);
  for (let i = 1; i < blocks.length; i++) blocks[i - 1]!.nextConnection!.connect(blocks[i]!.previousConnection!);
}

describe('branching blocks in a headless Blockly workspace', () => {
  it.each([
    ['residual block', residualBlockWorkspace],
    ['two inputs', twoInputsWorkspace],
  ])('%s template loads and saves back unchanged', (_name, template) => {
    const workspace = new Blockly.Workspace();
    Blockly.serialization.workspaces.load(template() as Record<string, unknown>, workspace);
    const saved = asJson(Blockly.serialization.workspaces.save(workspace));
    expect(saved).toEqual(template());
    expect(compileCell(saved).diagnostics).toEqual([]);
    workspace.dispose();
  });

  it('blocks snapped together in the editor make a residual connection', () => {
    const workspace = new Blockly.Workspace();
    const input = workspace.newBlock('layer_input');
    input.setFieldValue('8', 'shape');
    const name = workspace.newBlock('name_output');
    name.setFieldValue('shortcut', 'NAME');
    const dense = workspace.newBlock('layer_dense');
    dense.setFieldValue(8, 'units');
    const add = workspace.newBlock('layer_add');
    add.setFieldValue('shortcut', 'WITH');
    const output = workspace.newBlock('model_output');
    stackInModel(workspace, [input, name, dense, add, output]);

    const result = compileCell(Blockly.serialization.workspaces.save(workspace));
    expect(result.diagnostics).toEqual([]);
    expect(result.spec!.kind).toBe('functional');
    expect(result.spec!.layers.find((l) => l.type === 'add')!.inputs).toEqual([dense.id, input.id]);
    expect(result.spec!.outputs).toEqual([add.id]);
    expect(result.code).toContain('tf.layers.add().apply([dense1, input1])');
    workspace.dispose();
  });

  it('a new merge block starts with an empty "with" box, and branch blocks only snap into stacks', () => {
    const workspace = new Blockly.Workspace();
    const concat = workspace.newBlock('layer_concatenate');
    expect(concat.getFieldValue('WITH')).toBe('');
    for (const type of ['name_output', 'use_output', 'model_output']) {
      const block = workspace.newBlock(type);
      expect(block.previousConnection!.getCheck()).toEqual(['layer']);
      expect(block.nextConnection!.getCheck()).toEqual(['layer']);
    }
    workspace.dispose();
  });
});
