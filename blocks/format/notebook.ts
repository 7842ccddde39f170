import { z } from 'zod';
import { builtInSource, dataSourceSchema, datasetRefSchema, sourceInfo, type BuiltInDatasetId, type DataSource, type DatasetRef } from './datasets';

/**
 * Persisted notebook content. Only what a person authored lives here (blocks, text, choices,
 * references to other cells by id); the model spec and training settings the blocks compile
 * to are derived by blocks/compile-notebook.ts, and queue positions and live progress are
 * runtime state: none of it is ever saved into a cell.
 */
/** Older notebooks' model cells get a training cell "train-<model id>" (see notebook-migrations.ts). */
export const TRAINING_CELL_ID_PREFIX = 'train-';
/** Room for the prefix in front of any id a cell could have before training cells existed (100 characters). */
export const MAX_CELL_ID_LENGTH = 100 + TRAINING_CELL_ID_PREFIX.length;
const cellId = z.string().min(1).max(MAX_CELL_ID_LENGTH);

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
});

/**
 * How to train a model cell above it, on a dataset: hyperparameter blocks → a training spec.
 * Owns its runs (runs.cell_id is this cell's id).
 */
export const trainingCellSchema = z.object({
  id: cellId,
  type: z.literal('training'),
  /** The id of the model cell it trains, which must be above this one; "" until one is picked. */
  model: z.string().max(MAX_CELL_ID_LENGTH),
  /** The dataset picked in the cell's header: a built-in set, or a data cell above by id. */
  dataset: datasetRefSchema,
  /** Blockly's serialization JSON of the "train the model" block and its setting blocks. */
  workspace: z.record(z.string(), z.unknown()),
});

/** A dataset and its settings; model cells below it can train on it. */
export const dataCellSchema = z.object({
  id: cellId,
  type: z.literal('data'),
  source: dataSourceSchema,
});

export const cellSchema = z.discriminatedUnion('type', [markdownCellSchema, modelCellSchema, dataCellSchema, trainingCellSchema]);
export type DataCell = z.infer<typeof dataCellSchema>;
export type MarkdownCell = z.infer<typeof markdownCellSchema>;
export type ModelCell = z.infer<typeof modelCellSchema>;
export type TrainingCell = z.infer<typeof trainingCellSchema>;
export type Cell = z.infer<typeof cellSchema>;
export type CellType = Cell['type'];

/** How many cells, and how big, is checked before this schema: ./notebook-limits.ts. */
export const cellsSchema = z.array(cellSchema);

/**
 * Version of the stored cells (notebooks.format_version). 1: model cells carried their own
 * training settings; 2: training cells of their own; 3: cells hold only what the student made
 * (no compiled spec or settings; the training cell's dataset at its top level). Stored
 * notebooks are read through readStoredCells (./notebook-migrations), which brings them up to
 * this version and parses them.
 */
export const NOTEBOOK_FORMAT_VERSION = 3;

export function newMarkdownCell(id: string, source = ''): MarkdownCell {
  return { id, type: 'markdown', source };
}

export function newDataCell(id: string, dataset: BuiltInDatasetId = 'circle'): DataCell {
  return { id, type: 'data', source: builtInSource(dataset) };
}

/** The data cells a cell may use: those above it, in reading order. */
export function dataCellsAbove(cells: readonly Cell[], cellId: string): DataCell[] {
  const index = cells.findIndex((c) => c.id === cellId);
  return cells.slice(0, Math.max(0, index)).filter((c): c is DataCell => c.type === 'data');
}

/** The model cells a training cell may train: those above it, in reading order. */
export function modelCellsAbove(cells: readonly Cell[], cellId: string): ModelCell[] {
  const index = cells.findIndex((c) => c.id === cellId);
  return cells.slice(0, Math.max(0, index)).filter((c): c is ModelCell => c.type === 'model');
}

export type ResolvedModel = { ok: true; cell: ModelCell } | { ok: false; message: string };

/**
 * Which model a training cell trains: the model cell it names, as long as that cell is still
 * above it (like Jupyter, later cells use earlier ones). Otherwise, what happened and what to do.
 */
export function resolveModel(cells: readonly Cell[], trainingCellId: string, modelId: string): ResolvedModel {
  const above = modelCellsAbove(cells, trainingCellId);
  const cell = above.find((c) => c.id === modelId);
  if (cell) return { ok: true, cell };
  if (modelId === '' && above.length > 0) return { ok: false, message: 'Pick the model to train in the Model list.' };
  const exists = cells.some((c) => c.id === modelId && c.type === 'model');
  if (exists) {
    return {
      ok: false,
      message: 'The model cell this training cell trains is below it now. Move the model cell above this training cell, or pick another model in the Model list.',
    };
  }
  return above.length > 0
    ? { ok: false, message: 'The model cell this training cell trained was deleted. Pick another model in the Model list.' }
    : { ok: false, message: 'There is no model cell above this training cell. Add a model cell above it, or move this training cell below one.' };
}

export type ResolvedDataset = { ok: true; source: DataSource } | { ok: false; message: string };

/**
 * What a training cell's Dataset choice means in this notebook: a built-in name stands for
 * that set with default options; a data cell reference must name a data cell above the
 * training cell (like Jupyter, later cells use earlier ones).
 */
export function resolveDataset(cells: readonly Cell[], trainingCellId: string, ref: DatasetRef): ResolvedDataset {
  if (typeof ref === 'string') return { ok: true, source: builtInSource(ref) };
  const cell = dataCellsAbove(cells, trainingCellId).find((c) => c.id === ref.cell);
  if (cell) return { ok: true, source: cell.source };
  const exists = cells.some((c) => c.id === ref.cell && c.type === 'data');
  return {
    ok: false,
    message: exists
      ? 'The data cell this training cell uses is below it now. Move the data cell above this training cell, or pick another dataset.'
      : 'The data cell this training cell used was deleted. Pick another dataset in the Dataset list.',
  };
}

/** The data the notebook trains on: the dataset of its first training cell that names one it can use, or null. */
export function trainingDataOf(cells: readonly Cell[]): DataSource | null {
  for (const cell of cells) {
    if (cell.type !== 'training') continue;
    const resolved = resolveDataset(cells, cell.id, cell.dataset);
    if (resolved.ok) return resolved.source;
  }
  return null;
}

/** What the notebook trains on, as a hidden test set is compared against it; `datasetId` is set for an upload. */
export interface NotebookData {
  name: string;
  inputShape: number[];
  classes: string[];
  datasetId: string | null;
}

export function notebookDataOf(cells: readonly Cell[]): NotebookData | null {
  const training = trainingDataOf(cells);
  if (!training) return null;
  const info = sourceInfo(training);
  return { name: info.name, inputShape: [...info.inputShape], classes: [...info.classes], datasetId: training.kind === 'upload' ? training.datasetId : null };
}

export function newModelCell(id: string, workspace: Record<string, unknown> = {}): ModelCell {
  return { id, type: 'model', workspace };
}
