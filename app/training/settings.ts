import { BUILT_IN_DATASETS, BUILT_IN_DATASET_IDS, isBuiltInDatasetId, sourceInfo, type BuiltInDatasetId, type DataSource, type DatasetRef } from '../../blocks/spec/datasets';
import type { Loss } from '../../blocks/spec/model-spec';
import { resolveDataset, resolveModel, type Cell, type ResolvedDataset, type ResolvedModel } from '../../blocks/format/notebook';

/**
 * What a training cell's header offers (the Model and Dataset comboboxes) and what its choices
 * mean in this notebook. The settings themselves are blocks (blocks/catalog/training.ts).
 */
export const DATASET_LABELS: Record<BuiltInDatasetId, string> = {
  mnist: 'MNIST handwritten digits',
  iris: 'Iris flowers (4 measurements, 3 species)',
  circle: 'Circle (2-D points)',
  xor: 'XOR (2-D points)',
  gaussian: 'Two clusters (2-D points)',
  spiral: 'Spiral (2-D points)',
};

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
  const choices: DatasetChoice[] = BUILT_IN_DATASET_IDS.map((id) => ({ value: id, label: DATASET_LABELS[id] }));
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

/**
 * The Model combobox's entries: the model cells above, by position and the name on their
 * model block. As with datasets, a model that is no longer above keeps an entry saying so.
 */
export function modelChoices(cells: readonly Cell[], trainingCellId: string, current: string): Choice[] {
  const at = cells.findIndex((c) => c.id === trainingCellId);
  const choices: Choice[] = [];
  cells.forEach((cell, index) => {
    if (cell.type === 'model' && index < at) choices.push({ value: cell.id, label: `Model cell ${index + 1}${cell.spec ? `: ${cell.spec.name}` : ''}` });
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

export function trainingContexts(cells: readonly Cell[]): Map<string, TrainingCellContext> {
  const contexts = new Map<string, TrainingCellContext>();
  for (const cell of cells) {
    if (cell.type !== 'training') continue;
    const resolvedModel = resolveModel(cells, cell.id, cell.model);
    contexts.set(cell.id, {
      datasetChoices: datasetChoices(cells, cell.id, cell.training.dataset),
      resolvedDataset: resolveDataset(cells, cell.id, cell.training.dataset),
      modelChoices: modelChoices(cells, cell.id, cell.model),
      resolvedModel,
      modelPosition: resolvedModel.ok ? cells.indexOf(resolvedModel.cell) + 1 : null,
    });
  }
  return contexts;
}

/**
 * What "runs but learns badly" advice on a model's blocks needs from the training cell that
 * trains it (the first one below it): its loss and the number of classes of its data.
 */
export interface ModelTrainingContext {
  loss: Loss;
  classCount: number | undefined;
}

export function modelTrainingContexts(cells: readonly Cell[]): Map<string, ModelTrainingContext> {
  const contexts = new Map<string, ModelTrainingContext>();
  for (const cell of cells) {
    if (cell.type !== 'training' || contexts.has(cell.model) || !resolveModel(cells, cell.id, cell.model).ok) continue;
    const data = resolveDataset(cells, cell.id, cell.training.dataset);
    contexts.set(cell.model, { loss: cell.training.loss, classCount: data.ok ? sourceInfo(data.source).classes.length : undefined });
  }
  return contexts;
}

/**
 * Changes only when something the headers and the model advice depend on changes (cell order,
 * data sources, model names, which model and data a training cell uses, its loss), so that
 * typing in one cell does not re-render every other.
 */
export function contextKey(cells: readonly Cell[]): string {
  return JSON.stringify(
    cells.map((c) => {
      switch (c.type) {
        case 'data':
          return [c.id, c.source];
        case 'model':
          return [c.id, c.spec?.name ?? null];
        case 'training':
          return [c.id, c.model, c.training.dataset, c.training.loss];
        case 'markdown':
          return c.id;
      }
    }),
  );
}
