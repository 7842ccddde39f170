import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { lockedCellSaveProblem } from '../../blocks/locked-cells';
import { NOTEBOOK_FORMAT_VERSION, type Cell } from '../../blocks/format/notebook';
import { NotebookMigrationError, readStoredCells as migrateAndParse } from '../../blocks/format/notebook-migrations';
import type { Database } from '../../db/client';
import { preparedPerDatabase } from '../../db/prepared';
import { countTryStep, refusedTry, tryPlaceholders, type TryToCount } from '../rate-limit/limiter';
import { newNotebookCells } from './seed';
import { assignments, notebooks } from '../../db/schema';
import { ServiceError, notebookNotFound } from './errors';

export const DEFAULT_NOTEBOOK_TITLE = 'Untitled notebook';

export const NOTEBOOK_CONFLICT_MESSAGE =
  'This notebook was changed in another tab or window. Reload to get the newest version; your changes here were not saved.';

export interface NotebookListItem {
  id: string;
  title: string;
  updatedAt: string;
  cellCount: number;
}

export interface NotebookDocument {
  id: string;
  title: string;
  cells: Cell[];
  version: number;
  updatedAt: string;
}

export async function listNotebooks(db: Database, userId: string): Promise<NotebookListItem[]> {
  const rows = await db
    .select({
      id: notebooks.id,
      title: notebooks.title,
      updatedAt: notebooks.updatedAt,
      cellCount: sql<number>`jsonb_array_length(${notebooks.cells})`.mapWith(Number),
    })
    .from(notebooks)
    .where(eq(notebooks.ownerId, userId))
    .orderBy(desc(notebooks.updatedAt), desc(notebooks.createdAt));
  return rows.map((row) => ({ ...row, updatedAt: row.updatedAt.toISOString() }));
}

export async function createNotebook(db: Database, userId: string, input: { title?: string }): Promise<{ id: string }> {
  const title = input.title?.trim() || DEFAULT_NOTEBOOK_TITLE;
  const [row] = await db
    .insert(notebooks)
    .values({ ownerId: userId, title, cells: newNotebookCells(), formatVersion: NOTEBOOK_FORMAT_VERSION })
    .returning({ id: notebooks.id });
  return { id: row!.id };
}

export async function getNotebook(db: Database, userId: string, id: string): Promise<NotebookDocument> {
  const [row] = await db
    .select({
      id: notebooks.id,
      title: notebooks.title,
      cells: notebooks.cells,
      formatVersion: notebooks.formatVersion,
      version: notebooks.version,
      updatedAt: notebooks.updatedAt,
    })
    .from(notebooks)
    .where(ownedNotebook(userId, id))
    .limit(1);
  if (!row) throw notebookNotFound();
  const { cells, migrated } = readStoredCells(row);
  if (migrated) {
    // Stored in the new form at once (same content, so the version stays), so every later
    // reader (run.start, an export) sees the cells this page shows. Guarded by the old format
    // version: a save that landed in between wins.
    await db
      .update(notebooks)
      .set({ cells, formatVersion: NOTEBOOK_FORMAT_VERSION })
      .where(and(eq(notebooks.id, row.id), eq(notebooks.formatVersion, row.formatVersion)));
  }
  return { id: row.id, title: row.title, cells, version: row.version, updatedAt: row.updatedAt.toISOString() };
}

/**
 * A notebook's cells as this Layerbook reads them, whatever version stored them (older
 * notebooks are migrated, then parsed: see blocks/format/notebook-migrations.ts). Every
 * service reading notebooks.cells goes through here.
 */
export function readStoredCells(row: { cells: unknown; formatVersion: number }): { cells: Cell[]; migrated: boolean } {
  try {
    return migrateAndParse(row.cells, row.formatVersion);
  } catch (error) {
    if (error instanceof NotebookMigrationError) throw new ServiceError('CONFLICT', error.message);
    throw error;
  }
}

export interface SaveNotebookInput {
  id: string;
  /** The version the client loaded; the save only lands if nobody saved in between. */
  version: number;
  title: string;
  cells: Cell[];
}

/**
 * `count`: the save's rate-limit count when the counts are in the database
 * (RateLimits.countSave); the save's own statement makes it, and refuses past the limit.
 */
export async function saveNotebook(
  db: Database,
  userId: string,
  input: SaveNotebookInput,
  count: TryToCount | null = null,
): Promise<{ version: number; updatedAt: string }> {
  assertUniqueCellIds(input.cells);
  const title = input.title.trim() || DEFAULT_NOTEBOOK_TITLE;
  // Stored as the student made them: nothing is compiled here (blocks/compile-notebook.ts
  // derives the rest when it is needed). One conditional UPDATE, so two tabs saving at once
  // cannot both win.
  const values = { id: input.id, ownerId: userId, version: input.version, title, cells: JSON.stringify(input.cells) };
  let saved: { version: number | null; updatedAt: Date | null } | undefined;
  if (count) {
    const [counted] = await preparedCountedSave(db).execute({ ...values, ...tryPlaceholders(count) });
    const refusal = refusedTry(count, counted!);
    if (refusal) throw refusal;
    saved = counted;
  } else {
    [saved] = await preparedSave(db).execute(values);
  }
  if (saved?.version && saved.updatedAt) return { version: saved.version, updatedAt: saved.updatedAt.toISOString() };

  const [exists] = await db.select({ id: notebooks.id, assignmentId: notebooks.assignmentId }).from(notebooks).where(ownedNotebook(userId, input.id)).limit(1);
  if (!exists) throw notebookNotFound();
  if (exists.assignmentId) return saveAssignmentCopy(db, userId, { ...input, title }, exists.assignmentId);
  throw new ServiceError('CONFLICT', NOTEBOOK_CONFLICT_MESSAGE);
}

