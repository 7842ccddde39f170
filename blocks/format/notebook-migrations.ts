/**
 * Stored notebook cells are read through here, never parsed directly: a notebook saved by an
 * older Layerbook is upgraded step by step to NOTEBOOK_FORMAT_VERSION, then parsed with the
 * current schema, before anything else sees it (tldraw's tlschema does the same). Pure: no
 * database, no clock.
 *
 * Every step is FROZEN: it is a function of the old data alone and never calls live code
 * (templates, compilers, the current schema), whose later changes would otherwise change what
 * an old notebook opens as. Block type names, field names and defaults a step writes are
 * copied into it as they were in the release that introduced the step. Each step is tested
 * from stored notebooks of the format it reads (./fixtures/notebook-v<n>.json).
 */
import { cellsSchema, MAX_CELL_ID_LENGTH, NOTEBOOK_FORMAT_VERSION, TRAINING_CELL_ID_PREFIX, type Cell } from './notebook';

type StoredCell = Record<string, unknown>;

/**
 * NOTEBOOK_MIGRATIONS[n] turns version-n cells into version-(n+1) cells. When a step changes
 * cell ids, the SQL migration of the same release re-points runs.cell_id the same way.
 */
const NOTEBOOK_MIGRATIONS: Record<number, (cells: StoredCell[]) => StoredCell[]> = {
  1: splitTrainingCells,
  2: keepOnlyAuthoredData,
};

export class NotebookMigrationError extends Error {
  override name = 'NotebookMigrationError';
}

export interface MigratedCells {
  cells: Cell[];
  /** True when the stored cells were older than NOTEBOOK_FORMAT_VERSION (the next save writes the new form). */
  migrated: boolean;
}

/**
 * The one reading point for stored notebook cells: migrate, then parse with the schema, so
 * no caller ever sees jsonb it has not checked. Throws NotebookMigrationError, saying what is
 * wrong, for cells no version of Layerbook could have written.
 */
export function readStoredCells(stored: unknown, version: number): MigratedCells {
  const migrated = migrateNotebookCells(stored, version);
  const parsed = cellsSchema.safeParse(migrated);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NotebookMigrationError(`This saved notebook is damaged (at cells.${issue.path.join('.')}: ${issue.message}).`);
  }
  return { cells: parsed.data, migrated: version < NOTEBOOK_FORMAT_VERSION };
}

/** Stored cells of format `version`, upgraded to NOTEBOOK_FORMAT_VERSION but not yet parsed. */
export function migrateNotebookCells(stored: unknown, version: number): unknown[] {
  if (!Array.isArray(stored)) throw new NotebookMigrationError('This saved notebook is damaged: its cells are not a list.');
  if (!Number.isInteger(version) || version < 1) throw new NotebookMigrationError(`This saved notebook has no valid format version (found ${version}).`);
  if (version > NOTEBOOK_FORMAT_VERSION) {
    throw new NotebookMigrationError(
      `This notebook was saved by a newer Layerbook (format ${version}); this one reads formats up to ${NOTEBOOK_FORMAT_VERSION}. Update Layerbook to open it.`,
    );
  }
  let cells = stored.filter(isRecord);
  for (let v = version; v < NOTEBOOK_FORMAT_VERSION; v++) {
    const step = NOTEBOOK_MIGRATIONS[v];
    if (!step) throw new NotebookMigrationError(`No migration from notebook format ${v} to ${v + 1}.`);
    cells = step(cells);
  }
  return cells;
}

/** The id an older model cell's training cell gets; runs move to it in SQL migration 0004 ('train-' || cell_id). */
export function trainingCellIdFor(modelCellId: string): string {
  return TRAINING_CELL_ID_PREFIX + modelCellId;
}

// ---------------------------------------------------------------------------------------
// Format 1 → 2 (frozen). Values below are copied from the release that split training cells
// out of model cells; do not replace them by imports.

