import { z } from 'zod';

/**
 * A table's input numbers: how each was made from the columns of one row, as a dataset stores
 * it (a CSV upload's `encodings`; iris's standardisation). A row typed by a student and a row
 * of the file matched against the test split go through encodeTableRow; the importers made
 * the trainer's numbers by the same rule, and tests hold the two equal (server/data/csv.test.ts,
 * iris.test.ts), so a model is always asked with numbers made the way it learned them.
 * Pure, so the server and the page share it.
 */

/** How one input number was made, so a preview, a predictor or exported code can repeat it. */
export type FeatureEncoding =
  | { column: string; as: 'number'; mean: number; std: number }
  | { column: string; as: 'category'; value: string };

/**
 * The stored encodings, read at one point: a dataset without them (pictures) has none. A
 * number without mean or spread is read as kept as it was (0 and 1), as the server always did.
 */
export const featureEncodingsSchema = z.array(
  z.discriminatedUnion('as', [
    z.object({ column: z.string(), as: z.literal('number'), mean: z.number().default(0), std: z.number().default(1) }),
    z.object({ column: z.string(), as: z.literal('category'), value: z.string() }),
  ]),
);

/**
 * A number as a table may hold it: digits with a dot for decimals and an optional exponent
 * ("2.5", "-1e3", ".5"). Not "1,5", "NaN" or "Infinity": a network learns nothing from those.
 */
export function parseNumber(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** One column a student fills in: a number box, or a choice of the category's values (in the order of the model's inputs). */
export type TableColumn = { name: string; kind: 'number' } | { name: string; kind: 'category'; values: string[] };

/** The columns behind the encodings, in order: a category's one-hot numbers are one column. */
export function tableColumns(encodings: readonly FeatureEncoding[]): TableColumn[] {
  const columns: TableColumn[] = [];
  for (const encoding of encodings) {
    const last = columns.at(-1);
    if (encoding.as === 'number') columns.push({ name: encoding.column, kind: 'number' });
    else if (last?.kind === 'category' && last.name === encoding.column) last.values.push(encoding.value);
    else columns.push({ name: encoding.column, kind: 'category', values: [encoding.value] });
  }
  return columns;
}

/** Why one column's value cannot be read, in words for the box beside it. */
export interface CellProblem {
  column: string;
  message: string;
}

export type EncodedRow = { ok: true; values: Float32Array } | { ok: false; problems: CellProblem[] };

/**
 * One row, given as the text of each column (`valueOf`), as the model's input numbers: a
 * number column parsed and standardised with the stored mean and spread (0 and 1 when the
 * upload kept its numbers as they were), a category one 1 among 0s. A missing column, an empty
 * box or a value that is not a number is a problem, never a NaN: the caller waits for a fix.
 * A category value the data never had makes all its numbers 0, as no value of the file would.
 */
export function encodeTableRow(encodings: readonly FeatureEncoding[], valueOf: (column: string) => string | undefined): EncodedRow {
  const values = new Float32Array(encodings.length);
  const problems: CellProblem[] = [];
  encodings.forEach((encoding, k) => {
    const text = valueOf(encoding.column);
    if (text === undefined) {
      if (!problems.some((p) => p.column === encoding.column)) problems.push({ column: encoding.column, message: `The row has no “${encoding.column}”.` });
      return;
    }
    if (encoding.as === 'category') {
      values[k] = text === encoding.value ? 1 : 0;
      return;
    }
    const trimmed = text.trim();
    const number = parseNumber(trimmed);
    if (number === null) {
      problems.push({
        column: encoding.column,
        message: trimmed === '' ? 'Type a number here.' : `“${trimmed}” is not a number. Type digits, with a dot for decimals (like 2.5).`,
      });
      return;
    }
    values[k] = (number - encoding.mean) / encoding.std;
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** One real row a student can start from: its value per column, as text, and the class it really is. */
export interface TableExample {
  values: Record<string, string>;
  label: string;
}

/**
 * The rows of a dataset's preview (train and validation rows only: a preview never shows a
 * test row) as examples for the columns the model reads. `header` names the preview's columns;
 * rows lacking one of the model's columns are left out.
 */
export function tableExamples(
  columns: readonly TableColumn[],
  preview: { header: readonly string[]; rows: readonly (readonly (string | number)[])[]; labelColumn: string },
): TableExample[] {
  const at = (name: string) => preview.header.indexOf(name);
  const labelAt = at(preview.labelColumn);
  if (labelAt < 0 || columns.some((c) => at(c.name) < 0)) return [];
  return preview.rows.flatMap((row) => {
    const label = row[labelAt];
    if (label === undefined) return [];
    const values = Object.fromEntries(columns.map((c) => [c.name, String(row[at(c.name)] ?? '')]));
    return [{ values, label: String(label) }];
  });
}

/**
 * A row's input numbers read back as the columns a person typed (encodeTableRow undone): a
 * number column un-standardised and shown to 4 significant digits, a category as the value
 * whose one-hot number is 1 ("—" when none is: a value the data never had). So a stored row
 * shows as its file showed it, though the file itself is not kept.
 */
export function readTableRow(encodings: readonly FeatureEncoding[], values: ArrayLike<number>): { column: string; value: string }[] {
  const read: { column: string; value: string }[] = [];
  encodings.forEach((encoding, k) => {
    const value = values[k] ?? 0;
    if (encoding.as === 'number') {
      read.push({ column: encoding.column, value: String(Number((value * encoding.std + encoding.mean).toPrecision(4))) });
      return;
    }
    let cell = read.at(-1);
    if (cell?.column !== encoding.column) read.push((cell = { column: encoding.column, value: '—' }));
    if (value > 0.5) cell.value = encoding.value;
  });
  return read;
}
