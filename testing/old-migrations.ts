import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { OpenedDatabase } from '../db/client';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../db/migrate';

/**
 * Applies the committed migrations up to and including `lastTag` only: a database as an older
 * Layerbook left it, for tests of what the later migrations do to its rows.
 */
export async function migrateUpTo(database: OpenedDatabase, lastTag: string): Promise<void> {
  const folder = mkdtempSync(path.join(tmpdir(), 'layerbook-old-migrations-'));
  try {
    mkdirSync(path.join(folder, 'meta'));
    const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
    const last = journal.entries.findIndex((e) => e.tag === lastTag);
    if (last < 0) throw new Error(`No migration is tagged ${lastTag}; see db/migrations/meta/_journal.json.`);
    const entries = journal.entries.slice(0, last + 1);
    for (const { tag } of entries) copyFileSync(path.join(MIGRATIONS_FOLDER, `${tag}.sql`), path.join(folder, `${tag}.sql`));
    writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
    await migrateDatabase(database, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * A run as every release since the first stored one, in SQL: drizzle's insert names every
 * column of today's schema, which an older database does not have yet.
 */
export async function insertOldRun(
  database: OpenedDatabase,
  run: { notebookId: string; cellId: string; ownerId: string; spec: unknown; training: unknown; totalParams: number; status: 'queued' | 'succeeded' },
): Promise<string> {
  const [row] = await database.query<{ id: string }>(
    sql`insert into runs (notebook_id, cell_id, owner_id, spec, training, total_params, status)
        values (${run.notebookId}, ${run.cellId}, ${run.ownerId}, ${JSON.stringify(run.spec)}::jsonb, ${JSON.stringify(run.training)}::jsonb, ${run.totalParams}, ${run.status})
        returning id`,
  );
  return row!.id;
}
