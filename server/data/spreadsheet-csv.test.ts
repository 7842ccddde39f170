import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { toSpreadsheetCell, toSpreadsheetCsv } from './spreadsheet-csv';

describe('CSV written for spreadsheets', () => {
  it('turns text that a spreadsheet would run as a formula into text', () => {
    expect(toSpreadsheetCell(`=cmd|' /C calc'!A0`)).toBe(`"'=cmd|' /C calc'!A0"`);
    expect(toSpreadsheetCell('@SUM(1+1)')).toBe(`"'@SUM(1+1)"`);
    expect(toSpreadsheetCell('+label')).toBe(`"'+label"`);
    expect(toSpreadsheetCell('-1+2')).toBe(`"'-1+2"`);
    expect(toSpreadsheetCell('\t=1')).toBe(`"'\t=1"`);
    expect(toSpreadsheetCell('\r=1')).toBe(`"'\r=1"`);
    expect(toSpreadsheetCell('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
  });

  it('leaves ordinary text and numbers as they are', () => {
    expect(toSpreadsheetCell('petal length')).toBe('"petal length"');
    expect(toSpreadsheetCell('a=b')).toBe('"a=b"');
    expect(toSpreadsheetCell('-1.5')).toBe('"-1.5"');
    expect(toSpreadsheetCell('+3e-4')).toBe('"+3e-4"');
    expect(toSpreadsheetCell(-2)).toBe('-2');
    expect(toSpreadsheetCell(0.25)).toBe('0.25');
    expect(toSpreadsheetCell(Number.NaN)).toBe('');
    expect(toSpreadsheetCell(null)).toBe('');
    expect(toSpreadsheetCell(true)).toBe('true');
  });

  it('keeps separators, quotes and line breaks inside one cell, so no new cell can start with a formula', () => {
    const header = ['name', 'note'];
    const rows = [
      ['Sam', 'likes "CNNs", and\nDense =1+1'],
      ['x,=2+5', '=SUM(A1:A2)'],
    ];
    const written = toSpreadsheetCsv(header, rows);
    expect(written.endsWith('\r\n')).toBe(true);
    const read = parseCsv(written);
    expect(read.header).toEqual(['name', 'note']);
    expect(read.rows).toEqual([
      ['Sam', 'likes "CNNs", and\nDense =1+1'],
      ['x,=2+5', "'=SUM(A1:A2)"],
    ]);
    // Every field a spreadsheet sees begins with a quote mark or a safe character.
    for (const field of read.rows.flat()) expect(field).not.toMatch(/^[=+\-@\t\r]/);
  });
});
