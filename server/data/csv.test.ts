import { describe, expect, it } from 'vitest';
import { CsvError, decodeCsvBytes, parseCsv, parseNumber, previewCsv, summarizeColumns } from './csv';
import { encodeTableRow } from '../../blocks/format/table-inputs';
import { importCsv, type CsvImportOptions } from './csv-import';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('decodeCsvBytes', () => {
  it('reads UTF-8 text and drops a byte-order mark', () => {
    expect(decodeCsvBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes('größe,x\n')]))).toBe('größe,x\n');
  });

  it('refuses binary data, naming where it starts', () => {
    expect(() => decodeCsvBytes(Uint8Array.from([0x50, 0x4b, 0x03, 0x00, 0x01]))).toThrow(
      new CsvError(
        'This file is not a text file: it has binary data (a zero byte at position 4). In your spreadsheet program choose "Save as" → "CSV UTF-8 (comma-separated)" and upload that file.',
      ),
    );
  });

  it('refuses another encoding, naming the line', () => {
    // "café" in Latin-1 on line 2: 0xE9 alone is not UTF-8.
    const latin1 = Uint8Array.from([...bytes('name,x\ncaf'), 0xe9, ...bytes(',1\n')]);
    expect(() => decodeCsvBytes(latin1)).toThrow(/^Line 2 of this file has letters that are not UTF-8 text/);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF line ends and skips blank lines', () => {
    const csv = parseCsv('name,note\r\n"Smith, J","said ""hi""\nthen left"\r\n\r\nLee,ok\n');
    expect(csv.header).toEqual(['name', 'note']);
    expect(csv.rows).toEqual([
      ['Smith, J', 'said "hi"\nthen left'],
      ['Lee', 'ok'],
    ]);
    expect(csv.lines).toEqual([2, 5]);
  });

  it('reads semicolon-separated files as spreadsheets in many countries save them', () => {
    expect(parseCsv('a;b\n1;2').rows).toEqual([['1', '2']]);
  });

  it.each([
    ['', 'The file is empty. Upload a CSV file with a header row (the column names) and at least one row of data.'],
    ['a,b\n', 'The file has a header row but no data rows under it. Add at least one row of data.'],
    ['a,b\n1,2\n3\n', 'Row 3 has 1 value, but the header has 2 columns. Every row needs one value per column (an empty value is written as nothing between two commas).'],
    ['a,b\n1,"open\n2,3\n', 'The quote that starts in row 2, column 2 is never closed. Add the missing " at the end of that value.'],
    ['a,b\n"x"y,2\n', 'Row 2, column 1: there is text after a closing quote. Put the whole value inside the quotes, and write a quote inside quotes as "".'],
    ['a,,c\n1,2,3\n', 'Column 2 of the header row (row 1) has no name. Give every column a name in the first row.'],
    ['a,b,a\n1,2,3\n', 'Two columns are called "a" (columns 1 and 3). Give each column its own name.'],
  ])('explains %j', (text, message) => {
    expect(() => parseCsv(text)).toThrow(new CsvError(message));
  });
});