/**
 * A student's copy of an assignment saves like any notebook once its locked cells are checked
 * against the assignment (blocks/locked-cells.ts): a save that changes or deletes one is
 * refused, naming the cell, and nothing is stored. Kept off the common path: the prepared save
 * above skips copies, so other notebooks pay nothing for this.
 */
async function saveAssignmentCopy(db: Database, userId: string, input: SaveNotebookInput, assignmentId: string): Promise<{ version: number; updatedAt: string }> {
  const [row] = await db
    .select({ cells: notebooks.cells, formatVersion: notebooks.formatVersion, template: assignments.cells, templateFormat: assignments.formatVersion, locked: assignments.lockedCellIds })
    .from(notebooks)
    .innerJoin(assignments, eq(assignments.id, notebooks.assignmentId))
    .where(and(ownedNotebook(userId, input.id), eq(notebooks.assignmentId, assignmentId), eq(notebooks.version, input.version)))
    .limit(1);
  if (!row) throw new ServiceError('CONFLICT', NOTEBOOK_CONFLICT_MESSAGE);
  if (row.locked.length > 0) {
    const template = readStoredCells({ cells: row.template, formatVersion: row.templateFormat }).cells;
    const problem = lockedCellSaveProblem(template, row.locked, readStoredCells(row).cells, input.cells);
    if (problem) throw new ServiceError('BAD_REQUEST', problem);
  }
  const [saved] = await db
    .update(notebooks)
    .set({ title: input.title, cells: input.cells, formatVersion: NOTEBOOK_FORMAT_VERSION, version: sql`${notebooks.version} + 1`, updatedAt: sql`now()` })
    .where(and(ownedNotebook(userId, input.id), eq(notebooks.version, input.version)))
    .returning({ version: notebooks.version, updatedAt: notebooks.updatedAt });
  if (!saved) throw new ServiceError('CONFLICT', NOTEBOOK_CONFLICT_MESSAGE);
  return { version: saved.version, updatedAt: saved.updatedAt.toISOString() };
}

/**
 * The save's UPDATE, for a notebook that is not an assignment copy (those have locked cells to
 * check first: saveAssignmentCopy), made only when `allowed` holds.
 */
function saveUpdate(db: Database, allowed?: SQL) {
  return db
    .update(notebooks)
    .set({
      title: sql`${sql.placeholder('title')}`,
      cells: sql`${sql.placeholder('cells')}::jsonb`,
      formatVersion: NOTEBOOK_FORMAT_VERSION,
      version: sql`${notebooks.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(notebooks.id, sql.placeholder('id')),
        eq(notebooks.ownerId, sql.placeholder('ownerId')),
        eq(notebooks.version, sql.placeholder('version')),
        isNull(notebooks.assignmentId),
        allowed,
      ),
    )
    .returning({ version: notebooks.version, updatedAt: notebooks.updatedAt });
}

/** Saves are the most frequent request, so their statements are built once per database. */
const preparedSave = preparedPerDatabase((db) => saveUpdate(db).prepare('save_notebook'));

/**
 * The save and its rate-limit count in one statement, one round trip and one commit: the
 * count is made whatever happens to the save (a refused or conflicting save counts too), and
 * the UPDATE changes nothing past the limit. Always one row: the count, and the saved
 * version when there was a save.
 */
const preparedCountedSave = preparedPerDatabase((db) => {
  const counted = countTryStep(db);
  const saved = db
    .$with('saved', { version: sql<number>`version`.mapWith(Number).as('version'), updatedAt: sql<Date>`updated_at`.mapWith(notebooks.updatedAt).as('updated_at') })
    .as(saveUpdate(db, sql`(select points from ${counted}) <= ${sql.placeholder('tryLimit')}`).getSQL());
  return db
    .with(counted, saved)
    .select({ points: counted.points, expire: counted.expire, version: saved.version, updatedAt: saved.updatedAt })
    .from(counted)
    .leftJoin(saved, sql`true`)
    .prepare('save_notebook_counted');
});

export async function deleteNotebook(db: Database, userId: string, id: string): Promise<{ ok: true }> {
  const deleted = await db.delete(notebooks).where(ownedNotebook(userId, id)).returning({ id: notebooks.id });
  if (deleted.length === 0) throw notebookNotFound();
  return { ok: true };
}

/** Another user's notebook matches nothing, so "not yours" and "does not exist" look the same. */
export function ownedNotebook(userId: string, id: string) {
  return and(eq(notebooks.id, id), eq(notebooks.ownerId, userId));
}

function assertUniqueCellIds(cells: readonly Cell[]): void {
  const seen = new Set<string>();
  for (const [index, cell] of cells.entries()) {
    if (seen.has(cell.id)) {
      throw new ServiceError(
        'BAD_REQUEST',
        `cells.${index}.id: two cells have the same id "${cell.id}". Every cell needs its own id; reload the notebook and try again.`,
      );
    }
    seen.add(cell.id);
  }
}
