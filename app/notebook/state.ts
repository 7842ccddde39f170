import type { Cell, CellType, TrainingCell } from '../../blocks/format/notebook';
import { TRAINING_CELL_ID_PREFIX, newDataCell, newMarkdownCell, newModelCell } from '../../blocks/format/notebook';
import { newTrainingCell } from '../../blocks/templates/training-cell';
import type { DataSource, DatasetRef } from '../../blocks/format/datasets';
import { modelWorkspace } from '../../blocks/templates';

/**
 * The persisted part of an open notebook and the pure transitions that edit it. Derived data
 * (blocks/compile-notebook.ts) and runtime state (live training progress, save status) live
 * elsewhere, so that what is sent to `notebook.save` is exactly what a person authored.
 *
 * Every transition returns the same object when nothing changed, so React skips the
 * re-render and the autosaver is not woken for a no-op.
 */
export interface NotebookDoc {
  title: string;
  cells: Cell[];
}

export type NotebookEdit =
  | { type: 'setTitle'; title: string }
  | { type: 'addCell'; cellType: CellType; id: string; index: number }
  | { type: 'moveCell'; id: string; by: -1 | 1 }
  | { type: 'deleteCell'; id: string }
  | { type: 'setMarkdown'; id: string; source: string }
  /** A model or training cell's blocks changed. */
  | { type: 'setWorkspace'; id: string; workspace: Record<string, unknown> }
  | { type: 'setTrainingModel'; id: string; model: string }
  | { type: 'setTrainingDataset'; id: string; dataset: DatasetRef }
  | { type: 'setDataSource'; id: string; source: DataSource };

export const MAX_TITLE_LENGTH = 200;

export const NEW_MARKDOWN_SOURCE = '## Notes\n\nWrite what this part of the notebook is about.';

export function applyEdit(doc: NotebookDoc, edit: NotebookEdit): NotebookDoc {
  switch (edit.type) {
    case 'setTitle': {
      const title = edit.title.slice(0, MAX_TITLE_LENGTH);
      return title === doc.title ? doc : { ...doc, title };
    }
    case 'addCell': {
      if (doc.cells.some((c) => c.id === edit.id)) return doc;
      const index = Math.max(0, Math.min(edit.index, doc.cells.length));
      const added = newCells(doc.cells, edit.cellType, edit.id, index);
      return { ...doc, cells: [...doc.cells.slice(0, index), ...added, ...doc.cells.slice(index)] };
    }
    case 'moveCell': {
      const from = doc.cells.findIndex((c) => c.id === edit.id);
      const to = from + edit.by;
      if (from < 0 || to < 0 || to >= doc.cells.length) return doc;
      const cells = [...doc.cells];
      [cells[from], cells[to]] = [cells[to], cells[from]];
      return { ...doc, cells };
    }
    case 'deleteCell': {
      const cells = doc.cells.filter((c) => c.id !== edit.id);
      return cells.length === doc.cells.length ? doc : { ...doc, cells };
    }
    case 'setMarkdown':
      return updateCell(doc, edit.id, (cell) =>
        cell.type === 'markdown' && cell.source !== edit.source ? { ...cell, source: edit.source } : cell,
      );
    case 'setWorkspace':
      return updateCell(doc, edit.id, (cell) =>
        // Blockly reports events when a saved workspace is merely loaded; those are no edit.
        (cell.type === 'model' || cell.type === 'training') && !sameJson(cell.workspace, edit.workspace)
          ? { ...cell, workspace: edit.workspace }
          : cell,
      );
    case 'setTrainingModel':
      return updateCell(doc, edit.id, (cell) => (cell.type === 'training' && cell.model !== edit.model ? { ...cell, model: edit.model } : cell));
    case 'setTrainingDataset':
      return updateCell(doc, edit.id, (cell) =>
        // sameJson: the dataset may be an object ({ cell }), which a fresh copy would never equal by identity.
        cell.type === 'training' && !sameJson(cell.dataset, edit.dataset) ? ({ ...cell, dataset: edit.dataset } satisfies TrainingCell) : cell,
      );
    case 'setDataSource':
      return updateCell(doc, edit.id, (cell) =>
        cell.type === 'data' && !sameJson(cell.source, edit.source) ? { ...cell, source: edit.source } : cell,
      );
  }
}

/**
 * The cells an "add" button puts at `index`. A model cell comes with a training cell under it,
 * since a student expects to train what they built; a training cell on its own trains the
 * nearest model cell above it (none yet: the cell asks for one).
 */
function newCells(cells: readonly Cell[], cellType: CellType, id: string, index: number): Cell[] {
  switch (cellType) {
    case 'markdown':
      return [newMarkdownCell(id, NEW_MARKDOWN_SOURCE)];
    case 'data':
      return [newDataCell(id)];
    case 'model': {
      const model = newModelCell(id, starterWorkspace(id));
      const trainingId = TRAINING_CELL_ID_PREFIX + id;
      return cells.some((c) => c.id === trainingId) ? [model] : [model, newTrainingCell(trainingId, id)];
    }
    case 'training': {
      const nearestModel = cells.slice(0, index).findLast((c) => c.type === 'model');
      return [newTrainingCell(id, nearestModel?.id ?? '')];
    }
  }
}

/**
 * A new model cell starts with a model block holding an MNIST-shaped Input, so students
 * see where layers go instead of an empty canvas. Block ids are prefixed with the cell id
 * so two cells never share one.
 */
export function starterWorkspace(cellId: string): Record<string, unknown> {
  return modelWorkspace(cellId, 'My model', [{ key: 'input', args: { shape: [28, 28, 1] } }]);
}

function updateCell(doc: NotebookDoc, id: string, update: (cell: Cell) => Cell): NotebookDoc {
  let changed = false;
  const cells = doc.cells.map((cell) => {
    if (cell.id !== id) return cell;
    const next = update(cell);
    changed ||= next !== cell;
    return next;
  });
  return changed ? { ...doc, cells } : doc;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Cell ids only need to be unique within a notebook; they also name Blockly workspaces in the DOM. */
export function newCellId(random: () => number = Math.random): string {
  return `cell-${Date.now().toString(36)}-${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
}

/**
 * Whether an edit would change or delete a cell the teacher locked. Moving a locked cell is
 * allowed (cells are matched by id, not place); the server refuses the rest at save, and the
 * page drops them before they get that far.
 */
export function changesLockedCell(edit: NotebookEdit, locked: ReadonlySet<string>): boolean {
  if (edit.type === 'setTitle' || edit.type === 'addCell' || edit.type === 'moveCell') return false;
  return locked.has(edit.id);
}
