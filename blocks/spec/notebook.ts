import { z } from 'zod';
import { builtInSource, dataSourceSchema, type BuiltInDatasetId, type DataSource, type DatasetRef } from './datasets';
import { DEFAULT_TRAINING, SPEC_VERSION, modelSpecSchema, trainingSpecSchema } from './model-spec';

/**
 * Persisted notebook content. Only what a person authored lives here; compile results,
 * queue positions and live progress are runtime state and never saved into a cell.
 */
const cellId = z.string().min(1).max(100);

export const markdownCellSchema = z.object({
  id: cellId,
  type: z.literal('markdown'),
  source: z.string().max(100_000),
});

export const modelCellSchema = z.object({
  id: cellId,
  type: z.literal('model'),
  /** Blockly's serialization JSON (Blockly.serialization.workspaces.save). */
  workspace: z.record(z.string(), z.unknown()),
  /** The spec compiled from `workspace` at save time, or null when it does not compile. */
  spec: modelSpecSchema.nullable(),
  training: trainingSpecSchema,
});

/** A dataset and its settings; model cells below it can train on it. */
export const dataCellSchema = z.object({
  id: cellId,
  type: z.literal('data'),
  source: dataSourceSchema,
});

export const cellSchema = z.discriminatedUnion('type', [markdownCellSchema, modelCellSchema, dataCellSchema]);
export type DataCell = z.infer<typeof dataCellSchema>;
export type MarkdownCell = z.infer<typeof markdownCellSchema>;
export type ModelCell = z.infer<typeof modelCellSchema>;
export type Cell = z.infer<typeof cellSchema>;
export type CellType = Cell['type'];

export const MAX_CELLS = 200;
export const cellsSchema = z.array(cellSchema).max(MAX_CELLS);

export const NOTEBOOK_FORMAT_VERSION = SPEC_VERSION;

export function newMarkdownCell(id: string, source = ''): MarkdownCell {
  return { id, type: 'markdown', source };
}

export function newDataCell(id: string, dataset: BuiltInDatasetId = 'circle'): DataCell {
  return { id, type: 'data', source: builtInSource(dataset) };
}

/** The data cells a cell may use: those above it, nearest first reading downwards order. */
export function dataCellsAbove(cells: readonly Cell[], cellId: string): DataCell[] {
  const index = cells.findIndex((c) => c.id === cellId);
  return cells.slice(0, Math.max(0, index)).filter((c): c is DataCell => c.type === 'data');
}

export type ResolvedDataset = { ok: true; source: DataSource } | { ok: false; message: string };

/**
 * What a model cell's Dataset setting means in this notebook: a built-in name stands for
 * that set with default options; a data cell reference must name a data cell above the
 * model (like Jupyter, later cells use earlier ones).
 */
export function resolveDataset(cells: readonly Cell[], modelCellId: string, ref: DatasetRef): ResolvedDataset {
  if (typeof ref === 'string') return { ok: true, source: builtInSource(ref) };
  const cell = dataCellsAbove(cells, modelCellId).find((c) => c.id === ref.cell);
  if (cell) return { ok: true, source: cell.source };
  const exists = cells.some((c) => c.id === ref.cell && c.type === 'data');
  return {
    ok: false,
    message: exists
      ? 'The data cell this model trains on is below it now. Move the data cell above the model, or pick another dataset.'
      : 'The data cell this model trains on was deleted. Pick another dataset in the training settings.',
  };
}

export function newModelCell(id: string, workspace: Record<string, unknown> = {}): ModelCell {
  return { id, type: 'model', workspace, spec: null, training: { ...DEFAULT_TRAINING } };
}
