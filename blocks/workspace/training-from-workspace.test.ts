import { describe, expect, it } from 'vitest';
import { trainBlockWorkspace, trainingWorkspace } from '../templates/training';
import type { BlockState } from '../format/block-types';
import { DEFAULT_TRAINING_SETTINGS, trainingFromWorkspace } from './training-from-workspace';

const block = (type: string, id: string, fields: Record<string, unknown> = {}): BlockState => ({ type, id, fields });

describe('trainingFromWorkspace', () => {
  it('reads every setting block, and knows which block set what', () => {
    const workspace = trainBlockWorkspace('t', [
      block('optimizer_momentum', 'opt', { learningRate: 0.05, momentum: 0.8 }),
      block('train_loss', 'loss', { loss: 'sparseCategoricalCrossentropy' }),
      block('train_metric', 'm1', { metric: 'recall' }),
      block('train_metric', 'm2', { metric: 'precision' }),
      block('train_epochs', 'ep', { epochs: 12 }),
      block('train_batch_size', 'bs', { batchSize: 128 }),
      block('train_validation_split', 'vs', { validationSplit: 0.3 }),
      block('train_early_stopping', 'es', { patience: 5 }),
      block('train_seed', 'sd', { seed: 9 }),
    ]);
    const read = trainingFromWorkspace(workspace);
    expect(read.diagnostics).toEqual([]);
    expect(read.settings).toEqual({
      optimizer: 'momentum',
      learningRate: 0.05,
      momentum: 0.8,
      loss: 'sparseCategoricalCrossentropy',
      // In the catalogue's order, whatever order the blocks are in.
      metrics: ['precision', 'recall'],
      epochs: 12,
      batchSize: 128,
      validationSplit: 0.3,
      earlyStopping: true,
      patience: 5,
      seed: 9,
    });
    expect(read.blockOf).toEqual({ optimizer: 'opt', loss: 'loss', epochs: 'ep', batchSize: 'bs', validationSplit: 'vs', earlyStopping: 'es', seed: 'sd' });
    expect(read.metricBlocks).toEqual({ recall: 'm1', precision: 'm2' });
    expect(read.trainBlockId).toBe('t-train');
  });

  it('uses the documented defaults for settings without a block', () => {
    const read = trainingFromWorkspace(trainBlockWorkspace('t', [block('train_epochs', 'ep', { epochs: 2 })]));
    expect(read.diagnostics).toEqual([]);
    expect(read.settings).toEqual({ ...DEFAULT_TRAINING_SETTINGS, epochs: 2 });
    expect(read.blockOf).toEqual({ epochs: 'ep' });
    expect(DEFAULT_TRAINING_SETTINGS).toMatchObject({ optimizer: 'adam', learningRate: 0.003, loss: 'categoricalCrossentropy', epochs: 4, batchSize: 32, seed: 42 });
  });

  it('reads back what the template writes, for any settings', () => {
    const settings = { ...DEFAULT_TRAINING_SETTINGS, optimizer: 'rmsprop' as const, learningRate: 0.0005, metrics: ['meanSquaredError' as const], validationSplit: 0.1 };
    expect(trainingFromWorkspace(trainingWorkspace('x', settings)).settings).toEqual(settings);
  });

  it('warns on a second block for the same setting and uses the first', () => {
    const read = trainingFromWorkspace(
      trainBlockWorkspace('t', [
        block('optimizer_adam', 'a', { learningRate: 0.01 }),
        block('train_epochs', 'e1', { epochs: 3 }),
        block('optimizer_sgd', 'b', { learningRate: 0.1 }),
        block('train_epochs', 'e2', { epochs: 30 }),
        block('train_metric', 'p1', { metric: 'precision' }),
        block('train_metric', 'p2', { metric: 'precision' }),
      ]),
    );
    expect(read.settings).toMatchObject({ optimizer: 'adam', learningRate: 0.01, epochs: 3, metrics: ['precision'] });
    expect(read.diagnostics.map((d) => [d.blockId, d.severity, d.code])).toEqual([
      ['b', 'warning', 'duplicate-setting'],
      ['e2', 'warning', 'duplicate-setting'],
      ['p2', 'warning', 'duplicate-setting'],
    ]);
    expect(read.diagnostics[0]!.message).toBe('There is another optimizer block above this one, so this "SGD optimizer" block is ignored.');
    expect(read.diagnostics[1]!.message).toBe('There is another "epochs" block above this one, so this "epochs" block is ignored.');
    expect(read.diagnostics[2]!.message).toBe('An "also measure" block above already measures precision, so this one is ignored.');
  });

  it('refuses numbers outside their limits, naming the limit, and trains with nothing but valid settings', () => {
    const read = trainingFromWorkspace(
      trainBlockWorkspace('t', [
        block('optimizer_adam', 'a', { learningRate: 0 }),
        block('train_epochs', 'e', { epochs: 500 }),
        block('train_batch_size', 'b', { batchSize: 2.5 }),
        block('train_validation_split', 'v', { validationSplit: 0.9 }),
        block('train_seed', 's', { seed: 'lucky' }),
      ]),
    );
    expect(read.diagnostics.map((d) => [d.blockId, d.severity, d.message])).toEqual([
      ['a', 'error', 'The learning rate must be more than 0 and at most 10, but this block says 0.'],
      ['e', 'error', 'The number of epochs must be a whole number from 1 to 100, but this block says 500.'],
      ['b', 'error', 'The batch size must be a whole number from 1 to 4096, but this block says 2.5.'],
      ['v', 'error', 'The validation split must be a number from 0 to 0.5, but this block says 0.9.'],
      ['s', 'error', 'The random seed must be a whole number from 0 to 2147483647, but this block says "lucky".'],
    ]);
    expect(read.diagnostics[1]!.fix).toBe('Type a whole number from 1 to 100 into it, for example 4.');
    expect(read.settings).toMatchObject({ learningRate: 0.003, epochs: 4, batchSize: 32, validationSplit: 0.2, seed: 42 });
  });

  it('needs exactly one train block, and ignores setting blocks outside it', () => {
    const empty = trainingFromWorkspace({});
    expect(empty.diagnostics).toEqual([expect.objectContaining({ code: 'no-train-block', severity: 'error', blockId: null })]);
    expect(empty.settings).toEqual(DEFAULT_TRAINING_SETTINGS);

    const two = trainingWorkspace('a');
    two.blocks!.blocks.push({ ...trainingWorkspace('b').blocks!.blocks[0]!, x: 400 }, block('train_epochs', 'loose', { epochs: 50 }));
    const read = trainingFromWorkspace(two);
    expect(read.diagnostics.map((d) => [d.blockId, d.code])).toEqual([
      ['loose', 'stray-block'],
      ['b-train', 'extra-train-block'],
    ]);
    expect(read.diagnostics[0]!.message).toBe('This "epochs" block is not inside the "train the model" block, so it is ignored.');
    expect(read.settings.epochs).toBe(4);
  });

  it('turns unreadable JSON, unknown choices and blocks that are no setting into messages, never a crash', () => {
    expect(trainingFromWorkspace('nonsense').diagnostics[0]!.code).toBe('unreadable-workspace');
    const read = trainingFromWorkspace(
      trainBlockWorkspace('t', [block('train_loss', 'l', { loss: 'hingeLoss' }), block('optimizer_lion', 'o'), block('layer_dense', 'd'), { ...block('train_epochs', 'off', { epochs: 9 }), enabled: false }]),
    );
    expect(read.diagnostics.map((d) => [d.blockId, d.code])).toEqual([
      ['l', 'bad-training-setting'],
      ['o', 'unknown-training-block'],
      ['d', 'unknown-training-block'],
    ]);
    expect(read.settings.epochs).toBe(4);
  });
});
