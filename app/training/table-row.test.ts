import { describe, expect, it } from 'vitest';
import type { DatasetPreview } from '../../server/data/preview';
import { blankRow, builtInTableSetup, uploadTableSetup } from './table-row';

const balance = { classes: ['a', 'b'], counts: { train: [1, 1], validation: [0, 0], test: [1, 1] } };

describe('the typed row of a table', () => {
  it('comes from a built-in table preview: its encodings, columns and rows with their class', () => {
    const preview: DatasetPreview = {
      kind: 'table',
      balance,
      columns: ['length (cm)', 'species'],
      rows: [[5.1, 'setosa']],
      rowCount: 1,
      labelColumn: 'species',
      encodings: [{ column: 'length (cm)', as: 'number', mean: 5, std: 0.5 }],
    };
    expect(builtInTableSetup(preview, 1)).toEqual({
      ok: true,
      encodings: preview.encodings,
      columns: [{ name: 'length (cm)', kind: 'number' }],
      examples: [{ values: { 'length (cm)': '5.1' }, label: 'setosa' }],
    });
  });

  it("comes from a CSV upload's details, the label column being the one the student picked", () => {
    const details = {
      encodings: [
        { column: 'height', as: 'number', mean: 0, std: 1 },
        { column: 'colour', as: 'category', value: 'blue' },
        { column: 'colour', as: 'category', value: 'red' },
      ],
      options: { label: 'kind' },
      preview: { columns: ['height', 'colour', 'kind'].map((name) => ({ name, type: 'category' as const, distinct: 2, missing: 0, examples: [] })), rows: [['3', 'red', 'tall']], rowCount: 1 },
    };
    const setup = uploadTableSetup(details, 3);
    expect(setup.ok && setup.columns).toEqual([
      { name: 'height', kind: 'number' },
      { name: 'colour', kind: 'category', values: ['blue', 'red'] },
    ]);
    expect(setup.ok && setup.examples).toEqual([{ values: { height: '3', colour: 'red' }, label: 'tall' }]);
    expect(blankRow(setup.ok ? setup.columns : [])).toEqual({ height: '', colour: 'blue' });
  });

  it('is refused, with what to do, when the stored encodings are missing or do not make the model\'s count of inputs', () => {
    const details = { encodings: [], options: { label: 'kind' }, preview: { columns: [], rows: [], rowCount: 0 } };
    expect(uploadTableSetup(details, 3)).toEqual({ ok: false, message: expect.stringContaining('Upload the file again') });
    expect(uploadTableSetup({ ...details, encodings: [{ column: 'x', as: 'number', mean: 0, std: 1 }] }, 3).ok).toBe(false);
  });
});