const V1_OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'];
const V1_LOSSES = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'];
const V1_METRICS = ['accuracy', 'precision', 'recall', 'meanAbsoluteError', 'meanSquaredError'];
const V1_BUILT_IN_DATASETS = ['mnist', 'iris', 'circle', 'xor', 'gaussian', 'spiral'];

interface V1Training {
  dataset: unknown;
  optimizer: string;
  learningRate: number;
  momentum?: number;
  batchSize: number;
  epochs: number;
  loss: string;
  seed: number;
  earlyStopping?: boolean;
  patience?: number;
  metrics?: string[];
  validationSplit?: number;
}

const V1_DEFAULT_TRAINING: V1Training = {
  dataset: 'mnist',
  optimizer: 'adam',
  learningRate: 0.003,
  batchSize: 32,
  epochs: 4,
  loss: 'categoricalCrossentropy',
  seed: 42,
};
const V1_DEFAULT_MOMENTUM = 0.9;
const V1_DEFAULT_PATIENCE = 2;

const isNumberIn = (min: number, max: number, integer = false) => (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v));

/** The format-1 rule for each stored setting (its zod schema of that release, written out). */
const V1_SETTING_IS_VALID: Record<keyof V1Training, (value: unknown) => boolean> = {
  dataset: (v) =>
    (typeof v === 'string' && V1_BUILT_IN_DATASETS.includes(v)) ||
    (isRecord(v) && typeof v.cell === 'string' && v.cell.length >= 1 && v.cell.length <= 100),
  optimizer: (v) => typeof v === 'string' && V1_OPTIMIZERS.includes(v),
  learningRate: (v) => typeof v === 'number' && v > 0 && v <= 10,
  momentum: isNumberIn(0, 0.99),
  batchSize: isNumberIn(1, 4096, true),
  epochs: isNumberIn(1, 100, true),
  loss: (v) => typeof v === 'string' && V1_LOSSES.includes(v),
  seed: isNumberIn(0, 2 ** 31 - 1, true),
  earlyStopping: (v) => typeof v === 'boolean',
  patience: isNumberIn(1, 100, true),
  metrics: (v) => Array.isArray(v) && v.length <= V1_METRICS.length && v.every((m) => typeof m === 'string' && V1_METRICS.includes(m)),
  validationSplit: isNumberIn(0, 0.5),
};

/**
 * Format 1 → 2: a model cell's training settings move into a training cell right after it,
 * its blocks written from those settings, so nothing a student set is lost. The dataset
 * choice moves with them (a data cell above the model is above the new cell too).
 */
function splitTrainingCells(cells: StoredCell[]): StoredCell[] {
  const taken = new Set(cells.map((c) => c.id).filter((id): id is string => typeof id === 'string'));
  const result: StoredCell[] = [];
  for (const cell of cells) {
    if (cell.type !== 'model' || typeof cell.id !== 'string') {
      result.push(cell);
      continue;
    }
    const { training, ...model } = cell;
    result.push(model);
    const id = freeId(trainingCellIdFor(cell.id), taken);
    const old = readV1Training(training);
    const { workspace, settings } = v2TrainingWorkspace(id, old);
    result.push({ id, type: 'training', model: cell.id, workspace, training: { ...settings, dataset: old.dataset } });
  }
  return result;
}

/** Each stored setting that is still valid; anything missing or damaged takes its default. */
function readV1Training(stored: unknown): V1Training {
  const settings: Record<string, unknown> = { ...V1_DEFAULT_TRAINING };
  if (!isRecord(stored)) return settings as unknown as V1Training;
  for (const [key, isValid] of Object.entries(V1_SETTING_IS_VALID)) {
    if (key in stored && isValid(stored[key])) settings[key] = stored[key];
  }
  return settings as unknown as V1Training;
}

type Block = Record<string, unknown>;

/**
 * The format-2 training workspace for `s` (as the training template of that release wrote
 * it: one block per setting in a "train" block), and the settings those blocks read as.
 */
