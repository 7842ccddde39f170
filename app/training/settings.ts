import { BUILT_IN_DATASETS, BUILT_IN_DATASET_IDS, isBuiltInDatasetId, type DataSource, type DatasetRef } from '../../blocks/format/datasets';
import { resolveDataset, resolveModel, type Cell, type ResolvedDataset, type ResolvedModel } from '../../blocks/format/notebook';

/**
 * What a training cell's header offers (the Model and Dataset comboboxes) and what its choices
 * mean in this notebook. The settings themselves are blocks (blocks/catalog/training.ts).
 */

/** One entry of a header combobox. */
export interface Choice {
  /** The <option> value. */
  value: string;
  label: string;
}

/** A Dataset combobox entry: its value is a built-in id, or "cell:" and a data cell's id. */
export type DatasetChoice = Choice;

const CELL_PREFIX = 'cell:';

export function datasetRefToValue(ref: DatasetRef): string {
  return typeof ref === 'string' ? ref : `${CELL_PREFIX}${ref.cell}`;
}

export function valueToDatasetRef(value: string): DatasetRef | null {
  if (value.startsWith(CELL_PREFIX) && value.length > CELL_PREFIX.length) return { cell: value.slice(CELL_PREFIX.length) };
  return isBuiltInDatasetId(value) ? value : null;
}

/** How a data cell's dataset reads in one line: "Circle, 500 points, noise 0.1, seed 1". */
export function describeSource(source: DataSource): string {
  if (source.kind === 'upload') return `${source.name} (uploaded)`;
  const info = BUILT_IN_DATASETS[source.id];
  if (!source.options) return info.name;
  return `${info.name}, ${source.options.size} points, noise ${source.options.noise}, seed ${source.options.seed}`;
}

/**
 * The Dataset combobox's entries for a training cell: every built-in set, then the data cells
 * above it (numbered as the page numbers cells). A choice that points at a data cell which is
 * no longer above keeps an entry, so the page shows what is stored rather than silently
 * switching to another dataset.
 */
export function datasetChoices(cells: readonly Cell[], trainingCellId: string, current: DatasetRef): DatasetChoice[] {
  const choices: DatasetChoice[] = BUILT_IN_DATASET_IDS.map((id) => ({ value: id, label: BUILT_IN_DATASETS[id].label }));
  const at = cells.findIndex((c) => c.id === trainingCellId);
  cells.forEach((cell, index) => {
    if (cell.type === 'data' && index < at) {
      choices.push({ value: datasetRefToValue({ cell: cell.id }), label: `Data cell ${index + 1}: ${describeSource(cell.source)}` });
    }
  });
  const currentValue = datasetRefToValue(current);
  if (!choices.some((c) => c.value === currentValue)) choices.push({ value: currentValue, label: 'A data cell that is not above this training cell' });
  return choices;
}

/** Each model cell's name (from its compiled model block), or null while its blocks have errors. */
export type ModelNames = ReadonlyMap<string, string | null>;

/**
 * The Model combobox's entries: the model cells above, by position and the name on their
 * model block. As with datasets, a model that is no longer above keeps an entry saying so.
 */
export function modelChoices(cells: readonly Cell[], trainingCellId: string, current: string, names: ModelNames = new Map()): Choice[] {
  const at = cells.findIndex((c) => c.id === trainingCellId);
  const choices: Choice[] = [];
  cells.forEach((cell, index) => {
    const name = names.get(cell.id);
    if (cell.type === 'model' && index < at) choices.push({ value: cell.id, label: `Model cell ${index + 1}${name ? `: ${name}` : ''}` });
  });
  if (!choices.some((c) => c.value === current)) {
    choices.unshift({ value: current, label: current === '' ? 'Pick a model' : cells.some((c) => c.id === current) ? 'A model cell that is not above this training cell' : 'A model cell that was deleted' });
  }
  return choices;
}

/** What a training cell's header needs from the rest of the notebook. */
export interface TrainingCellContext {
  datasetChoices: DatasetChoice[];
  resolvedDataset: ResolvedDataset;
  modelChoices: Choice[];
  resolvedModel: ResolvedModel;
  /** The page's number of the model cell it trains (1-based), for messages; null when it resolves to none. */
  modelPosition: number | null;
}

export function trainingContexts(cells: readonly Cell[], names: ModelNames = new Map()): Map<string, TrainingCellContext> {
  const contexts = new Map<string, TrainingCellContext>();
  for (const cell of cells) {
    if (cell.type !== 'training') continue;
    const resolvedModel = resolveModel(cells, cell.id, cell.model);
    contexts.set(cell.id, {
      datasetChoices: datasetChoices(cells, cell.id, cell.dataset),
      resolvedDataset: resolveDataset(cells, cell.id, cell.dataset),
      modelChoices: modelChoices(cells, cell.id, cell.model, names),
      resolvedModel,
      modelPosition: resolvedModel.ok ? cells.indexOf(resolvedModel.cell) + 1 : null,
    });
  }
  return contexts;
}

/**
 * Changes only when something the headers depend on changes (cell order, data sources, model
 * names, which model and data a training cell uses), so that typing in one cell does not
 * re-render every other.
 */
export function contextKey(cells: readonly Cell[], names: ModelNames = new Map()): string {
  return JSON.stringify(
    cells.map((c) => {
      switch (c.type) {
        case 'data':
          return [c.id, c.source];
        case 'model':
          return [c.id, names.get(c.id) ?? null];
        case 'training':
          return [c.id, c.model, c.dataset];
        case 'markdown':
          return c.id;
      }
    }),
  );
}
