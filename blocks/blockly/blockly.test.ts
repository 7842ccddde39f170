import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../catalog';
import { compileCell } from '../compile';
import type { Diagnostic } from '../format/diagnostic';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { modelWorkspace } from '../templates/build';
import { specFromWorkspace } from '../workspace/from-workspace';
import { INITIALIZER_BLOCK_TYPES } from './definitions';
import { applyDiagnostics, BRANCH_BLOCK_TYPES, buildToolbox, COMPOSITE_BLOCK_TYPES, registerLayerBlocks, WARNING_ID, type WarnableWorkspace } from './index';

/** Blockly's saved objects have null prototypes; compare them as the JSON the database stores. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

function loadHeadless(json: unknown): Blockly.Workspace {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load(json as Record<string, unknown>, workspace);
  return workspace;
}

beforeAll(() => {
  registerLayerBlocks(Blockly);
  registerLayerBlocks(Blockly); // a second call (hot reload) must be harmless
});

describe('Blockly blocks from the catalogue (headless workspace)', () => {
  it.each([
    ['MNIST CNN', mnistCnnWorkspace],
    ['MNIST MLP', mnistMlpWorkspace],
  ])('%s template loads and saves back unchanged', (_name, template) => {
    const workspace = loadHeadless(template());
    expect(asJson(Blockly.serialization.workspaces.save(workspace))).toEqual(template());
    workspace.dispose();
  });

  it('a new block of every layer starts with its catalogue defaults and compiles', () => {
    const workspace = new Blockly.Workspace();
    for (const layer of LAYERS) {
      const block = workspace.newBlock(`layer_${layer.key}`);
      const saved = asJson(Blockly.serialization.blocks.save(block)) as { fields?: Record<string, unknown> };
      for (const arg of layer.args) expect(saved.fields?.[arg.name], `${layer.key}.${arg.name}`).toBeDefined();
    }
    // Blocks made in the editor (random ids, default fields) go through the compiler cleanly.
    const model = workspace.newBlock('model');
    const stack = ['layer_input', 'layer_conv2d', 'layer_maxPooling2d', 'layer_flatten', 'layer_dropout', 'layer_dense'].map((t) => workspace.newBlock(t));
    model.getInput('LAYERS')!.connection!.connect(stack[0]!.previousConnection!);
    for (let i = 1; i < stack.length; i++) stack[i - 1]!.nextConnection!.connect(stack[i]!.previousConnection!);
    for (const block of workspace.getTopBlocks(false)) if (block.type !== 'model' && !block.getParent() && !stack.includes(block)) block.dispose(false);
    const result = compileCell(Blockly.serialization.workspaces.save(workspace));
    expect(result.diagnostics).toEqual([]);
    expect(result.layers.map((l) => l.outputShape)).toEqual([
      [null, 28, 28, 1],
      [null, 26, 26, 16],
      [null, 13, 13, 16],
      [null, 2704],
      [null, 2704],
      [null, 64],
    ]);
    workspace.dispose();
  });

  it('layer blocks only snap into a model or onto other layers', () => {
    const workspace = new Blockly.Workspace();
    const dense = workspace.newBlock('layer_dense');
    const model = workspace.newBlock('model');
    expect(model.previousConnection).toBeNull();
    const slot = model.getInput('LAYERS')!.connection!;
    expect(workspace.connectionChecker.canConnect(dense.previousConnection, slot, false)).toBe(true);
    expect(slot.getCheck()).toEqual(['layer']);
    expect(dense.previousConnection!.getCheck()).toEqual(['layer']);
    expect(dense.nextConnection!.getCheck()).toEqual(['layer']);
    workspace.dispose();
  });

  it('advanced settings are hidden until "more options" is ticked, and are saved either way', () => {
    const workspace = loadHeadless(mnistCnnWorkspace());
    const conv = workspace.getBlockById('mnist-cnn-2-conv2d')!;
    const useBiasRow = conv.inputList.find((i) => i.fieldRow.some((f) => f.name === 'useBias'))!;
    expect(useBiasRow.isVisible()).toBe(false);
    conv.getField('SHOW_ADVANCED')!.setValue(true);
    expect(useBiasRow.isVisible()).toBe(true);
    conv.getField('useBias')!.setValue(false);
    conv.getField('SHOW_ADVANCED')!.setValue(false);
    const result = compileCell(Blockly.serialization.workspaces.save(workspace));
    expect(result.spec!.layers[1]!.args.useBias).toBe(false);
    expect(result.layers[1]!.params).toBe(72);
    workspace.dispose();
  });
});

describe('starting-weights blocks (recipes with settings)', () => {
  const recipes = {
    kernelInitializer: { kind: 'varianceScaling', scale: 0.5, mode: 'fan_out', distribution: 'uniform' },
    biasInitializer: { kind: 'constant', value: 0.3 },
  } as const;
  const workspace = () => modelWorkspace('init', 'm', [{ key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 3, ...recipes } }]);

  it('plug into a Dense block\'s "… start as" rows, load and save back unchanged, and read back as the same settings', () => {
    const loaded = loadHeadless(workspace());
    const saved = asJson(Blockly.serialization.workspaces.save(loaded));
    expect(saved).toEqual(workspace());
    const dense = loaded.getBlockById('init-2-dense')!;
    expect(dense.getFieldValue('kernelInitializer')).toBe('custom');
    expect(dense.getInputTargetBlock('ADVANCED_kernelInitializer')?.type).toBe('initializer_varianceScaling');
    expect(specFromWorkspace(saved).spec?.layers[1]?.args).toMatchObject(recipes);
    loaded.dispose();
  });

  it('every recipe has a block that starts with its defaults and reads back as a valid recipe', () => {
    const blank = new Blockly.Workspace();
    for (const type of INITIALIZER_BLOCK_TYPES) {
      const block = blank.newBlock(type);
      const state = asJson(Blockly.serialization.blocks.save(block));
      const ws = modelWorkspace('x', 'm', [{ key: 'input', args: { shape: [4] } }, { key: 'dense', args: { units: 4, kernelInitializer: 'custom' } }]);
      const dense = ws.blocks!.blocks[0]!.inputs!.LAYERS!.block!.next!.block!;
      dense.inputs = { ADVANCED_kernelInitializer: { block: state } };
      const compiled = compileCell(ws);
      expect(compiled.diagnostics.filter((d) => d.severity === 'error'), type).toEqual([]);
      expect(compiled.spec?.layers[1]?.args.kernelInitializer, type).toMatchObject({ kind: type.replace('initializer_', '') });
    }
    blank.dispose();
  });
});

describe('buildToolbox', () => {
  it('has a Model category first, then categories holding every layer block once, the starting-weights blocks, then "My blocks"', () => {
    const toolbox = buildToolbox() as { kind: string; contents: Array<{ name: string; contents: Array<{ type: string }> }> };
    expect(toolbox.kind).toBe('categoryToolbox');
    expect(toolbox.contents[0]).toMatchObject({ name: 'Model', contents: [{ type: 'model' }] });
    const types = toolbox.contents.slice(1).flatMap((c) => c.contents.map((b) => b.type));
    expect(types.sort()).toEqual([...LAYERS.map((l) => `layer_${l.key}`), ...BRANCH_BLOCK_TYPES, ...COMPOSITE_BLOCK_TYPES, ...INITIALIZER_BLOCK_TYPES].sort());
    expect(toolbox.contents.find((c) => c.name === 'Starting weights')?.contents.map((b) => b.type)).toEqual([...INITIALIZER_BLOCK_TYPES]);
    // Every block type in the toolbox exists in Blockly.
    for (const type of ['model', ...types]) expect(Blockly.Blocks[type], type).toBeDefined();
  });
});

describe('applyDiagnostics', () => {
  /** Headless Blockly blocks ignore warnings (they have no icons), so record what would be shown. */
  function recordingWorkspace(ids: string[]) {
    const shown = new Map<string, string | null>();
    const workspace: WarnableWorkspace = {
      getAllBlocks: () =>
        ids.map((id) => ({
          id,
          setWarningText: (text: string | null, warningId?: string) => {
            expect(warningId).toBe(WARNING_ID);
            shown.set(id, text);
          },
        })),
    };
    return { workspace, shown };
  }
  const d = (blockId: string | null, message: string, fix: string): Diagnostic => ({ blockId, severity: 'error', code: 'x', message, fix });

  it('shows what was found and how to fix it on the named blocks, and clears the rest', () => {
    const { workspace, shown } = recordingWorkspace(['a', 'b', 'c']);
    applyDiagnostics(workspace, [d('a', 'One.', 'Do one.'), d('a', 'Two.', 'Do two.'), d('b', 'Three.', 'Do three.'), d(null, 'Nowhere.', 'x')]);
    expect(Object.fromEntries(shown)).toEqual({
      a: 'One.\nHow to fix: Do one.\n\nTwo.\nHow to fix: Do two.',
      b: 'Three.\nHow to fix: Do three.',
      c: null,
    });
    applyDiagnostics(workspace, []);
    expect([...shown.values()]).toEqual([null, null, null]);
  });

  it('accepts a real Blockly workspace', () => {
    const workspace = loadHeadless(mnistCnnWorkspace());
    expect(() => applyDiagnostics(workspace, [d('mnist-cnn-7-dense', 'm', 'f')])).not.toThrow();
    workspace.dispose();
  });
});