describe('columns and preview', () => {
  it('types columns as numbers only when every filled value is a number', () => {
    expect([parseNumber('2.5'), parseNumber('-1e3'), parseNumber('.5'), parseNumber('1,5'), parseNumber('NaN'), parseNumber('')]).toEqual([2.5, -1000, 0.5, null, null, null]);
    const columns = summarizeColumns(parseCsv('age,city,mixed\n12,Oslo,1\n,Rome,two\n14,Oslo,3\n'));
    expect(columns.map((c) => [c.name, c.type, c.distinct, c.missing])).toEqual([
      ['age', 'number', 2, 1],
      ['city', 'category', 2, 0],
      ['mixed', 'category', 3, 0],
    ]);
  });

  it('previews the first rows and counts all of them', () => {
    const text = 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},${i % 2}`).join('\n');
    const preview = previewCsv(bytes(text));
    expect(preview.rowCount).toBe(30);
    expect(preview.rows).toHaveLength(20);
    expect(preview.columns.map((c) => c.type)).toEqual(['number', 'number']);
  });
});

describe('importCsv', () => {
  const csv = parseCsv(
    'height,colour,kind\n' +
      Array.from({ length: 40 }, (_, i) => `${10 + i},${i % 3 === 0 ? 'red' : 'blue'},${i < 20 ? 'small' : 'tall'}`).join('\n'),
  );
  const options: CsvImportOptions = {
    name: 'Plants',
    label: 'kind',
    features: [
      { column: 'height', as: 'number' },
      { column: 'colour', as: 'category' },
    ],
    normalization: 'standardize',
    split: { train: 50, validation: 25, test: 25 },
    seed: 1,
  };

  it('one-hot encodes categories, keeps numbers, and splits every class in proportion with the seed', () => {
    const table = importCsv(csv, options);
    expect(table.classes).toEqual(['small', 'tall']);
    expect(table.inputShape).toEqual([3]);
    expect(table.encodings.map((e) => (e.as === 'category' ? `${e.column}=${e.value}` : e.column))).toEqual(['height', 'colour=blue', 'colour=red']);
    expect([table.splits.train.count, table.splits.validation.count, table.splits.test.count]).toEqual([20, 10, 10]);
    const train = table.splits.train;
    // Standardised with the training rows: mean 0. One-hot columns stay 0 or 1, one 1 per row.
    let heightSum = 0;
    for (let r = 0; r < train.count; r++) {
      heightSum += train.features[r * 3]!;
      expect(train.features[r * 3 + 1]! + train.features[r * 3 + 2]!).toBe(1);
    }
    expect(heightSum / train.count).toBeCloseTo(0, 5);
    expect(Array.from(train.classIndices).filter((c) => c === 0)).toHaveLength(10);
    expect(importCsv(csv, options)).toEqual(table);
  });

  it('stores encodings that turn the file\'s own rows into exactly the numbers it trains on (what Try your model types in)', () => {
    const table = importCsv(csv, options);
    const header = csv.header;
    const encoded = table.previewableRows.map((r) => {
      const result = encodeTableRow(table.encodings, (column) => csv.rows[r]![header.indexOf(column)]);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      return Array.from(result.values);
    });
    const width = table.inputShape[0]!;
    const stored = (['train', 'validation'] as const).flatMap((split) => {
      const { features, count } = table.splits[split];
      return Array.from({ length: count }, (_, r) => Array.from(features.subarray(r * width, (r + 1) * width)));
    });
    // The same rows in the same order: the heights differ row to row, so sorting by them pairs the rows.
    const byHeight = (a: number[], b: number[]) => a[0]! - b[0]!;
    encoded.sort(byHeight);
    stored.sort(byHeight);
    expect(encoded).toHaveLength(stored.length);
    encoded.forEach((row, i) => row.forEach((value, k) => expect(value).toBeCloseTo(stored[i]![k]!, 5)));
  });

  it('leaves numbers as they are without normalisation', () => {
    const table = importCsv(csv, { ...options, normalization: 'none', features: [{ column: 'height', as: 'number' }] });
    const all = [...table.splits.train.features, ...table.splits.validation.features, ...table.splits.test.features].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 40 }, (_, i) => 10 + i));
  });

  it('names the row and column of a value that is not a number', () => {
    const broken = parseCsv('height,kind\n1,a\n2,b\nabout 3,a\n4,b\n');
    expect(() => importCsv(broken, { ...options, label: 'kind', features: [{ column: 'height', as: 'number' }] })).toThrow(
      'Row 4, column "height": "about 3" is not a number, but this column is used as numbers. Fix that value (use a dot for decimals, like 2.5), or use the column as categories.',
    );
  });

  it('refuses a label with one class, a missing column and the label used as a feature', () => {
    expect(() => importCsv(parseCsv('x,y\n1,a\n2,a\n'), { ...options, label: 'y', features: [{ column: 'x', as: 'number' }] })).toThrow(
      'The label column "y" has only one value ("a"). A network needs at least 2 classes to tell apart.',
    );
    expect(() => importCsv(csv, { ...options, features: [{ column: 'weight', as: 'number' }] })).toThrow('The file has no column called "weight". Pick one of: height, colour, kind.');
    expect(() => importCsv(csv, { ...options, features: [{ column: 'kind', as: 'category' }] })).toThrow('"kind" is the label column');
  });
});
