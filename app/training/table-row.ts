import { featureEncodingsSchema, tableColumns, tableExamples, type FeatureEncoding, type TableColumn, type TableExample } from '../../blocks/format/table-inputs';
import type { DatasetPreview } from '../../server/data/preview';
import type { DatasetDetails } from '../../server/services/datasets';

/**
 * What "Try your model" needs to let a student type in one row of a table: how the trainer
 * made its input numbers, the columns to fill in, and real rows to start from (train and
 * validation rows only, as every preview). Pure, so it is tested without a page.
 */
export type TableSetup = { ok: true; encodings: FeatureEncoding[]; columns: TableColumn[]; examples: TableExample[] } | { ok: false; message: string };

const CANNOT =
  'This dataset does not say how its columns were turned into numbers (it was stored before Layerbook kept that), so your model cannot be tried on a typed row. Upload the file again to try it.';

/** From a built-in table's preview (iris), which names its columns, its label column and the trainer's encodings. */
export function builtInTableSetup(preview: DatasetPreview, inputCount: number): TableSetup {
  if (preview.kind !== 'table') return { ok: false, message: CANNOT };
  return setup(preview.encodings, inputCount, { header: preview.columns, rows: preview.rows, labelColumn: preview.labelColumn });
}

/** From an uploaded CSV dataset's details: its stored encodings, its preview rows and the label column the student picked. */
export function uploadTableSetup(details: Pick<DatasetDetails, 'encodings' | 'options' | 'preview'>, inputCount: number): TableSetup {
  const label = details.options.label;
  const preview = details.preview;
  if ('kind' in preview || typeof label !== 'string') return { ok: false, message: CANNOT };
  return setup(details.encodings, inputCount, { header: preview.columns.map((c) => c.name), rows: preview.rows, labelColumn: label });
}

function setup(stored: unknown, inputCount: number, preview: Parameters<typeof tableExamples>[1]): TableSetup {
  const parsed = featureEncodingsSchema.safeParse(stored);
  // Each encoding makes one input number: fewer or more than the data has would ask the model wrongly.
  if (!parsed.success || parsed.data.length === 0 || parsed.data.length !== inputCount) return { ok: false, message: CANNOT };
  const columns = tableColumns(parsed.data);
  return { ok: true, encodings: parsed.data, columns, examples: tableExamples(columns, preview) };
}

/** A row to start from when the data has no example to show: empty number boxes, each category at its first value. */
export function blankRow(columns: readonly TableColumn[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.name, c.kind === 'category' ? c.values[0]! : '']));
}
