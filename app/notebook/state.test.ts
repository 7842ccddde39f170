import { describe, expect, it } from 'vitest';
import { newMarkdownCell, newModelCell, type ModelCell, type TrainingCell } from '../../blocks/format/notebook';
import { newTrainingCell } from '../../blocks/templates/training-cell';
import { compileCell } from '../../blocks/compile';
import { trainingFromWorkspace } from '../../blocks/workspace/training-from-workspace';
import { trainingWorkspace } from '../../blocks/templates/training';
import { applyEdit, changesLockedCell, newCellId, type NotebookDoc } from './state';

const doc: NotebookDoc = {
  title: 'Digits',
  cells: [newMarkdownCell('a', '# Intro'), newModelCell('b'), newMarkdownCell('c', 'end')],
};
const withTraining: NotebookDoc = { title: 'Digits', cells: [newModelCell('m'), newTrainingCell('t', 'm')] };
const ids = (d: NotebookDoc) => d.cells.map((c) => c.id);

describe('notebook edits', () => {
  it('renames the notebook, cutting titles that are too long', () => {
    expect(applyEdit(doc, { type: 'setTitle', title: 'Shapes' }).title).toBe('Shapes');
    expect(applyEdit(doc, { type: 'setTitle', title: 'x'.repeat(500) }).title).toHaveLength(200);
  });

  it('adds a cell of the asked type at the asked place; a model cell comes with a training cell under it', () => {
    const withModel = applyEdit(doc, { type: 'addCell', cellType: 'model', id: 'new', index: 1 });
    expect(ids(withModel)).toEqual(['a', 'new', 'train-new', 'b', 'c']);
    expect(withModel.cells[1]).toEqual({ id: 'new', type: 'model', workspace: expect.any(Object) });
    expect(withModel.cells[2]).toEqual({ id: 'train-new', type: 'training', model: 'new', dataset: 'mnist', workspace: expect.any(Object) });
    // It starts with a model block holding an Input block, not an empty canvas.
    const starter = compileCell((withModel.cells[1] as ModelCell).workspace);
    expect(starter.layers.map((l) => [l.type, l.outputShape])).toEqual([['input', [null, 28, 28, 1]]]);
    const atEnd = applyEdit(doc, { type: 'addCell', cellType: 'markdown', id: 'new', index: 99 });
    expect(ids(atEnd)).toEqual(['a', 'b', 'c', 'new']);
    expect(atEnd.cells[3]).toMatchObject({ type: 'markdown' });
  });

  it('never adds a second cell with an id that is taken', () => {
    expect(applyEdit(doc, { type: 'addCell', cellType: 'markdown', id: 'b', index: 0 })).toBe(doc);
  });

  it('moves cells up and down, and leaves them when they are already at the edge', () => {
    expect(ids(applyEdit(doc, { type: 'moveCell', id: 'b', by: -1 }))).toEqual(['b', 'a', 'c']);
    expect(ids(applyEdit(doc, { type: 'moveCell', id: 'b', by: 1 }))).toEqual(['a', 'c', 'b']);
    expect(applyEdit(doc, { type: 'moveCell', id: 'a', by: -1 })).toBe(doc);
    expect(applyEdit(doc, { type: 'moveCell', id: 'c', by: 1 })).toBe(doc);
    expect(applyEdit(doc, { type: 'moveCell', id: 'missing', by: 1 })).toBe(doc);
  });

  it('deletes a cell and keeps the others in order', () => {
    expect(ids(applyEdit(doc, { type: 'deleteCell', id: 'b' }))).toEqual(['a', 'c']);
    expect(applyEdit(doc, { type: 'deleteCell', id: 'missing' })).toBe(doc);
  });

  it('changes markdown only in markdown cells', () => {
    const edited = applyEdit(doc, { type: 'setMarkdown', id: 'a', source: '# New' });
    expect(edited.cells[0]).toEqual({ id: 'a', type: 'markdown', source: '# New' });
    expect(edited.cells[1]).toBe(doc.cells[1]);
    expect(applyEdit(doc, { type: 'setMarkdown', id: 'b', source: 'x' })).toBe(doc);
  });

  it('stores a changed workspace and nothing compiled from it', () => {
    const workspace = { blocks: { blocks: [{ type: 'input', id: 'in' }] } };
    const edited = applyEdit(doc, { type: 'setWorkspace', id: 'b', workspace });
    expect(edited.cells[1]).toEqual({ id: 'b', type: 'model', workspace });
  });

  it('does not count re-reporting the same workspace as an edit (Blockly does that on load)', () => {
    const cell = doc.cells[1];
    if (cell.type !== 'model') throw new Error('fixture');
    const same = applyEdit(doc, { type: 'setWorkspace', id: 'b', workspace: { ...cell.workspace } });
    expect(same).toBe(doc);
  });

  it('a training cell added on its own trains the nearest model cell above it, or asks for one', () => {
    const below = applyEdit(withTraining, { type: 'addCell', cellType: 'training', id: 't2', index: 2 });
    expect(below.cells[2]).toMatchObject({ id: 't2', type: 'training', model: 'm' });
    const top = applyEdit(withTraining, { type: 'addCell', cellType: 'training', id: 't0', index: 0 });
    expect(top.cells[0]).toMatchObject({ id: 't0', type: 'training', model: '' });
  });

  it('stores a training cell\'s blocks, keeping the dataset picked in its header', () => {
    const dataset = applyEdit(withTraining, { type: 'setTrainingDataset', id: 't', dataset: 'iris' });
    const workspace = trainingWorkspace('t', { epochs: 9 }) as Record<string, unknown>;
    const edited = applyEdit(dataset, { type: 'setWorkspace', id: 't', workspace });
    expect(edited.cells[1]).toEqual({ id: 't', type: 'training', model: 'm', dataset: 'iris', workspace });
    expect(trainingFromWorkspace((edited.cells[1] as TrainingCell).workspace).settings.epochs).toBe(9);
    const same = edited.cells[1] as TrainingCell;
    expect(applyEdit(edited, { type: 'setWorkspace', id: 't', workspace: { ...same.workspace } })).toBe(edited);
  });

  it('points a training cell at another model, and treats the same one again as no edit', () => {
    const edited = applyEdit(withTraining, { type: 'setTrainingModel', id: 't', model: 'other' });
    expect(edited.cells[1]).toMatchObject({ model: 'other' });
    expect(applyEdit(edited, { type: 'setTrainingModel', id: 't', model: 'other' })).toBe(edited);
  });

  it('adds a data cell and changes its dataset, ignoring a change to the same settings', () => {
    const added = applyEdit(doc, { type: 'addCell', cellType: 'data', id: 'd', index: 0 });
    expect(added.cells[0]).toEqual({ id: 'd', type: 'data', source: { kind: 'builtIn', id: 'circle', options: { size: 500, noise: 0.1, seed: 1 } } });
    const source = { kind: 'builtIn' as const, id: 'spiral' as const, options: { size: 200, noise: 0, seed: 4 } };
    const changed = applyEdit(added, { type: 'setDataSource', id: 'd', source });
    expect(changed.cells[0]).toMatchObject({ source });
    expect(applyEdit(changed, { type: 'setDataSource', id: 'd', source: { ...source, options: { ...source.options } } })).toBe(changed);
    expect(applyEdit(changed, { type: 'setDataSource', id: 'b', source })).toBe(changed);
  });

  it('points a training cell at a data cell, and treats the same reference again as no edit', () => {
    const edited = applyEdit(withTraining, { type: 'setTrainingDataset', id: 't', dataset: { cell: 'd' } });
    expect(edited.cells[1]).toMatchObject({ dataset: { cell: 'd' } });
    expect(applyEdit(edited, { type: 'setTrainingDataset', id: 't', dataset: { cell: 'd' } })).toBe(edited);
    expect(applyEdit(edited, { type: 'setTrainingDataset', id: 'm', dataset: 'iris' })).toBe(edited);
  });

  it('does not change the document it was given', () => {
    const before = JSON.stringify(doc);
    applyEdit(doc, { type: 'moveCell', id: 'b', by: 1 });
    const trainingBefore = JSON.stringify(withTraining);
    applyEdit(withTraining, { type: 'setTrainingDataset', id: 't', dataset: 'xor' });
    expect(JSON.stringify(doc)).toBe(before);
    expect(JSON.stringify(withTraining)).toBe(trainingBefore);
  });
});

describe('newCellId', () => {
  it('gives different ids for different random draws', () => {
    expect(newCellId(() => 0.1)).not.toBe(newCellId(() => 0.2));
    expect(newCellId()).toMatch(/^cell-[a-z0-9]+-[a-z0-9]{6}$/);
  });
});

describe('locked cells', () => {
  const locked = new Set(['intro']);
  it('may be moved, but not edited or deleted; other cells and the title may', () => {
    expect(changesLockedCell({ type: 'moveCell', id: 'intro', by: 1 }, locked)).toBe(false);
    expect(changesLockedCell({ type: 'setTitle', title: 'Mine' }, locked)).toBe(false);
    expect(changesLockedCell({ type: 'setMarkdown', id: 'intro', source: 'x' }, locked)).toBe(true);
    expect(changesLockedCell({ type: 'deleteCell', id: 'intro' }, locked)).toBe(true);
    expect(changesLockedCell({ type: 'setWorkspace', id: 'intro', workspace: {} }, locked)).toBe(true);
    expect(changesLockedCell({ type: 'setMarkdown', id: 'notes', source: 'x' }, locked)).toBe(false);
  });
});
