import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDataCell, type Cell, type ModelCell, type TrainingCell } from '../../blocks/format/notebook';
import { newTrainingCell } from '../../blocks/templates/training-cell';
import { modelWorkspace } from '../../blocks/templates';
import { notebooks, runs } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { getNotebook, listNotebooks } from './notebooks';
import { listRuns } from './run-store';
import { startRun } from './runs';
import { createCsvDataset, DATASET_UNREADABLE_MESSAGE, deleteDataset, getDataset } from './datasets';
import { storedDataset } from '../data/stored';
import { readDatasetChunk } from './datasets';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/** A model cell for 2-D points (Input 2 → Dense 8 → Dense 2 softmax) and its training cell "train-<id>", trained on `dataset`. */
function pointsModel(id: string, dataset: TrainingCell['dataset']): Cell[] {
  const workspace = modelWorkspace(id, 'Points', [
    { key: 'input', args: { shape: [2] } },
    { key: 'dense', args: { units: 8, activation: 'relu' } },
    { key: 'dense', args: { units: 2, activation: 'softmax' } },
  ]) as Record<string, unknown>;
  const model: ModelCell = { id, type: 'model', workspace };
  return [model, newTrainingCell(`train-${id}`, id, { optimizer: 'adam', learningRate: 0.01, batchSize: 16, epochs: 2, loss: 'categoricalCrossentropy', seed: 3 }, dataset)];
}