function v2TrainingWorkspace(idPrefix: string, s: V1Training): { workspace: Record<string, unknown>; settings: Record<string, unknown> } {
  const momentum = s.momentum ?? V1_DEFAULT_MOMENTUM;
  const patience = s.patience ?? V1_DEFAULT_PATIENCE;
  const metrics = (s.metrics ?? []).filter((m) => m !== 'accuracy');
  const validationSplit = s.validationSplit ?? 0;
  const earlyStopping = s.earlyStopping ?? false;
  const blocks: Block[] = [
    {
      type: `optimizer_${s.optimizer}`,
      id: `${idPrefix}-optimizer`,
      fields: s.optimizer === 'momentum' ? { learningRate: s.learningRate, momentum } : { learningRate: s.learningRate },
    },
    { type: 'train_loss', id: `${idPrefix}-loss`, fields: { loss: s.loss } },
    ...metrics.map((metric) => ({ type: 'train_metric', id: `${idPrefix}-metric-${metric}`, fields: { metric } })),
    { type: 'train_epochs', id: `${idPrefix}-epochs`, fields: { epochs: s.epochs } },
    { type: 'train_batch_size', id: `${idPrefix}-batch-size`, fields: { batchSize: s.batchSize } },
    ...(validationSplit ? [{ type: 'train_validation_split', id: `${idPrefix}-validation-split`, fields: { validationSplit } }] : []),
    ...(earlyStopping ? [{ type: 'train_early_stopping', id: `${idPrefix}-early-stopping`, fields: { patience } }] : []),
    { type: 'train_seed', id: `${idPrefix}-seed`, fields: { seed: s.seed } },
  ];
  let chain: Block | undefined;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block: Block = { ...blocks[i]! };
    if (chain) block.next = { block: chain };
    chain = block;
  }
  const train: Block = { type: 'train', id: `${idPrefix}-train`, x: 40, y: 40, inputs: { SETTINGS: { block: chain } } };
  const settings: Record<string, unknown> = {
    optimizer: s.optimizer,
    learningRate: s.learningRate,
    ...(s.optimizer === 'momentum' ? { momentum } : {}),
    loss: s.loss,
    metrics,
    epochs: s.epochs,
    batchSize: s.batchSize,
    validationSplit,
    earlyStopping,
    ...(earlyStopping ? { patience } : {}),
    seed: s.seed,
  };
  return { workspace: { blocks: { languageVersion: 0, blocks: [train] } }, settings };
}

/**
 * `wanted`, or with "-2", "-3"… added if a cell already has that id. Only a notebook with a
 * cell its author named "train-…" by hand could need it; the ids Layerbook makes never do.
 */
function freeId(wanted: string, taken: Set<string>): string {
  let id = wanted.slice(0, MAX_CELL_ID_LENGTH);
  for (let n = 2; taken.has(id); n++) id = `${wanted.slice(0, MAX_CELL_ID_LENGTH - String(n).length - 1)}-${n}`;
  taken.add(id);
  return id;
}

// ---------------------------------------------------------------------------------------
// Format 2 → 3 (frozen).

/**
 * Format 2 → 3: cells keep only what the student made. A model cell's compiled `spec` and a
 * training cell's compiled `training` settings are dropped (the blocks say the same and are
 * compiled when needed); the dataset picked in the training cell's header, which lived inside
 * `training`, moves to the cell's top level.
 */
function keepOnlyAuthoredData(cells: StoredCell[]): StoredCell[] {
  return cells.map((cell) => {
    if (cell.type === 'model') {
      const { spec: _spec, ...authored } = cell;
      return authored;
    }
    if (cell.type === 'training') {
      const { training, ...authored } = cell;
      const dataset = isRecord(training) ? training.dataset : undefined;
      return { ...authored, dataset: V1_SETTING_IS_VALID.dataset(dataset) ? dataset : 'mnist' };
    }
    return cell;
  });
}

function isRecord(value: unknown): value is StoredCell {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
