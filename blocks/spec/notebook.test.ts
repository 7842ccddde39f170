import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING, trainingSpecSchema } from './model-spec';
import { cellsSchema, dataCellsAbove, newDataCell, newMarkdownCell, newModelCell, resolveDataset, type Cell } from './notebook';

describe('notebook cells with data', () => {
  it('reads a notebook stored before data cells existed, whose dataset is the string "mnist"', () => {
    const stored = [newMarkdownCell('m'), { ...newModelCell('a'), training: { ...DEFAULT_TRAINING, dataset: 'mnist' } }];
    expect(cellsSchema.parse(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
  });

  it('accepts a data cell and a model trained on it, and refuses unknown datasets and bad settings', () => {
    const cells: Cell[] = [newDataCell('d', 'xor'), { ...newModelCell('a'), training: { ...DEFAULT_TRAINING, dataset: { cell: 'd' } } }];
    expect(cellsSchema.parse(cells)).toEqual(cells);
    expect(trainingSpecSchema.safeParse({ ...DEFAULT_TRAINING, dataset: 'cifar' }).success).toBe(false);
    const noisy = { id: 'd', type: 'data', source: { kind: 'builtIn', id: 'circle', options: { size: 100, noise: 5, seed: 1 } } };
    expect(cellsSchema.safeParse([noisy]).success).toBe(false);
  });

  it('gives new generated-data cells the default size, noise and seed, and MNIST none', () => {
    expect(newDataCell('d').source).toEqual({ kind: 'builtIn', id: 'circle', options: { size: 500, noise: 0.1, seed: 1 } });
    expect(newDataCell('d', 'mnist').source).toEqual({ kind: 'builtIn', id: 'mnist' });
  });
});

describe('resolveDataset', () => {
  const cells: Cell[] = [newDataCell('d1', 'spiral'), newModelCell('m'), newDataCell('d2', 'iris')];

  it('lists only the data cells above a cell', () => {
    expect(dataCellsAbove(cells, 'm').map((c) => c.id)).toEqual(['d1']);
  });

  it('turns a built-in name into that set with default settings', () => {
    expect(resolveDataset(cells, 'm', 'iris')).toEqual({ ok: true, source: { kind: 'builtIn', id: 'iris' } });
  });

  it('follows a reference to a data cell above', () => {
    expect(resolveDataset(cells, 'm', { cell: 'd1' })).toEqual({ ok: true, source: cells[0]!.type === 'data' && cells[0]!.source });
  });

  it('explains a reference to a data cell below the model, or to one that is gone', () => {
    expect(resolveDataset(cells, 'm', { cell: 'd2' })).toEqual({
      ok: false,
      message: 'The data cell this model trains on is below it now. Move the data cell above the model, or pick another dataset.',
    });
    expect(resolveDataset(cells, 'm', { cell: 'gone' })).toEqual({
      ok: false,
      message: 'The data cell this model trains on was deleted. Pick another dataset in the training settings.',
    });
  });
});
