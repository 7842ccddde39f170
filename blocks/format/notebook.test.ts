import { describe, expect, it } from 'vitest';
import { trainingFromWorkspace } from '../workspace/training-from-workspace';
import { MAX_CELL_ID_LENGTH, cellsSchema, dataCellsAbove, modelCellsAbove, newDataCell, newMarkdownCell, newModelCell, resolveDataset, resolveModel, type Cell } from './notebook';
import { newTrainingCell } from '../templates/training-cell';

describe('notebook cells', () => {
  it('accepts a data cell, a model and a training cell that trains it on the data', () => {
    const cells: Cell[] = [newDataCell('d', 'xor'), newModelCell('m'), newTrainingCell('t', 'm', {}, { cell: 'd' })];
    expect(cellsSchema.parse(JSON.parse(JSON.stringify(cells)))).toEqual(cells);
    expect(cellsSchema.safeParse([{ ...cells[2], dataset: 'cifar' }]).success).toBe(false);
    const noisy = { id: 'd', type: 'data', source: { kind: 'builtIn', id: 'circle', options: { size: 100, noise: 5, seed: 1 } } };
    expect(cellsSchema.safeParse([noisy]).success).toBe(false);
  });

  it('stores only what a student makes: blocks, the model it trains and the dataset picked', () => {
    const cell = newTrainingCell('t', 'm', { optimizer: 'sgd', learningRate: 0.05, epochs: 7, earlyStopping: true, patience: 3 }, 'iris');
    expect(Object.keys(cell).sort()).toEqual(['dataset', 'id', 'model', 'type', 'workspace']);
    expect(cell.dataset).toBe('iris');
    expect(trainingFromWorkspace(cell.workspace).settings).toMatchObject({ optimizer: 'sgd', learningRate: 0.05, epochs: 7, earlyStopping: true, patience: 3 });
    expect(Object.keys(newModelCell('m')).sort()).toEqual(['id', 'type', 'workspace']);
  });

  it('has room for "train-" in front of the longest id an older cell could have', () => {
    const longest = 'x'.repeat(100);
    const cells = [newModelCell(longest), newTrainingCell(`train-${longest}`, longest)];
    expect(`train-${longest}`.length).toBeLessThanOrEqual(MAX_CELL_ID_LENGTH);
    expect(cellsSchema.safeParse(cells).success).toBe(true);
    expect(cellsSchema.safeParse([newMarkdownCell('y'.repeat(MAX_CELL_ID_LENGTH + 1))]).success).toBe(false);
  });

  it('gives new generated-data cells the default size, noise and seed, and MNIST none', () => {
    expect(newDataCell('d').source).toEqual({ kind: 'builtIn', id: 'circle', options: { size: 500, noise: 0.1, seed: 1 } });
    expect(newDataCell('d', 'mnist').source).toEqual({ kind: 'builtIn', id: 'mnist' });
  });
});

describe('resolveDataset', () => {
  const cells: Cell[] = [newDataCell('d1', 'spiral'), newModelCell('m'), newTrainingCell('t', 'm'), newDataCell('d2', 'iris')];

  it('lists only the data cells above a cell', () => {
    expect(dataCellsAbove(cells, 't').map((c) => c.id)).toEqual(['d1']);
  });

  it('turns a built-in name into that set with default settings', () => {
    expect(resolveDataset(cells, 't', 'iris')).toEqual({ ok: true, source: { kind: 'builtIn', id: 'iris' } });
  });

  it('follows a reference to a data cell above', () => {
    expect(resolveDataset(cells, 't', { cell: 'd1' })).toEqual({ ok: true, source: cells[0]!.type === 'data' && cells[0]!.source });
  });

  it('explains a reference to a data cell below the training cell, or to one that is gone', () => {
    expect(resolveDataset(cells, 't', { cell: 'd2' })).toEqual({
      ok: false,
      message: 'The data cell this training cell uses is below it now. Move the data cell above this training cell, or pick another dataset.',
    });
    expect(resolveDataset(cells, 't', { cell: 'gone' })).toEqual({
      ok: false,
      message: 'The data cell this training cell used was deleted. Pick another dataset in the Dataset list.',
    });
  });
});

describe('resolveModel', () => {
  const cells: Cell[] = [newModelCell('m1'), newTrainingCell('t', 'm1'), newModelCell('m2')];

  it('finds the model cell above that the training cell names', () => {
    expect(modelCellsAbove(cells, 't').map((c) => c.id)).toEqual(['m1']);
    expect(resolveModel(cells, 't', 'm1')).toEqual({ ok: true, cell: cells[0] });
  });

  it('explains a model cell that moved below, was deleted, or never was above', () => {
    expect(resolveModel(cells, 't', 'm2')).toEqual({
      ok: false,
      message: 'The model cell this training cell trains is below it now. Move the model cell above this training cell, or pick another model in the Model list.',
    });
    expect(resolveModel(cells, 't', 'gone')).toEqual({
      ok: false,
      message: 'The model cell this training cell trained was deleted. Pick another model in the Model list.',
    });
    expect(resolveModel(cells, 't', '')).toEqual({ ok: false, message: 'Pick the model to train in the Model list.' });
    const alone: Cell[] = [newTrainingCell('t', 'm1'), newModelCell('m1')];
    expect(resolveModel(alone, 't', '')).toEqual(resolveModel(alone, 't', 'gone'));
    expect(resolveModel(alone, 't', 'gone')).toEqual({
      ok: false,
      message: 'There is no model cell above this training cell. Add a model cell above it, or move this training cell below one.',
    });
  });
});
