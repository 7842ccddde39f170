import { z } from 'zod';
import { parseNumber, type FeatureEncoding } from '../../blocks/format/table-inputs';
import { CsvError, summarizeColumns, type ParsedCsv } from './csv';
import { SPLITS, standardize, stratifiedSplit, takeRows, type ExampleTable, type Split } from './dataset';

/** What the student picked after the preview. */
export const csvImportOptionsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  label: z.string().min(1).max(200),
  /** Feature columns and how to read each: numbers as they are, categories one-hot. */
  features: z
    .array(z.object({ column: z.string().min(1).max(200), as: z.enum(['number', 'category']) }))
    .min(1)
    .max(500),
  /** "standardize": each number feature to mean 0, spread 1 (training rows' statistics); "none": as in the file. */
  normalization: z.enum(['standardize', 'none']),
  split: z
    .object({ train: z.number().int().min(1).max(98), validation: z.number().int().min(0).max(98), test: z.number().int().min(1).max(98) })
    .refine((s) => s.train + s.validation + s.test === 100, 'Train, validation and test must add up to 100%.'),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});
export type CsvImportOptions = z.infer<typeof csvImportOptionsSchema>;

export const MAX_CLASSES = 100;
export const MAX_CATEGORIES_PER_FEATURE = 50;

export interface ImportedTable {
  inputShape: [number];
  classes: string[];
  encodings: FeatureEncoding[];
  splits: Record<Split, ExampleTable>;
  /** The file's rows (indexes into the parsed rows) that went to the train and validation splits, in file order: what a preview may show. */
  previewableRows: number[];
}

/** Turns the parsed rows into numbers per the options: one-hot categories, labels as class indices, a stratified seeded split. */
export function importCsv(csv: ParsedCsv, options: CsvImportOptions): ImportedTable {
  const columnIndex = (name: string) => {
    const index = csv.header.indexOf(name);
    if (index < 0) throw new CsvError(`The file has no column called "${name}". Pick one of: ${csv.header.join(', ')}.`);
    return index;
  };
  const labelColumn = columnIndex(options.label);
  const seen = new Set<string>();
  for (const feature of options.features) {
    if (feature.column === options.label) throw new CsvError(`"${feature.column}" is the label column, so it cannot also be a feature. Untick it under features.`);
    if (seen.has(feature.column)) throw new CsvError(`The feature "${feature.column}" is picked twice. Pick each column once.`);
    seen.add(feature.column);
  }

  // Classes in first-appearance order would depend on the row order; sorted they are stable.
  const labelValues = csv.rows.map((row, r) => {
    const value = row[labelColumn]!;
    if (value === '') throw new CsvError(`Row ${csv.lines[r]}, column "${options.label}": the label is empty. Every row needs a label, or delete that row.`);
    return value;
  });
  const classes = [...new Set(labelValues)].sort(naturalCompare);
  if (classes.length < 2) throw new CsvError(`The label column "${options.label}" has only one value ("${classes[0]}"). A network needs at least 2 classes to tell apart.`);
  if (classes.length > MAX_CLASSES) {
    throw new CsvError(
      `The label column "${options.label}" has ${classes.length} different values; Layerbook handles up to ${MAX_CLASSES} classes. Is it the right column? A label is a category, like a species or a yes/no.`,
    );
  }
  const classIndices = Int32Array.from(labelValues, (value) => classes.indexOf(value));

  const summaries = summarizeColumns(csv);
  const plan = options.features.map((feature) => {
    const index = columnIndex(feature.column);
    if (feature.as === 'number') return { ...feature, index, values: [] as string[] };
    const values = [...new Set(csv.rows.map((row) => row[index]!))].sort(naturalCompare);
    if (values.length > MAX_CATEGORIES_PER_FEATURE) {
      throw new CsvError(
        `The column "${feature.column}" has ${values.length} different values, too many to use as categories (at most ${MAX_CATEGORIES_PER_FEATURE}). Leave it out${summaries[index]!.type === 'number' ? ', or use it as a number' : ''}.`,
      );
    }
    return { ...feature, index, values };
  });
  const width = plan.reduce((sum, p) => sum + (p.as === 'number' ? 1 : p.values.length), 0);

  const features = new Float32Array(csv.rows.length * width);
  csv.rows.forEach((row, r) => {
    let offset = r * width;
    for (const p of plan) {
      const text = row[p.index]!;
      if (p.as === 'number') {
        const value = parseNumber(text);
        if (value === null) {
          const where = `Row ${csv.lines[r]}, column "${p.column}"`;
          throw new CsvError(
            text === ''
              ? `${where} is empty, but this column is used as numbers. Fill in the missing number, delete that row, or leave the column out.`
              : `${where}: "${text}" is not a number, but this column is used as numbers. Fix that value (use a dot for decimals, like 2.5), or use the column as categories.`,
          );
        }
        features[offset++] = value;
      } else {
        features[offset + p.values.indexOf(text)] = 1;
        offset += p.values.length;
      }
    }
  });

  const rows = stratifiedSplit(classIndices, classes.length, options.seed, options.split);
  if (rows.train.length === 0) throw new CsvError('After splitting there are no training rows. Add more rows or give training a bigger share.');
  const splits = Object.fromEntries(SPLITS.map((split) => [split, takeRows(features, classIndices, width, rows[split])])) as Record<Split, ExampleTable>;

  // Only number columns are rescaled; one-hot columns stay 0/1 so they keep meaning "is this category".
  const numberColumns = plan.flatMap((p, i) => (p.as === 'number' ? [offsetOf(plan, i)] : []));
  const stats = options.normalization === 'standardize' ? standardizeColumns(splits, width, numberColumns) : null;
  const encodings: FeatureEncoding[] = plan.flatMap((p, i): FeatureEncoding[] => {
    if (p.as === 'category') return p.values.map((value) => ({ column: p.column, as: 'category' as const, value }));
    const at = offsetOf(plan, i);
    return [{ column: p.column, as: 'number', mean: stats?.mean[at] ?? 0, std: stats?.std[at] ?? 1 }];
  });
  const previewableRows = [...rows.train, ...rows.validation].sort((a, b) => a - b);
  return { inputShape: [width], classes, encodings, splits, previewableRows };
}

function offsetOf(plan: { as: string; values: string[] }[], index: number): number {
  let offset = 0;
  for (let i = 0; i < index; i++) offset += plan[i]!.as === 'number' ? 1 : plan[i]!.values.length;
  return offset;
}

function standardizeColumns(splits: Record<Split, ExampleTable>, width: number, columns: number[]) {
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(1);
  if (columns.length === 0) return { mean, std };
  // Reuse the one standardize(): apply it to a copy of just these columns, then write them back.
  const picked = Object.fromEntries(
    SPLITS.map((split) => {
      const table = splits[split];
      const features = new Float32Array(table.count * columns.length);
      for (let r = 0; r < table.count; r++) columns.forEach((c, k) => (features[r * columns.length + k] = table.features[r * width + c]!));
      return [split, { ...table, features }];
    }),
  ) as Record<Split, ExampleTable>;
  const stats = standardize(picked, columns.length);
  for (const split of SPLITS) {
    const table = splits[split];
    for (let r = 0; r < table.count; r++) columns.forEach((c, k) => (table.features[r * width + c] = picked[split].features[r * columns.length + k]!));
  }
  columns.forEach((c, k) => {
    mean[c] = stats.mean[k]!;
    std[c] = stats.std[k]!;
  });
  return { mean, std };
}

/** "2" before "10", and "cat" before "Dog" regardless of case. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}
