/**
 * Stored notebook cells are read through here, never parsed directly, so a notebook saved by
 * an older Layerbook is upgraded step by step to NOTEBOOK_FORMAT_VERSION before anything else
 * sees it (the same idea as ./migrations.ts for model specs). Pure: no database, no clock.
 */
import { trainingWorkspace } from '../templates/training';
import { DEFAULT_TRAINING, trainingSpecSchema, type TrainingSpec } from './model-spec';
import { MAX_CELL_ID_LENGTH, NOTEBOOK_FORMAT_VERSION, TRAINING_CELL_ID_PREFIX, type Cell } from './notebook';
import { trainingFromWorkspace } from './training-from-workspace';

type StoredCell = Record<string, unknown>;

/**
 * NOTEBOOK_MIGRATIONS[n] turns version-n cells into version-(n+1) cells. When a step changes
 * cell ids, the SQL migration of the same release re-points runs.cell_id the same way.
 */
const NOTEBOOK_MIGRATIONS: Record<number, (cells: StoredCell[]) => StoredCell[]> = {
  1: splitTrainingCells,
};

export class NotebookMigrationError extends Error {
  override name = 'NotebookMigrationError';
}

export interface MigratedCells {
  cells: Cell[];
  /** True when the stored cells were older than NOTEBOOK_FORMAT_VERSION (the next save writes the new form). */
  migrated: boolean;
}

export function migrateNotebookCells(stored: unknown, version: number): MigratedCells {
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
  return { cells: cells as Cell[], migrated: version < NOTEBOOK_FORMAT_VERSION };
}

/** The id an older model cell's training cell gets; runs move to it in SQL migration 0004 ('train-' || cell_id). */
export function trainingCellIdFor(modelCellId: string): string {
  return TRAINING_CELL_ID_PREFIX + modelCellId;
}

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
    const old = readOldTraining(training);
    const workspace = trainingWorkspace(id, old) as Record<string, unknown>;
    result.push({ id, type: 'training', model: cell.id, workspace, training: { ...trainingFromWorkspace(workspace).settings, dataset: old.dataset } });
  }
  return result;
}

/** Each stored setting that is still valid; anything missing or damaged takes its default. */
function readOldTraining(stored: unknown): TrainingSpec {
  const settings: Record<string, unknown> = { ...DEFAULT_TRAINING };
  if (!isRecord(stored)) return settings as TrainingSpec;
  for (const [key, schema] of Object.entries(trainingSpecSchema.shape)) {
    if (key in stored && schema.safeParse(stored[key]).success) settings[key] = stored[key];
  }
  return settings as TrainingSpec;
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

function isRecord(value: unknown): value is StoredCell {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
