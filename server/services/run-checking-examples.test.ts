import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataCell, type Cell, type ModelCell } from '../../blocks/format/notebook';
import { modelWorkspace } from '../../blocks/templates';
import { newTrainingCell } from '../../blocks/templates/training-cell';
import { notebooks } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { loadUserDataset } from '../../testing/stored-dataset';
import type { Split } from '../data/dataset';
import { runCheckingExamples, type CheckingExamples } from './checking-examples';
import { createCsvDataset, deleteDataset } from './datasets';
import { listNotebooks } from './notebooks';
import { startRun } from './runs';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];
/** 40 rows, each told apart by its `a`; no validation rows of its own, so a run's validation split holds some back. */
const csv = new TextEncoder().encode('a,b,kind\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${i % 2 ? 'x' : 'y'}`).join('\n'));
const csvOptions = {
  name: 'Forty',
  label: 'kind',
  features: [
    { column: 'a', as: 'number' as const },
    { column: 'b', as: 'number' as const },
  ],
  normalization: 'standardize' as const,
  split: { train: 80, validation: 0, test: 20 },
  seed: 9,
};

function rowsOf(examples: CheckingExamples) {
  if (examples.kind !== 'table') throw new Error('expected table rows');
  return examples.rows;
}
const key = (row: { values: ArrayLike<number>; classIndex: number }) => `${Array.from(row.values, (v) => v.toFixed(4)).join()}|${row.classIndex}`;

describe.each(kinds)("a run's checking examples ($kind)", ({ kind }) => {
  let database: TestDatabase;
  const queue = new FakeRunQueue();
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function splitKeys(userId: string, datasetId: string, split: Split): Promise<string[]> {
    const loaded = await loadUserDataset(database.db, userId, datasetId);
    const keys: string[] = [];
    for await (const batch of loaded.batches(split, 50)) {
      for (let i = 0; i < batch.size; i++) keys.push(key({ values: batch.features.subarray(i * 2, i * 2 + 2), classIndex: batch.classIndices[i]! }));
    }
    return keys;
  }

  /** A student's notebook training Input 2 → Dense 2 on their upload, holding back a quarter of its training rows. */
  async function uploadRun() {
    const { user } = await createAnonymousSession(database.db);
    const uploaded = await createCsvDataset(database.db, user.id, csv, csvOptions);
    const [item] = await listNotebooks(database.db, user.id);
    const workspace = modelWorkspace('model-1', 'Rows', [
      { key: 'input', args: { shape: [2] } },
      { key: 'dense', args: { units: 2, activation: 'softmax' } },
    ]) as Record<string, unknown>;
    const model: ModelCell = { id: 'model-1', type: 'model', workspace };
    const data = { ...newDataCell('data-1'), source: { kind: 'upload' as const, datasetId: uploaded.id, name: 'Forty', inputShape: [2], classes: ['x', 'y'] } };
    const settings = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 8, epochs: 1, loss: 'categoricalCrossentropy' as const, seed: 5, validationSplit: 0.25 };
    const cells: Cell[] = [data, model, newTrainingCell('train-1', 'model-1', settings, { cell: 'data-1' })];
    await database.db.update(notebooks).set({ cells }).where(eq(notebooks.id, item!.id));
    const { runId } = await startRun(database.db, queue, user.id, { notebookId: item!.id, cellId: 'train-1' });
    return { userId: user.id, notebookId: item!.id, datasetId: uploaded.id, runId };
  }

  it('are exactly the rows its validation split held out, never a test row, whatever the cell holds now', async () => {
    const { userId, notebookId, datasetId, runId } = await uploadRun();
    // The cell moves on to iris afterwards; the run's examples stay those of the upload it trained on.
    await database.db.update(notebooks).set({ cells: [newDataCell('data-1', 'iris')] }).where(eq(notebooks.id, notebookId));
    const examples = await runCheckingExamples(database.db, userId, runId);
    expect(examples).toMatchObject({ split: 'validation', splitSize: 8, classes: ['x', 'y'], inputShape: [2] });

    // A stored upload lies in a seeded random order already, so a validation split holds back its last training rows.
    const train = await splitKeys(userId, datasetId, 'train');
    expect(train).toHaveLength(32);
    expect(rowsOf(examples).map(key).sort()).toEqual(train.slice(24).sort());
    const test = await splitKeys(userId, datasetId, 'test');
    for (const row of rowsOf(examples)) expect(test).not.toContain(key(row));
  });

  it("answers only the run's owner, and says so when its data is gone", async () => {
    const { userId, datasetId, runId } = await uploadRun();
    const { user: stranger } = await createAnonymousSession(database.db);
    await expect(runCheckingExamples(database.db, stranger.id, runId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await deleteDataset(database.db, userId, datasetId);
    await expect(runCheckingExamples(database.db, userId, runId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
