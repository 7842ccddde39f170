import { parseNumber } from '../../blocks/format/table-inputs';
import type { ClassBalance } from './balance';

/** A decimal number as people type it in a CSV: 3, -1.5, 2e-3, .5 (not "", "NaN" or "1,5"). Its one home is blocks/format, where the page reads typed rows with it too. */
export { parseNumber };

/**
 * Reading a student's CSV file. Every problem is a CsvError whose message names the row and
 * column (as a spreadsheet shows them: rows counted from 1 including the header) and says
 * how to fix it, because the student will open the file and look there.
 */
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** More columns than this is not a table a student made by hand, and one-hot encoding would explode. */
export const MAX_COLUMNS = 500;

const SAVE_AS_CSV = 'In your spreadsheet program choose "Save as" → "CSV UTF-8 (comma-separated)" and upload that file.';

/** Bytes → text, refusing what is not a UTF-8 text file (a picture, a zip, an old Excel file, Latin-1 text). */
export function decodeCsvBytes(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new CsvError(`This file is not a text file: it has binary data (a zero byte at position ${nul + 1}). ${SAVE_AS_CSV}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = countLines(bytes.subarray(0, bad));
    throw new CsvError(`Line ${line} of this file has letters that are not UTF-8 text (the file uses another encoding). ${SAVE_AS_CSV}`);
  }
  // A byte-order mark is fine, but would become part of the first column's name.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function countLines(bytes: Uint8Array): number {
  let lines = 1;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  return lines;
}

/** Position of the first byte that breaks UTF-8, found by decoding growing prefixes' last code points. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    const length = byte < 0x80 ? 1 : byte >> 5 === 0b110 ? 2 : byte >> 4 === 0b1110 ? 3 : byte >> 3 === 0b11110 ? 4 : 0;
    if (length === 0) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}

export interface ParsedCsv {
  header: string[];
  /** Data rows, each with exactly header.length values. */
  rows: string[][];
  /** The row number a spreadsheet shows for each data row (its first line in the file), for messages. */
  lines: number[];
}

/**
 * RFC 4180 CSV: fields separated by commas (or semicolons, when the header has semicolons
 * and no commas, as spreadsheets in many countries save), quotes around fields with
 * separators, quotes or line breaks in them, "" for a quote inside quotes. Blank lines are skipped.
 */
export function parseCsv(text: string): ParsedCsv {
  if (text.trim() === '') throw new CsvError(`The file is empty. Upload a CSV file with a header row (the column names) and at least one row of data.`);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const separator = !firstLine.includes(',') && firstLine.includes(';') ? ';' : ',';

  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let quoteOpenedAt: { line: number; column: number } | null = null;
  let fieldWasQuoted = false;
  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !fieldWasQuoted;
    if (!blank) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    fieldWasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoteOpenedAt) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoteOpenedAt = null;
        }
      } else {
        if (char === '\n') line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field === '' && !fieldWasQuoted) {
      quoteOpenedAt = { line, column: fields.length + 1 };
      fieldWasQuoted = true;
    } else if (char === separator) {
      fields.push(field);
      field = '';
      fieldWasQuoted = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (fieldWasQuoted) {
      throw new CsvError(
        `Row ${line}, column ${fields.length + 1}: there is text after a closing quote. Put the whole value inside the quotes, and write a quote inside quotes as "".`,
      );
    } else {
      field += char;
    }
  }
  if (quoteOpenedAt) {
    throw new CsvError(
      `The quote that starts in row ${quoteOpenedAt.line}, column ${quoteOpenedAt.column} is never closed. Add the missing " at the end of that value.`,
    );
  }
  if (field !== '' || fields.length > 0 || fieldWasQuoted) endRecord();

  const [headerRecord, ...dataRecords] = records;
  const header = headerRecord!.fields.map((name) => name.trim());
  if (header.length > MAX_COLUMNS) throw new CsvError(`The file has ${header.length} columns; Layerbook reads at most ${MAX_COLUMNS}. Remove the columns you do not need.`);
  header.forEach((name, index) => {
    if (name === '') throw new CsvError(`Column ${index + 1} of the header row (row 1) has no name. Give every column a name in the first row.`);
    const first = header.indexOf(name);
    if (first !== index) throw new CsvError(`Two columns are called "${name}" (columns ${first + 1} and ${index + 1}). Give each column its own name.`);
  });
  if (dataRecords.length === 0) throw new CsvError('The file has a header row but no data rows under it. Add at least one row of data.');
  const rows = dataRecords.map(({ fields: values, line: at }) => {
    if (values.length !== header.length) {
      throw new CsvError(
        `Row ${at} has ${values.length} ${values.length === 1 ? 'value' : 'values'}, but the header has ${header.length} columns. ` +
          `Every row needs one value per column (an empty value is written as nothing between two commas).`,
      );
    }
    return values.map((value) => value.trim());
  });
  return { header, rows, lines: dataRecords.map((record) => record.line) };
}

export type ColumnType = 'number' | 'category';

export interface ColumnSummary {
  name: string;
  /** "number" when every non-empty value is a number; otherwise "category". */
  type: ColumnType;
  /** How many different values the column has (capped at 1,000 when counting). */
  distinct: number;
  /** Empty cells. */
  missing: number;
  /** Up to 5 example values, for the preview. */
  examples: string[];
}

export function summarizeColumns(csv: ParsedCsv): ColumnSummary[] {
  return csv.header.map((name, column) => {
    const seen = new Set<string>();
    let missing = 0;
    let allNumbers = true;
    for (const row of csv.rows) {
      const value = row[column]!;
      if (value === '') {
        missing++;
        continue;
      }
      if (seen.size < 1000) seen.add(value);
      if (allNumbers && parseNumber(value) === null) allNumbers = false;
    }
    const type: ColumnType = allNumbers && seen.size > 0 ? 'number' : 'category';
    return { name, type, distinct: seen.size, missing, examples: [...seen].slice(0, 5) };
  });
}

export interface CsvPreview {
  columns: ColumnSummary[];
  /** The first rows as they are in the file (an imported dataset's: its first train and validation rows). */
  rows: string[][];
  rowCount: number;
  /** Examples per class in each split: stored with an imported dataset (older ones lack it), absent while the student is still choosing the label. */
  balance?: ClassBalance;
  /** Set on an imported dataset's preview, whose rows come from its train and validation splits only; older stored previews are cleaned when read (see getDataset). */
  withoutTestRows?: true;
}

export const PREVIEW_ROWS = 20;

export function previewCsv(bytes: Uint8Array): CsvPreview {
  const csv = parseCsv(decodeCsvBytes(bytes));
  return { columns: summarizeColumns(csv), rows: csv.rows.slice(0, PREVIEW_ROWS), rowCount: csv.rows.length };
}
