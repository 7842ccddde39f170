import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { trainingFromWorkspace } from '../workspace/training-from-workspace';
import { migrateNotebookCells, NotebookMigrationError, readStoredCells, trainingCellIdFor } from './notebook-migrations';
import { cellsSchema, NOTEBOOK_FORMAT_VERSION, newDataCell, newModelCell, type TrainingCell } from './notebook';
import { newTrainingCell } from '../templates/training-cell';

/**
 * Notebooks exactly as earlier Layerbooks stored them (format 1: model cells carry their
 * training settings; format 2: training cells with compiled `spec`/`training` beside the
 * blocks), and what they must open as. The "read-as" files were written once by the frozen
 * migrations; a change to templates, compilers or schemas must never change them.
 */
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}

describe('readStoredCells', () => {
  it('reads the current format unchanged', () => {
    const cells = [newDataCell('d'), newModelCell('m'), newTrainingCell('t', 'm', {}, { cell: 'd' })];
    expect(readStoredCells(structuredClone(cells), NOTEBOOK_FORMAT_VERSION)).toEqual({ cells, migrated: false });
  });

  it.each([1, 2])('opens a stored format-%i notebook exactly as it always has', (version) => {
    const { cells, migrated } = readStoredCells(fixture(`notebook-v${version}`), version);
    expect(migrated).toBe(true);
    expect(cells).toEqual(fixture(`notebook-v${version}-read-as-v3`));
    expect(cellsSchema.parse(cells)).toEqual(cells);
  });

  it('keeps only what the student made: no compiled spec or settings, the picked dataset at the top', () => {
    const stored = fixture('notebook-v2') as Array<Record<string, any>>;
    const { cells } = readStoredCells(stored, 2);
    expect(cells.map((c) => c.id)).toEqual(stored.map((c) => c.id));
    for (const cell of cells) {
      expect(cell).not.toHaveProperty('spec');
      expect(cell).not.toHaveProperty('training');
    }
    const storedIris = stored.find((c) => c.id === 't-iris')!;
    const iris = cells.find((c) => c.id === 't-iris') as TrainingCell;
    expect(iris).toEqual({ id: 't-iris', type: 'training', model: 'c2', dataset: { cell: 'iris-data' }, workspace: storedIris.workspace });
    // The blocks still say what the dropped settings said.
    const { dataset: _dataset, ...settings } = storedIris.training;
    expect(trainingFromWorkspace(iris.workspace).settings).toEqual(settings);
  });

  it('gives every format-1 model cell a training cell right after it, "train-" and its id, trained on the same data', () => {
    const cells = readStoredCells(fixture('notebook-v1'), 1).cells;
    expect(cells.map((c) => [c.id, c.type])).toEqual([
      ['intro', 'markdown'],
      ['data', 'data'],
      ['m1', 'model'],
      ['train-m1', 'training'],
      ['m2', 'model'],
      ['train-m2', 'training'],
      ['m3', 'model'],
      ['train-m3', 'training'],
      ['train-m4', 'markdown'],
      ['m4', 'model'],
      // A cell its author named "train-m4" by hand keeps its id; the new one gets another.
      ['train-m4-2', 'training'],
    ]);
    expect(cells[3]).toMatchObject({ model: 'm1', dataset: { cell: 'data' } });
    expect(trainingCellIdFor('m')).toBe('train-m');
  });

  it('writes every setting a format-1 student made into blocks, so nothing is lost', () => {
    const training = readStoredCells(fixture('notebook-v1'), 1).cells[3] as TrainingCell;
    const read = trainingFromWorkspace(training.workspace);
    expect(read.diagnostics).toEqual([]);
    expect(read.settings).toEqual({
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
  });

  it('keeps the settings that are still valid when a format-1 cell is damaged, and defaults the rest', () => {
    const damaged = readStoredCells(fixture('notebook-v1'), 1).cells[7] as TrainingCell;
    expect(damaged.dataset).toBe('mnist');
    expect(trainingFromWorkspace(damaged.workspace).settings).toMatchObject({ epochs: 4, batchSize: 8, optimizer: 'adam' });
  });

  it('refuses notebooks from a newer Layerbook and damaged ones, saying why', () => {
    expect(() => readStoredCells([], NOTEBOOK_FORMAT_VERSION + 1)).toThrow(NotebookMigrationError);
    expect(() => readStoredCells([], NOTEBOOK_FORMAT_VERSION + 1)).toThrow(/saved by a newer Layerbook.*Update Layerbook to open it/);
    expect(() => readStoredCells({ cells: [] }, 1)).toThrow('its cells are not a list');
    expect(() => readStoredCells([], 0)).toThrow('no valid format version');
    expect(() => readStoredCells([{ id: 'm', type: 'model' }], NOTEBOOK_FORMAT_VERSION)).toThrow(/damaged \(at cells\.0\.workspace/);
    expect(() => migrateNotebookCells([], NOTEBOOK_FORMAT_VERSION + 1)).toThrow(NotebookMigrationError);
  });
});
