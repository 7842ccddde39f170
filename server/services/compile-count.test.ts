import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { getNotebook, listNotebooks, saveNotebook } from './notebooks';
import { startRun } from './runs';
import { createAnonymousSession } from './sessions';

/** Every model and training compile on the server, counted by wrapping the real compilers. */
const counts = vi.hoisted(() => ({ models: 0, trainings: 0 }));
vi.mock('../../blocks/compile', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../blocks/compile')>();
  return { ...real, compileCell: (...args: Parameters<typeof real.compileCell>) => (counts.models++, real.compileCell(...args)) };
});
vi.mock('../../blocks/compile-training', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../blocks/compile-training')>();
  return { ...real, compileTrainingCell: (...args: Parameters<typeof real.compileTrainingCell>) => (counts.trainings++, real.compileTrainingCell(...args)) };
});

describe('compiles on the server', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('compiles nothing to save a notebook, and the model and its settings once per Train press', async () => {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    counts.models = counts.trainings = 0;

    await saveNotebook(database.db, user.id, { id: notebook.id, version: notebook.version, title: 'Saved', cells: notebook.cells });
    expect(counts).toEqual({ models: 0, trainings: 0 });

    const training = notebook.cells.find((c) => c.type === 'training')!;
    const queue = new FakeRunQueue();
    await startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: training.id });
    expect(counts).toEqual({ models: 1, trainings: 1 });
    expect(queue.jobs).toHaveLength(1);
  });
});
