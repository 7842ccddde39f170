import { describe, expect, it } from 'vitest';
import { newMarkdownCell, newModelCell, type ModelCell } from '../../blocks/spec/notebook';
import { compileCell } from '../../blocks/compile';
import { DEFAULT_TRAINING } from '../../blocks/spec/model-spec';
import { applyEdit, newCellId, type NotebookDoc } from './state';

const doc: NotebookDoc = {
  title: 'Digits',
  cells: [newMarkdownCell('a', '# Intro'), newModelCell('b'), newMarkdownCell('c', 'end')],
};
const ids = (d: NotebookDoc) => d.cells.map((c) => c.id);

describe('notebook edits', () => {
  it('renames the notebook, cutting titles that are too long', () => {
    expect(applyEdit(doc, { type: 'setTitle', title: 'Shapes' }).title).toBe('Shapes');
    expect(applyEdit(doc, { type: 'setTitle', title: 'x'.repeat(500) }).title).toHaveLength(200);
  });

  it('adds a cell of the asked type at the asked place', () => {
    const withModel = applyEdit(doc, { type: 'addCell', cellType: 'model', id: 'new', index: 1 });
    expect(ids(withModel)).toEqual(['a', 'new', 'b', 'c']);
    expect(withModel.cells[1]).toMatchObject({ type: 'model', training: DEFAULT_TRAINING, spec: null });
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

  it('stores a changed workspace with its compiled spec', () => {
    const workspace = { blocks: { blocks: [{ type: 'input', id: 'in' }] } };
    const spec = { specVersion: 1 as const, kind: 'sequential' as const, name: 'm', layers: [], inputs: [], outputs: [] };
    const edited = applyEdit(doc, { type: 'setWorkspace', id: 'b', workspace, spec });
    expect(edited.cells[1]).toMatchObject({ workspace, spec });
  });

  it('does not count re-reporting the same workspace as an edit (Blockly does that on load)', () => {
    const cell = doc.cells[1];
    if (cell.type !== 'model') throw new Error('fixture');
    const same = applyEdit(doc, { type: 'setWorkspace', id: 'b', workspace: { ...cell.workspace }, spec: null });
    expect(same).toBe(doc);
  });

  it('merges training settings and ignores settings that did not change', () => {
    const edited = applyEdit(doc, { type: 'setTraining', id: 'b', training: { epochs: 5, batchSize: 128 } });
    expect(edited.cells[1]).toMatchObject({ training: { ...DEFAULT_TRAINING, epochs: 5, batchSize: 128 } });
    expect(applyEdit(doc, { type: 'setTraining', id: 'b', training: { epochs: DEFAULT_TRAINING.epochs } })).toBe(doc);
    expect(applyEdit(doc, { type: 'setTraining', id: 'a', training: { epochs: 9 } })).toBe(doc);
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

  it('points a model at a data cell, and treats the same reference again as no edit', () => {
    const edited = applyEdit(doc, { type: 'setTraining', id: 'b', training: { dataset: { cell: 'd' } } });
    expect(edited.cells[1]).toMatchObject({ training: { dataset: { cell: 'd' } } });
    expect(applyEdit(edited, { type: 'setTraining', id: 'b', training: { dataset: { cell: 'd' } } })).toBe(edited);
  });

  it('does not change the document it was given', () => {
    const before = JSON.stringify(doc);
    applyEdit(doc, { type: 'moveCell', id: 'b', by: 1 });
    applyEdit(doc, { type: 'setTraining', id: 'b', training: { epochs: 7 } });
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('newCellId', () => {
  it('gives different ids for different random draws', () => {
    expect(newCellId(() => 0.1)).not.toBe(newCellId(() => 0.2));
    expect(newCellId()).toMatch(/^cell-[a-z0-9]+-[a-z0-9]{6}$/);
  });
});
