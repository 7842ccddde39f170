import type { Cell, CellType } from './format/notebook';

/**
 * Locked cells of an assignment: students read and run them but may not change them. Cells
 * are matched by their stable id, never by position, so moving, deleting or duplicating other
 * cells changes nothing here (a duplicate gets a new id and is the student's own).
 */

/** What happened to one locked cell in a student's notebook. */
export interface LockedCellIssue {
  cellId: string;
  problem: 'changed' | 'missing';
}

const TYPE_WORDS: Record<CellType, string> = {
  markdown: 'text cell',
  model: 'model cell',
  data: 'data cell',
  training: 'training cell',
};

/** JSON with object keys in order, so two cells compare equal whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sameCell(a: Cell, b: Cell): boolean {
  return canonical(a) === canonical(b);
}

/** Locked cells of the template that the notebook changed or lost: flagged on a hand-in, never fatal. */
export function lockedCellIssues(template: readonly Cell[], lockedCellIds: readonly string[], cells: readonly Cell[]): LockedCellIssue[] {
  const issues: LockedCellIssue[] = [];
  for (const id of lockedCellIds) {
    const original = template.find((c) => c.id === id);
    if (!original) continue;
    const mine = cells.find((c) => c.id === id);
    if (!mine) issues.push({ cellId: id, problem: 'missing' });
    else if (!sameCell(mine, original)) issues.push({ cellId: id, problem: 'changed' });
  }
  return issues;
}

/** "cell 2 (a text cell starting “Train a network…”)": which cell, in words a student finds it by. */
export function describeCell(cell: Cell, position: number): string {
  const type = TYPE_WORDS[cell.type];
  const article = /^[aeiou]/.test(type) ? 'an' : 'a';
  if (cell.type === 'markdown') {
    const start = cell.source.replace(/[#*_`>\s]+/g, ' ').trim().slice(0, 40);
    if (start) return `cell ${position} (${article} ${type} starting “${start}${cell.source.length > 40 ? '…' : ''}”)`;
  }
  return `cell ${position} (${article} ${type})`;
}

/**
 * Why a save of a student's copy may not land, or null when it may. A locked cell may not
 * change and may not be deleted; one that already differs from the template in what is
 * stored (the teacher locked it after the student changed it) may stay as it is, so the
 * student is never stuck with a notebook they cannot save.
 */
export function lockedCellSaveProblem(
  template: readonly Cell[],
  lockedCellIds: readonly string[],
  stored: readonly Cell[],
  next: readonly Cell[],
): string | null {
  for (const id of lockedCellIds) {
    const original = template.find((c) => c.id === id);
    if (!original) continue;
    const before = stored.find((c) => c.id === id);
    const nextIndex = next.findIndex((c) => c.id === id);
    const after = next[nextIndex];
    if (!after) {
      if (!before) continue;
      const position = stored.indexOf(before) + 1;
      return `Your teacher locked ${describeCell(before, position)}, so it cannot be deleted. Reload the notebook to get it back.`;
    }
    if (sameCell(after, original) || (before && sameCell(after, before))) continue;
    return `Your teacher locked ${describeCell(original, nextIndex + 1)}, so it cannot be changed. Reload the notebook to get it back as it was, and make your changes in the other cells.`;
  }
  return null;
}

const KIND_WORDS: Record<CellType, string> = { markdown: 'Text', model: 'Model', data: 'Data', training: 'Training' };

/**
 * "Cell 1 · Text · Two clusters": enough to tell cells apart where a teacher ticks the cells to
 * lock, when making the assignment and when changing its locks on the class card.
 */
export function lockChoiceLabel(cell: Cell, index: number): string {
  return `Cell ${index + 1} · ${cellSummary(cell)}`;
}

/** "Text · Two clusters", "Model": a cell's kind and, for text, how it starts. */
function cellSummary(cell: Cell): string {
  const kind = KIND_WORDS[cell.type];
  if (cell.type !== 'markdown') return kind;
  const start = cell.source.replace(/[#*_`>\s]+/g, ' ').trim();
  return start ? `${kind} · ${start.length > 48 ? `${start.slice(0, 48)}…` : start}` : kind;
}

/** A locked cell the page held in the student's own version, put back as the teacher wrote it. */
export interface PutBackCell {
  /** The student's version, so they can keep their words (e.g. copy a text cell's markdown). */
  mine: Cell;
  /** The teacher's version, which the notebook holds now. */
  teacher: Cell;
  /** Where it is in the notebook, counted from 0. */
  index: number;
}

/**
 * The student's cells with every locked cell that differs from the teacher's version put back
 * as the teacher wrote it; every other cell stays as it is, and `cells` is the same array when
 * nothing differs. A locked cell the student deleted before the lock stays deleted (the server
 * takes that save), and one the teacher's version lacks is left alone.
 */
export function putBackLockedCells(cells: Cell[], teacherCells: readonly Cell[]): { cells: Cell[]; putBack: PutBackCell[] } {
  const teacherVersion = new Map(teacherCells.map((cell) => [cell.id, cell]));
  const putBack: PutBackCell[] = [];
  const next = cells.map((cell, index) => {
    const original = teacherVersion.get(cell.id);
    if (!original || sameCell(cell, original)) return cell;
    putBack.push({ mine: cell, teacher: original, index });
    return original;
  });
  return { cells: putBack.length > 0 ? next : cells, putBack };
}

/**
 * "Your teacher locked cell 2 (Text · Your notes go here). Your changes to it were put back as
 * your teacher wrote it": what the page tells a student whose cells were put back.
 */
export function putBackWords(putBack: readonly PutBackCell[]): string {
  // A text's closing full stop would stand before the sentence's own: "(Text · Notes go here)."
  const named = putBack.map(({ teacher, index }) => `${index + 1} (${cellSummary(teacher).replace(/[.!?]+$/, '')})`);
  const list = named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
  const one = putBack.length === 1;
  return `Your teacher locked ${one ? 'cell' : 'cells'} ${list}. Your changes to ${one ? 'it were' : 'them were'} put back as your teacher wrote ${one ? 'it' : 'them'}`;
}
