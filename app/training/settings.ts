import { BUILT_IN_DATASETS, BUILT_IN_DATASET_IDS, isBuiltInDatasetId, sourceInfo, type BuiltInDatasetId, type DataSource, type DatasetRef } from '../../blocks/spec/datasets';
import { DEFAULT_PATIENCE, LOSSES, OPTIMIZERS, defaultLossFor, lossesForClassCount, trainingSpecSchema, type Loss, type TrainingSpec } from '../../blocks/spec/model-spec';
import { resolveDataset, type Cell, type ResolvedDataset } from '../../blocks/spec/notebook';

/**
 * The training form's rules. Limits come from the persisted schema (one home), this file
 * only adds the words: what each setting is called and what to type instead.
 */
export type NumericSetting = 'learningRate' | 'batchSize' | 'epochs' | 'patience' | 'seed';

export const NUMERIC_SETTINGS: Record<NumericSetting, { label: string; noun: string; example: string; help: string; step: string }> = {
  learningRate: {
    label: 'Learning rate',
    noun: 'a learning rate',
    example: '0.001',
    help: 'How big a step the network takes when it learns from a mistake.',
    step: 'any',
  },
  batchSize: {
    label: 'Batch size',
    noun: 'a batch size',
    example: '64',
    help: 'How many pictures the network looks at before each step.',
    step: '1',
  },
  epochs: {
    label: 'Epochs',
    noun: 'the number of epochs',
    example: '3',
    help: 'How many times the network sees the whole training set.',
    step: '1',
  },
  // Not "Epochs to wait": the Epochs box must stay the only field whose name contains "Epochs".
  patience: {
    label: 'Patience',
    noun: 'a patience',
    example: '2',
    help: 'How many epochs in a row without a better checking accuracy before training stops.',
    step: '1',
  },
  seed: {
    label: 'Random seed',
    noun: 'a random seed',
    example: '42',
    help: 'The same seed gives the same result when you train again on the same computer.',
    step: '1',
  },
};

/** The text a number box starts with; patience may be missing from older notebooks. */
export function settingText(training: TrainingSpec, field: NumericSetting): string {
  return String(field === 'patience' ? (training.patience ?? DEFAULT_PATIENCE) : training[field]);
}

export const LOSS_LABELS: Record<Loss, string> = {
  categoricalCrossentropy: 'Categorical crossentropy (a good default)',
  sparseCategoricalCrossentropy: 'Sparse categorical crossentropy (class numbers)',
  binaryCrossentropy: 'Binary crossentropy (two classes)',
  meanSquaredError: 'Mean squared error',
};

/** The Loss combobox's entries for a dataset; all of them while the dataset is unknown (a deleted data cell). */
export function lossChoices(resolved: ResolvedDataset): Loss[] {
  return resolved.ok ? lossesForClassCount(sourceInfo(resolved.source).classes.length) : [...LOSSES];
}

/**
 * The loss to keep after the dataset changes: the current one if it still fits, otherwise
 * the new dataset's default, so a student never trains with a loss the data cannot use.
 */
export function lossAfterDatasetChange(current: Loss, resolved: ResolvedDataset): Loss {
  if (!resolved.ok) return current;
  const classCount = sourceInfo(resolved.source).classes.length;
  return lossesForClassCount(classCount).includes(current) ? current : defaultLossFor(classCount);
}

export const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  adam: 'Adam (a good default)',
  sgd: 'SGD (plain gradient descent)',
  momentum: 'SGD with momentum',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
};

export const DATASET_LABELS: Record<BuiltInDatasetId, string> = {
  mnist: 'MNIST handwritten digits',
  iris: 'Iris flowers (4 measurements, 3 species)',
  circle: 'Circle (2-D points)',
  xor: 'XOR (2-D points)',
  gaussian: 'Two clusters (2-D points)',
  spiral: 'Spiral (2-D points)',
};

/** One entry of the training "Dataset" combobox. */
export interface DatasetChoice {
  /** The <option> value: a built-in id, or "cell:" and a data cell's id. */
  value: string;
  label: string;
}

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
 * The combobox's entries for a model cell: every built-in set, then the data cells above
 * it (numbered as the page numbers cells). A setting that points at a data cell which is no
 * longer above keeps an entry, so the page shows what is stored rather than silently
 * switching to another dataset.
 */
export function datasetChoices(cells: readonly Cell[], modelCellId: string, current: DatasetRef): DatasetChoice[] {
  const choices: DatasetChoice[] = BUILT_IN_DATASET_IDS.map((id) => ({ value: id, label: DATASET_LABELS[id] }));
  const modelIndex = cells.findIndex((c) => c.id === modelCellId);
  cells.forEach((cell, index) => {
    if (cell.type === 'data' && index < modelIndex) {
      choices.push({ value: datasetRefToValue({ cell: cell.id }), label: `Data cell ${index + 1}: ${describeSource(cell.source)}` });
    }
  });
  const currentValue = datasetRefToValue(current);
  if (!choices.some((c) => c.value === currentValue)) choices.push({ value: currentValue, label: 'A data cell that is not above this model' });
  return choices;
}

export type ParsedSetting = { ok: true; value: number } | { ok: false; message: string };

export function parseSetting(field: NumericSetting, text: string): ParsedSetting {
  const { label, noun, example } = NUMERIC_SETTINGS[field];
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Type ${noun}, for example ${example}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return { ok: false, message: `“${trimmed}” is not a number. Type ${noun}, for example ${example}.` };
  }
  const declared = trainingSpecSchema.shape[field];
  // Optional settings (older notebooks lack them) keep their limits on the inner schema.
  const schema = 'unwrap' in declared ? declared.unwrap() : declared;
  if (schema.safeParse(value).success) return { ok: true, value };
  const min = schema.minValue ?? 0;
  const max = schema.maxValue ?? Infinity;
  if (schema.isInt) return { ok: false, message: `${label} must be a whole number from ${min} to ${max}.` };
  return {
    ok: false,
    message: `${label} must be more than ${min} and at most ${max}. Small values such as ${example} work best.`,
  };
}

/** What a model cell's training section needs to know about the data: its choices and what its setting means now. */
export interface ModelDatasetContext {
  choices: DatasetChoice[];
  resolved: ResolvedDataset;
}

export function modelDatasetContexts(cells: readonly Cell[]): Map<string, ModelDatasetContext> {
  const contexts = new Map<string, ModelDatasetContext>();
  for (const cell of cells) {
    if (cell.type !== 'model') continue;
    contexts.set(cell.id, {
      choices: datasetChoices(cells, cell.id, cell.training.dataset),
      resolved: resolveDataset(cells, cell.id, cell.training.dataset),
    });
  }
  return contexts;
}

/** Changes only when something the Dataset settings depend on changes, so memoised cells skip other edits. */
export function datasetContextKey(cells: readonly Cell[]): string {
  return JSON.stringify(cells.map((c) => (c.type === 'data' ? [c.id, c.source] : c.type === 'model' ? [c.id, c.training.dataset] : c.id)));
}
