import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../blocks/spec/model-spec';
import type { TrainingCell } from '../../blocks/format/notebook';
import { mnistMlpWorkspace } from '../../blocks/templates';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../db/migrate';
import { notebooks, runs, users } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../db/testing';
import { FakeRunQueue } from './fake-run-queue';
import { getNotebook } from './notebooks';
import { listRuns, startRun } from './runs';

/** The committed migrations up to and including `lastTag`, in a folder of their own: a database as an older Layerbook left it. */
function migrationsUpTo(lastTag: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'layerbook-old-migrations-'));
  mkdirSync(path.join(folder, 'meta'));
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: Array<{ tag: string }> };
  const entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === lastTag) + 1);
  for (const { tag } of entries) copyFileSync(path.join(MIGRATIONS_FOLDER, `${tag}.sql`), path.join(folder, `${tag}.sql`));
  writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return folder;
}

describe.each([{ kind: 'pglite' as const }, { kind: 'postgres' as const }])('upgrading notebooks stored before training cells ($kind)', ({ kind }) => {
  let database: TestDatabase;
  let oldFolder: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { migrate: false });
    oldFolder = migrationsUpTo('0003_chunks_classes_notes');
    const config = { migrationsFolder: oldFolder };
    if (database.kind === 'pglite') await migratePglite(database.db as unknown as PgliteDatabase, config);
    else await migratePostgres(database.db as unknown as PostgresJsDatabase, config);
  });
  afterAll(async () => {
    await database?.destroy();
    if (oldFolder) rmSync(oldFolder, { recursive: true, force: true });
  });

  it('moves runs to the new training cell, which the notebook gets on its next read, settings and all', async () => {
    const db = database.db;
    const [user] = await db.insert(users).values({ displayName: 'Old student' }).returning({ id: users.id });
    const oldTraining = { ...DEFAULT_TRAINING, epochs: 7, batchSize: 64, optimizer: 'rmsprop' as const, learningRate: 0.001 };
    const oldCells = [
      { id: 'intro', type: 'markdown', source: '# Digits' },
      { id: 'model-a', type: 'model', workspace: mnistMlpWorkspace(), spec: null, training: oldTraining },
    ];
    // The cells as format 1 stored them: typed loosely on purpose, since today's Cell type has no `training` on models.
    const [notebook] = await db
      .insert(notebooks)
      .values({ ownerId: user!.id, title: 'Before', cells: oldCells as never, specVersion: 1 })
      .returning({ id: notebooks.id });
    const [run] = await db
      .insert(runs)
      .values({ notebookId: notebook!.id, cellId: 'model-a', ownerId: user!.id, spec: { specVersion: 1, kind: 'sequential', name: 'm', layers: [], inputs: [], outputs: [] }, training: oldTraining, totalParams: 1, status: 'succeeded' })
      .returning({ id: runs.id });

    await migrateDatabase(database);

    const [moved] = await db.select({ cellId: runs.cellId }).from(runs).where(eq(runs.id, run!.id));
    expect(moved!.cellId).toBe('train-model-a');

    const read = await getNotebook(db, user!.id, notebook!.id);
    expect(read.cells.map((c) => [c.id, c.type])).toEqual([
      ['intro', 'markdown'],
      ['model-a', 'model'],
      ['train-model-a', 'training'],
    ]);
    const training = read.cells[2] as TrainingCell;
    expect(training).toMatchObject({ model: 'model-a', training: { epochs: 7, batchSize: 64, optimizer: 'rmsprop', learningRate: 0.001, dataset: 'mnist' } });
    // Stored in the new form at once, without counting as an edit.
    const [row] = await db.select({ specVersion: notebooks.specVersion, version: notebooks.version, cells: notebooks.cells }).from(notebooks).where(eq(notebooks.id, notebook!.id));
    expect(row).toMatchObject({ specVersion: 2, version: read.version });
    expect(row!.cells).toEqual(read.cells);

    // The run history stays with the cell, and the cell trains.
    expect((await listRuns(db, user!.id, { notebookId: notebook!.id, cellId: 'train-model-a' })).map((r) => r.id)).toEqual([run!.id]);
    const queue = new FakeRunQueue();
    const started = await startRun(db, queue, user!.id, { notebookId: notebook!.id, cellId: 'train-model-a' });
    expect(queue.jobs[0]).toMatchObject({ runId: started.runId, training: { epochs: 7, batchSize: 64, optimizer: 'rmsprop' } });
    const [{ count }] = (await database.query<{ count: number }>(sql`select count(*)::int as count from runs where cell_id = 'train-model-a'`)) as [{ count: number }];
    expect(count).toBe(2);
  });
});