describe.each(kinds)('training on a chosen dataset ($kind)', ({ kind }) => {
  let database: TestDatabase;
  const queue = new FakeRunQueue();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  /** A fresh student's demo notebook with its cells replaced by `cells`. */
  async function notebookWith(cells: Cell[]) {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    await database.db.update(notebooks).set({ cells }).where(eq(notebooks.id, item!.id));
    return { userId: user.id, notebookId: item!.id };
  }

  it('sends the worker the settings of the data cell above the model', async () => {
    const data = { ...newDataCell('data-1', 'spiral'), source: { kind: 'builtIn' as const, id: 'spiral' as const, options: { size: 300, noise: 0.2, seed: 5 } } };
    const { userId, notebookId } = await notebookWith([data, ...pointsModel('model-1', { cell: 'data-1' })]);
    const { runId } = await startRun(database.db, queue, userId, { notebookId, cellId: 'train-model-1' });
    const job = queue.jobs.find((j) => j.runId === runId)!;
    expect(job.dataset).toEqual(data.source);
    expect(job.training.dataset).toEqual({ cell: 'data-1' });
  });

  it('still trains an older notebook whose setting is just "mnist"', async () => {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    expect(cell.dataset).toBe('mnist');
    const { runId } = await startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: cell.id });
    expect(queue.jobs.find((j) => j.runId === runId)!.dataset).toEqual({ kind: 'builtIn', id: 'mnist' });
  });

  it('refuses, before any run exists, a data cell that is below the model', async () => {
    const { userId, notebookId } = await notebookWith([...pointsModel('model-1', { cell: 'data-1' }), newDataCell('data-1')]);
    await expect(startRun(database.db, queue, userId, { notebookId, cellId: 'train-model-1' })).rejects.toThrow(
      'The data cell this training cell uses is below it now. Move the data cell above this training cell, or pick another dataset.',
    );
    expect(await database.db.select().from(runs).where(eq(runs.notebookId, notebookId))).toEqual([]);
  });

  it("packs the student's own uploaded dataset into the job, checked against what is stored", async () => {
    const { userId, notebookId } = await notebookWith([]);
    const csv = new TextEncoder().encode('a,b,kind\n' + Array.from({ length: 20 }, (_, i) => `${i},${-i},${i % 2 ? 'x' : 'y'}`).join('\n'));
    const uploaded = await createCsvDataset(database.db, userId, csv, {
      name: 'Mine',
      label: 'kind',
      features: [
        { column: 'a', as: 'number' },
        { column: 'b', as: 'number' },
      ],
      normalization: 'standardize',
      split: { train: 70, validation: 15, test: 15 },
      seed: 1,
    });
    const source = { kind: 'upload' as const, datasetId: uploaded.id, name: 'Mine', inputShape: [2], classes: ['x', 'y'] };
    await database.db
      .update(notebooks)
      .set({ cells: [{ id: 'data-1', type: 'data', source }, ...pointsModel('model-1', { cell: 'data-1' })] })
      .where(eq(notebooks.id, notebookId));
    const { runId } = await startRun(database.db, queue, userId, { notebookId, cellId: 'train-model-1' });
    const job = queue.jobs.find((j) => j.runId === runId)!;
    // A reference, not the numbers: the worker reads the chunks while it trains.
    expect(job.dataset).toEqual({
      kind: 'stored',
      datasetId: uploaded.id,
      name: 'Mine',
      inputShape: [2],
      classes: ['x', 'y'],
      sizes: { train: 14, validation: 2, test: 4 },
      encoding: 'float32',
      chunkRows: [14, 2, 4],
    });
    expect(JSON.stringify(job).length).toBeLessThan(20_000);
    // Survives the JSON a queue stores it as, and reads back every example.
    const dataset = storedDataset(JSON.parse(JSON.stringify(job.dataset)), (id, start) => readDatasetChunk(database.db, id, start));
    let rows = 0;
    for await (const batch of dataset.batches('train', 5)) rows += batch.size;
    expect(rows).toBe(14);

    // Someone else's notebook pointing at this dataset gets nothing.
    const other = await notebookWith([{ id: 'data-1', type: 'data', source }, ...pointsModel('model-1', { cell: 'data-1' })]);
    await expect(startRun(database.db, queue, other.userId, { notebookId: other.notebookId, cellId: 'train-model-1' })).rejects.toThrow(DATASET_UNREADABLE_MESSAGE);
  });

  it('leaves a notebook whole when its uploaded data is deleted: the cells keep their choice, the runs stay, and each read says the data is not there', async () => {
    const { userId, notebookId } = await notebookWith([]);
    const csv = new TextEncoder().encode('a,b,kind\n' + Array.from({ length: 20 }, (_, i) => `${i},${-i},${i % 2 ? 'x' : 'y'}`).join('\n'));
    const uploaded = await createCsvDataset(database.db, userId, csv, {
      name: 'Soon gone',
      label: 'kind',
      features: [
        { column: 'a', as: 'number' },
        { column: 'b', as: 'number' },
      ],
      normalization: 'none',
      split: { train: 70, validation: 15, test: 15 },
      seed: 1,
    });
    const source = { kind: 'upload' as const, datasetId: uploaded.id, name: 'Soon gone', inputShape: [2], classes: ['x', 'y'] };
    const cells: Cell[] = [{ id: 'data-1', type: 'data', source }, ...pointsModel('model-1', { cell: 'data-1' })];
    await database.db.update(notebooks).set({ cells }).where(eq(notebooks.id, notebookId));
    const { runId } = await startRun(database.db, queue, userId, { notebookId, cellId: 'train-model-1' });

    await deleteDataset(database.db, userId, uploaded.id);
    // The notebook opens as it was, its run still listed; only reading the data says it is gone and what to do.
    expect((await getNotebook(database.db, userId, notebookId)).cells).toEqual(cells);
    expect((await listRuns(database.db, userId, { notebookId })).map((r) => r.id)).toContain(runId);
    await expect(getDataset(database.db, userId, uploaded.id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: DATASET_UNREADABLE_MESSAGE });
    await expect(startRun(database.db, queue, userId, { notebookId, cellId: 'train-model-1' })).rejects.toThrow(DATASET_UNREADABLE_MESSAGE);
    // Someone else's dataset that still exists gets the same answer: nobody learns whether an id is in use.
    const stranger = (await createAnonymousSession(database.db)).user;
    const theirs = await createCsvDataset(database.db, stranger.id, csv, { name: 'Theirs', label: 'kind', features: [{ column: 'a', as: 'number' }], normalization: 'none', split: { train: 70, validation: 15, test: 15 }, seed: 1 });
    await expect(getDataset(database.db, userId, theirs.id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: DATASET_UNREADABLE_MESSAGE });
  });

  it('refuses a model whose Input does not fit the data, saying what to set', async () => {
    const { userId, notebookId } = await notebookWith([...pointsModel('model-1', 'iris')]);
    await expect(startRun(database.db, queue, userId, { notebookId, cellId: 'train-model-1' })).rejects.toThrow(
      'Your Input block says 2 but the Iris flowers data has 4 numbers per example. Set the Input shape to 4.',
    );
  });
});
