import { describe, expect, it } from 'vitest';
import { encodeTableRow, featureEncodingsSchema, parseNumber, readTableRow, tableColumns, tableExamples, type FeatureEncoding } from './table-inputs';

const encodings: FeatureEncoding[] = [
  { column: 'height', as: 'number', mean: 10, std: 2 },
  { column: 'colour', as: 'category', value: 'blue' },
  { column: 'colour', as: 'category', value: 'red' },
  { column: 'width', as: 'number', mean: 0, std: 1 },
];
const row = (values: Record<string, string>) => (column: string) => values[column];

describe('encodeTableRow', () => {
  it('standardises numbers with the stored mean and spread and makes a category one 1 among 0s, in the order of the inputs', () => {
    const encoded = encodeTableRow(encodings, row({ height: '13', colour: 'red', width: '2.5' }));
    expect(encoded).toEqual({ ok: true, values: Float32Array.from([1.5, 0, 1, 2.5]) });
  });

  it('reads a number with spaces around it, as a student types it', () => {
    expect(encodeTableRow(encodings, row({ height: ' 12 ', colour: 'blue', width: '-1e1' }))).toEqual({ ok: true, values: Float32Array.from([1, 1, 0, -10]) });
  });

  it('names each box that is empty or not a number, and gives no numbers at all (never NaN)', () => {
    const encoded = encodeTableRow(encodings, row({ height: '', colour: 'blue', width: '2,5' }));
    expect(encoded).toEqual({
      ok: false,
      problems: [
        { column: 'height', message: 'Type a number here.' },
        { column: 'width', message: '“2,5” is not a number. Type digits, with a dot for decimals (like 2.5).' },
      ],
    });
  });

  it('names a missing column once, even when it stands for several numbers', () => {
    const encoded = encodeTableRow(encodings, row({ height: '1', width: '2' }));
    expect(encoded).toEqual({ ok: false, problems: [{ column: 'colour', message: 'The row has no “colour”.' }] });
  });

  it('gives a category value the data never had all zeros, as no row of the file would', () => {
    expect(encodeTableRow(encodings, row({ height: '10', colour: 'green', width: '0' }))).toEqual({ ok: true, values: Float32Array.from([0, 0, 0, 0]) });
  });
});

describe('parseNumber', () => {
  it('takes numbers written with a dot and refuses what is not one', () => {
    expect(['2.5', '-1e3', '.5', '7.', '1,5', 'NaN', 'Infinity', '', '1e999'].map(parseNumber)).toEqual([2.5, -1000, 0.5, 7, null, null, null, null, null]);
  });
});

describe('tableColumns', () => {
  it('makes one box per number and one choice per category, with its values in the order of the inputs', () => {
    expect(tableColumns(encodings)).toEqual([
      { name: 'height', kind: 'number' },
      { name: 'colour', kind: 'category', values: ['blue', 'red'] },
      { name: 'width', kind: 'number' },
    ]);
  });
});

describe('featureEncodingsSchema', () => {
  it('reads stored encodings, taking a number stored without mean and spread as kept as it was', () => {
    expect(featureEncodingsSchema.parse([{ column: 'x', as: 'number' }, { column: 'c', as: 'category', value: 'a' }])).toEqual([
      { column: 'x', as: 'number', mean: 0, std: 1 },
      { column: 'c', as: 'category', value: 'a' },
    ]);
    expect(featureEncodingsSchema.safeParse([{ column: 'x', as: 'picture' }]).success).toBe(false);
  });
});

describe('tableExamples', () => {
  it('takes each preview row as text per column the model reads, with its class, whatever order the file has', () => {
    const examples = tableExamples(tableColumns(encodings), {
      header: ['kind', 'width', 'colour', 'height', 'note'],
      rows: [
        ['tall', 3, 'red', '14', 'x'],
        ['short', '1', 'blue', '8', 'y'],
      ],
      labelColumn: 'kind',
    });
    expect(examples).toEqual([
      { values: { height: '14', colour: 'red', width: '3' }, label: 'tall' },
      { values: { height: '8', colour: 'blue', width: '1' }, label: 'short' },
    ]);
  });

  it('has none when the preview lacks a column the model reads', () => {
    expect(tableExamples(tableColumns(encodings), { header: ['kind', 'height'], rows: [['tall', '1']], labelColumn: 'kind' })).toEqual([]);
  });
});

describe('readTableRow', () => {
  it('gives back the columns a row was made from: numbers un-standardised, a category by its 1', () => {
    const encoded = encodeTableRow(encodings, row({ height: '13', colour: 'red', width: '2.5' }));
    if (!encoded.ok) throw new Error('the row must encode');
    expect(readTableRow(encodings, encoded.values)).toEqual([
      { column: 'height', value: '13' },
      { column: 'colour', value: 'red' },
      { column: 'width', value: '2.5' },
    ]);
  });

  it('shows a category none of whose numbers is 1 as a dash, and rounds a number to 4 digits', () => {
    expect(readTableRow(encodings, [0.123456, 0, 0, 1 / 3])).toEqual([
      { column: 'height', value: '10.25' },
      { column: 'colour', value: '—' },
      { column: 'width', value: '0.3333' },
    ]);
  });
});
