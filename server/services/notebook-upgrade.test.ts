import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../blocks/format/model-spec';
import { NOTEBOOK_FORMAT_VERSION, type TrainingCell } from '../../blocks/format/notebook';
import { trainingFromWorkspace } from '../../blocks/workspace/training-from-workspace';
import { mnistMlpWorkspace } from '../../blocks/templates';
import { migrateDatabase } from '../../db/migrate';
import { notebooks, runs, users } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { insertOldRun, migrateUpTo } from '../../testing/old-migrations';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { getNotebook } from './notebooks';
import { listRuns } from './run-store';
import { startRun } from './runs';

describe.each([{ kind: 'pglite' as const }, { kind: 'postgres' as const }])('upgrading notebooks stored before training cells ($kind)', ({ kind }) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { migrate: false });
    await migrateUpTo(database, '0003_chunks_classes_notes');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('moves runs to the new training cell, which the notebook gets on its next read, settings and all', async () => {
    const db = database.db;
    // Raw SQL: the schema of this version has columns the old database does not have yet.
    const [user] = await database.query<{ id: string }>(sql`insert into users (display_name) values (${'Old student'}) returning id`);
    const oldTraining = { ...DEFAULT_TRAINING, epochs: 7, batchSize: 64, optimizer: 'rmsprop' as const, learningRate: 0.001 };
    const oldCells = [
      { id: 'intro', type: 'markdown', source: '# Digits' },
      { id: 'model-a', type: 'model', workspace: mnistMlpWorkspace(), spec: null, training: oldTraining },
    ];
    // Written in SQL, as the schema of that release named the columns (spec_version).
    const [notebook] = (await database.query<{ id: string }>(
      sql`insert into notebooks (owner_id, title, cells, spec_version) values (${user!.id}, 'Before', ${JSON.stringify(oldCells)}::jsonb, 1) returning id`,
    )) as [{ id: string }];
    const runId = await insertOldRun(database, { notebookId: notebook!.id, cellId: 'model-a', ownerId: user!.id, spec: { specVersion: 1, kind: 'sequential', name: 'm', layers: [], inputs: [], outputs: [] }, training: oldTraining, totalParams: 1, status: 'succeeded' });

    await migrateDatabase(database);

    const [moved] = await db.select({ cellId: runs.cellId }).from(runs).where(eq(runs.id, runId));
    expect(moved!.cellId).toBe('train-model-a');

    const read = await getNotebook(db, user!.id, notebook!.id);
    expect(read.cells.map((c) => [c.id, c.type])).toEqual([
      ['intro', 'markdown'],
      ['model-a', 'model'],
      ['train-model-a', 'training'],
    ]);
    const training = read.cells[2] as TrainingCell;
    expect(training).toMatchObject({ model: 'model-a', dataset: 'mnist' });
    expect(trainingFromWorkspace(training.workspace).settings).toMatchObject({ epochs: 7, batchSize: 64, optimizer: 'rmsprop', learningRate: 0.001 });
    // Stored in the new form at once, without counting as an edit.
    const [row] = await db.select({ formatVersion: notebooks.formatVersion, version: notebooks.version, cells: notebooks.cells }).from(notebooks).where(eq(notebooks.id, notebook!.id));
    expect(row).toMatchObject({ formatVersion: NOTEBOOK_FORMAT_VERSION, version: read.version });
    expect(row!.cells).toEqual(read.cells);

    // The run history stays with the cell, and the cell trains.
    expect((await listRuns(db, user!.id, { notebookId: notebook!.id, cellId: 'train-model-a' })).map((r) => r.id)).toEqual([runId]);
    const queue = new FakeRunQueue();
    const started = await startRun(db, queue, user!.id, { notebookId: notebook!.id, cellId: 'train-model-a' });
    expect(queue.jobs[0]).toMatchObject({ runId: started.runId, training: { epochs: 7, batchSize: 64, optimizer: 'rmsprop' } });
    const [{ count }] = (await database.query<{ count: number }>(sql`select count(*)::int as count from runs where cell_id = 'train-model-a'`)) as [{ count: number }];
    expect(count).toBe(2);
  });
});

describe.each([{ kind: 'pglite' as const }, { kind: 'postgres' as const }])('upgrading notebooks stored with compiled specs, format 2 ($kind)', ({ kind }) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(kind, { migrate: false });
    await migrateUpTo(database, '0005_binary_columns_uncompressed');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('keeps every notebook through the column rename, opens it unchanged, its runs still under its training cells', async () => {
    const db = database.db;
    // Raw SQL: the schema of this version has columns the old database does not have yet.
    const [user] = await database.query<{ id: string }>(sql`insert into users (display_name) values (${'Format 2 student'}) returning id`);
    const stored = JSON.parse(readFileSync(new URL('../../blocks/format/fixtures/notebook-v2.json', import.meta.url), 'utf8')) as Array<Record<string, any>>;
    const ids: string[] = [];
    for (const title of ['One', 'Two']) {
      const [row] = (await database.query<{ id: string }>(
        sql`insert into notebooks (owner_id, title, cells, spec_version) values (${user!.id}, ${title}, ${JSON.stringify(stored)}::jsonb, 2) returning id`,
      )) as [{ id: string }];
      ids.push(row.id);
    }
    const storedTraining = stored.find((c) => c.id === 'train-c2')!.training;
    const storedSpec = stored.find((c) => c.id === 'c2')!.spec;
    const runId = await insertOldRun(database, { notebookId: ids[0]!, cellId: 'train-c2', ownerId: user!.id, spec: storedSpec, training: storedTraining, totalParams: 1, status: 'succeeded' });

    await migrateDatabase(database);

    const rows = await db.select({ id: notebooks.id, formatVersion: notebooks.formatVersion, title: notebooks.title }).from(notebooks);
    expect(rows.map((r) => [r.title, r.formatVersion]).sort()).toEqual([['One', 2], ['Two', 2]]);

    const read = await getNotebook(db, user!.id, ids[0]!);
    expect(read.cells).toEqual(JSON.parse(readFileSync(new URL('../../blocks/format/fixtures/notebook-v2-read-as-v3.json', import.meta.url), 'utf8')));
    expect((await listRuns(db, user!.id, { notebookId: ids[0]!, cellId: 'train-c2' })).map((r) => r.id)).toEqual([runId]);
    const queue = new FakeRunQueue();
    await startRun(db, queue, user!.id, { notebookId: ids[0]!, cellId: 'train-c2' });
    // The cell trains what its blocks said before the upgrade.
    expect(queue.jobs[0]!.training).toEqual(storedTraining);
    expect(queue.jobs[0]!.spec).toEqual(storedSpec);
  });
});
