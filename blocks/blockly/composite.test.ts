import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { convBlocksWorkspace } from '../templates/conv-blocks';
import { buildToolbox, COMPOSITE_BLOCK_TYPES, MY_BLOCKS_CATEGORY_NAME, registerLayerBlocks, searchBlocks } from './index';

/** Blockly's saved objects have null prototypes; compare them as the JSON the database stores. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

beforeAll(() => registerLayerBlocks(Blockly));

describe('blocks a student makes, in a headless Blockly workspace', () => {
  it('the conv blocks template (a definition and two uses) loads and saves back unchanged', () => {
    const workspace = new Blockly.Workspace();
    Blockly.serialization.workspaces.load(convBlocksWorkspace() as Record<string, unknown>, workspace);
    const saved = asJson(Blockly.serialization.workspaces.save(workspace));
    expect(saved).toEqual(convBlocksWorkspace());
    const compiled = compileCell(saved);
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.spec!.layers.filter((l) => l.type === 'conv2d').map((l) => l.args.filters)).toEqual([16, 32]);
    workspace.dispose();
  });

  it('a block made and used in the editor compiles, and only the use block snaps into stacks', () => {
    const workspace = new Blockly.Workspace();
    const define = workspace.newBlock('define_block');
    define.setFieldValue('wide layer', 'NAME');
    define.setFieldValue('units', 'SETTINGS');
    const dense = workspace.newBlock('layer_dense');
    define.getInput('LAYERS')!.connection!.connect(dense.previousConnection!);
    expect(define.previousConnection).toBeNull();

    const model = workspace.newBlock('model');
    const input = workspace.newBlock('layer_input');
    input.setFieldValue('8', 'shape');
    const first = workspace.newBlock('use_block');
    first.setFieldValue('wide layer', 'NAME');
    first.setFieldValue('units=12', 'SETTINGS');
    const second = workspace.newBlock('use_block');
    second.setFieldValue('wide layer', 'NAME');
    second.setFieldValue('units=3', 'SETTINGS');
    expect(first.previousConnection!.getCheck()).toEqual(['layer']);
    model.getInput('LAYERS')!.connection!.connect(input.previousConnection!);
    input.nextConnection!.connect(first.previousConnection!);
    first.nextConnection!.connect(second.previousConnection!);

    const result = compileCell(Blockly.serialization.workspaces.save(workspace));
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.map((l) => l.outputShape)).toEqual([
      [null, 8],
      [null, 12],
      [null, 3],
    ]);
    expect(result.layers.slice(1).map((l) => l.id)).toEqual([`${first.id}/${dense.id}`, `${second.id}/${dense.id}`]);
    workspace.dispose();
  });
});

describe('the "My blocks" category', () => {
  it('comes last in the toolbox with the make and use blocks, which Blockly knows', () => {
    const toolbox = buildToolbox() as { contents: Array<{ name: string; contents: Array<{ type: string }> }> };
    const last = toolbox.contents[toolbox.contents.length - 1]!;
    expect(last.name).toBe(MY_BLOCKS_CATEGORY_NAME);
    expect(last.contents.map((b) => b.type)).toEqual([...COMPOSITE_BLOCK_TYPES]);
    for (const type of COMPOSITE_BLOCK_TYPES) expect(Blockly.Blocks[type], type).toBeDefined();
  });

  it('search finds the make-a-block block', () => {
    const found = searchBlocks('my block').flatMap((i) => (i.kind === 'block' ? [i.type] : []));
    expect(found).toEqual(expect.arrayContaining(['define_block', 'use_block']));
  });
});
