import * as Blockly from 'blockly';
import { beforeAll, describe, expect, it } from 'vitest';
import { NUMBER_SETTINGS, OPTIMIZER_DEFINITIONS } from '../catalog/training';
import { DEFAULT_TRAINING_SETTINGS, trainingFromWorkspace } from '../workspace/training-from-workspace';
import { trainingWorkspace } from '../templates/training';
import { buildTrainingToolbox, registerLayerBlocks, TRAINING_BLOCK_TYPES } from './index';

/** Blockly's saved objects have null prototypes; compare them as the JSON the database stores. */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value));

beforeAll(() => registerLayerBlocks(Blockly));

function loadHeadless(json: unknown): Blockly.Workspace {
  const workspace = new Blockly.Workspace();
  Blockly.serialization.workspaces.load(json as Record<string, unknown>, workspace);
  return workspace;
}

describe('training blocks in a headless Blockly workspace', () => {
  it.each([
    ['defaults', {}],
    ['every setting', { optimizer: 'momentum' as const, learningRate: 0.02, momentum: 0.85, loss: 'meanSquaredError' as const, metrics: ['precision' as const, 'meanAbsoluteError' as const], epochs: 9, batchSize: 8, validationSplit: 0.25, earlyStopping: true, patience: 3, seed: 11 }],
  ])('a template with %s loads and saves back unchanged, and reads as the same settings', (_name, settings) => {
    const template = trainingWorkspace('t', settings);
    const workspace = loadHeadless(template);
    const saved = asJson(Blockly.serialization.workspaces.save(workspace));
    expect(saved).toEqual(template);
    const read = trainingFromWorkspace(saved);
    expect(read.diagnostics).toEqual([]);
    expect(read.settings).toEqual(trainingFromWorkspace(template).settings);
    workspace.dispose();
  });

  it('a new block of every kind starts with the catalogue values, and they read back as valid settings', () => {
    const workspace = new Blockly.Workspace();
    const train = workspace.newBlock('train');
    const types = TRAINING_BLOCK_TYPES.filter((t) => t !== 'train');
    const blocks = types.map((t) => workspace.newBlock(t));
    train.getInput('SETTINGS')!.connection!.connect(blocks[0]!.previousConnection!);
    for (let i = 1; i < blocks.length; i++) blocks[i - 1]!.nextConnection!.connect(blocks[i]!.previousConnection!);
    expect(workspace.getBlockById(blocks.find((b) => b.type === 'optimizer_adadelta')!.id)!.getFieldValue('learningRate')).toBe(
      OPTIMIZER_DEFINITIONS.find((o) => o.key === 'adadelta')!.learningRate,
    );
    expect(blocks.find((b) => b.type === 'train_epochs')!.getFieldValue('epochs')).toBe(NUMBER_SETTINGS.epochs.start);

    const read = trainingFromWorkspace(asJson(Blockly.serialization.workspaces.save(workspace)));
    // Seven optimizer blocks: the first one counts, the others are pointed out as extra.
    expect(read.diagnostics.map((d) => d.code)).toEqual(Array(OPTIMIZER_DEFINITIONS.length - 1).fill('duplicate-setting'));
    expect(read.settings).toMatchObject({ optimizer: 'sgd', learningRate: 0.01, epochs: 4, batchSize: 32, validationSplit: 0.2, earlyStopping: true, patience: 2, seed: 42 });
    workspace.dispose();
  });

  it('number boxes keep values inside the limits the server checks', () => {
    const workspace = new Blockly.Workspace();
    const epochs = workspace.newBlock('train_epochs');
    epochs.setFieldValue(500, 'epochs');
    expect(epochs.getFieldValue('epochs')).toBe(NUMBER_SETTINGS.epochs.max);
    const batch = workspace.newBlock('train_batch_size');
    batch.setFieldValue(12.6, 'batchSize');
    expect(batch.getFieldValue('batchSize')).toBe(13);
    const split = workspace.newBlock('train_validation_split');
    split.setFieldValue(0.9, 'validationSplit');
    expect(split.getFieldValue('validationSplit')).toBe(0.5);
    workspace.dispose();
  });

  it('setting blocks only snap into the train block and onto each other, never into a model', () => {
    const workspace = new Blockly.Workspace();
    const train = workspace.newBlock('train');
    const epochs = workspace.newBlock('train_epochs');
    const model = workspace.newBlock('model');
    const dense = workspace.newBlock('layer_dense');
    const checker = workspace.connectionChecker;
    expect(checker.canConnect(epochs.previousConnection, train.getInput('SETTINGS')!.connection, false)).toBe(true);
    expect(checker.canConnect(epochs.previousConnection, model.getInput('LAYERS')!.connection, false)).toBe(false);
    expect(checker.canConnect(dense.previousConnection, train.getInput('SETTINGS')!.connection, false)).toBe(false);
    expect(train.previousConnection).toBeNull();
    workspace.dispose();
  });
});

describe('buildTrainingToolbox', () => {
  it('offers every training block, in Training, Optimizer, Loss and metrics, and Settings', () => {
    const toolbox = buildTrainingToolbox() as { contents: Array<{ name: string; contents: Array<{ type: string }> }> };
    expect(toolbox.contents.map((c) => c.name)).toEqual(['Training', 'Optimizer', 'Loss and metrics', 'Settings']);
    const types = new Set(toolbox.contents.flatMap((c) => c.contents.map((b) => b.type)));
    expect([...types].sort()).toEqual([...TRAINING_BLOCK_TYPES].sort());
    for (const type of types) expect(Blockly.Blocks[type], type).toBeDefined();
  });

  it('defaults match what a training cell with no setting blocks trains with', () => {
    expect(NUMBER_SETTINGS.epochs.start).toBe(DEFAULT_TRAINING_SETTINGS.epochs);
    expect(NUMBER_SETTINGS.batchSize.start).toBe(DEFAULT_TRAINING_SETTINGS.batchSize);
    expect(NUMBER_SETTINGS.seed.start).toBe(DEFAULT_TRAINING_SETTINGS.seed);
    expect(OPTIMIZER_DEFINITIONS.find((o) => o.key === DEFAULT_TRAINING_SETTINGS.optimizer)!.learningRate).toBe(DEFAULT_TRAINING_SETTINGS.learningRate);
  });
});
