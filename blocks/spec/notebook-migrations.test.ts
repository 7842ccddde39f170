import { describe, expect, it } from 'vitest';
import { mnistCnnWorkspace } from '../templates';
import { DEFAULT_TRAINING } from './model-spec';
import { migrateNotebookCells, NotebookMigrationError, trainingCellIdFor } from './notebook-migrations';
import { cellsSchema, NOTEBOOK_FORMAT_VERSION, newDataCell, newModelCell, newTrainingCell, type TrainingCell } from './notebook';
import { trainingFromWorkspace } from './training-from-workspace';

/** A notebook as Layerbook stored it before training cells: the model cell carries its settings. */
function formatOne() {
  return [
    { id: 'intro', type: 'markdown', source: '# Digits' },
    { id: 'data', type: 'data', source: { kind: 'builtIn', id: 'iris' } },
    {
      id: 'm1',
      type: 'model',
      workspace: mnistCnnWorkspace(),
      spec: null,
      training: {
        dataset: { cell: 'data' },
        optimizer: 'momentum',
        learningRate: 0.02,
        batchSize: 64,
        epochs: 9,
        loss: 'sparseCategoricalCrossentropy',
        seed: 7,
        earlyStopping: true,
        patience: 4,
        metrics: ['accuracy', 'recall'],
        validationSplit: 0.25,
      },
    },
    { id: 'm2', type: 'model', workspace: {}, spec: null, training: { ...DEFAULT_TRAINING } },
  ];
}

describe('migrateNotebookCells', () => {
  it('reads the current format unchanged', () => {
    const cells = [newDataCell('d'), newModelCell('m'), newTrainingCell('t', 'm')];
    expect(migrateNotebookCells(structuredClone(cells), NOTEBOOK_FORMAT_VERSION)).toEqual({ cells, migrated: false });
  });

  it('gives every older model cell a training cell right after it, "train-" and its id, trained on the same data', () => {
    const { cells, migrated } = migrateNotebookCells(formatOne(), 1);
    expect(migrated).toBe(true);
    expect(cells.map((c) => [c.id, c.type])).toEqual([
      ['intro', 'markdown'],
      ['data', 'data'],
      ['m1', 'model'],
      ['train-m1', 'training'],
      ['m2', 'model'],
      ['train-m2', 'training'],
    ]);
    expect(cells[2]).not.toHaveProperty('training');
    expect(cellsSchema.parse(cells)).toEqual(cells);
    expect(cells[3]).toMatchObject({ model: 'm1', training: { dataset: { cell: 'data' } } });
    expect(cells[5]).toMatchObject({ model: 'm2', training: { ...DEFAULT_TRAINING, dataset: 'mnist' } });
  });

  it('writes every setting a student made into blocks, so nothing is lost and the blocks read back the same', () => {
    const training = migrateNotebookCells(formatOne(), 1).cells[3] as TrainingCell;
    expect(training.training).toEqual({
      dataset: { cell: 'data' },
      optimizer: 'momentum',
      learningRate: 0.02,
      momentum: 0.9,
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['recall'],
      epochs: 9,
      batchSize: 64,
      validationSplit: 0.25,
      earlyStopping: true,
      patience: 4,
      seed: 7,
    });
    const read = trainingFromWorkspace(training.workspace);
    expect(read.diagnostics).toEqual([]);
    expect({ ...read.settings, dataset: training.training.dataset }).toEqual(training.training);
  });

  it('keeps the settings that are still valid when an old cell is damaged, and defaults the rest', () => {
    const damaged = [{ id: 'm', type: 'model', workspace: {}, spec: null, training: { epochs: 500, batchSize: 8, optimizer: 'turbo' } }];
    const [, training] = migrateNotebookCells(damaged, 1).cells as [unknown, TrainingCell];
    expect(training.training).toMatchObject({ epochs: DEFAULT_TRAINING.epochs, batchSize: 8, optimizer: DEFAULT_TRAINING.optimizer, dataset: 'mnist' });
  });

  it('picks another id in the rare notebook that already has a cell called "train-<id>"', () => {
    const taken = [{ id: 'train-m', type: 'markdown', source: '' }, { id: 'm', type: 'model', workspace: {}, spec: null, training: DEFAULT_TRAINING }];
    expect(migrateNotebookCells(taken, 1).cells.map((c) => c.id)).toEqual(['train-m', 'm', 'train-m-2']);
    expect(trainingCellIdFor('m')).toBe('train-m');
  });

  it('refuses notebooks from a newer Layerbook and damaged ones, saying why', () => {
    expect(() => migrateNotebookCells([], NOTEBOOK_FORMAT_VERSION + 1)).toThrow(NotebookMigrationError);
    expect(() => migrateNotebookCells([], NOTEBOOK_FORMAT_VERSION + 1)).toThrow(/saved by a newer Layerbook.*Update Layerbook to open it/);
    expect(() => migrateNotebookCells({ cells: [] }, 1)).toThrow('its cells are not a list');
    expect(() => migrateNotebookCells([], 0)).toThrow('no valid format version');
  });
});
