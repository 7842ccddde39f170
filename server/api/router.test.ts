import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cell, type ModelCell, type TrainingCell } from '../../blocks/format/notebook';
import { withTrainingSettings } from '../../blocks/templates/training-cell';
import { runs } from '../../db/schema';
import { FIRST_NOTEBOOK_TITLE } from '../services/seed';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { NOTEBOOK_CONFLICT_MESSAGE } from '../services/notebooks';
import { createAnonymousSession, type SessionUser } from '../services/sessions';
import { modelWorkspace } from '../../blocks/templates';
import { compileCell } from '../../blocks/compile';
import { trainingFromWorkspace } from '../../blocks/workspace/training-from-workspace';
import { createCaller } from './root';

const MAX_PARAMS = 5_000_000;

/** 10,000 inputs fully connected to 100,000 units: 1,000,100,000 parameters. */
const hugeDenseWorkspace = () =>
  modelWorkspace('huge', 'huge', [
    { key: 'input', args: { shape: [10_000] } },
    { key: 'dense', args: { units: 100_000 } },
  ]);

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const kinds = [
  { kind: 'pglite' as const },
  { kind: 'postgres' as const },
];

describe.each(kinds)('tRPC API on $kind', ({ kind }) => {

  let database: TestDatabase;
  let runner: FakeRunQueue;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    runner = new FakeRunQueue();
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function newUser() {
    const { user } = await createAnonymousSession(database.db);
    return { user, api: callerFor(user) };
  }
  function callerFor(user: SessionUser | null) {
    return createCaller({ db: database.db, runner, user, maxParams: MAX_PARAMS });
  }
  async function modelCellOf(api: ReturnType<typeof callerFor>, notebookId: string): Promise<ModelCell> {
    const notebook = await api.notebook.get({ id: notebookId });
    const cell = notebook.cells.find((c): c is ModelCell => c.type === 'model');
    expect(cell).toBeDefined();
    return cell!;
  }
  async function trainingCellOf(api: ReturnType<typeof callerFor>, notebookId: string): Promise<TrainingCell> {
    const notebook = await api.notebook.get({ id: notebookId });
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training');
    expect(cell).toBeDefined();
    return cell!;
  }

  it('gives a new user the starter notebook with an MNIST model that compiles', async () => {
    const { api } = await newUser();
    const list = await api.notebook.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ title: FIRST_NOTEBOOK_TITLE, cellCount: 4 });
    const notebook = await api.notebook.get({ id: list[0]!.id });
    expect(notebook.cells.map((c) => c.type)).toEqual(['markdown', 'model', 'training', 'markdown']);
    const model = notebook.cells[1] as ModelCell;
    const spec = compileCell(model.workspace).spec;
    expect(spec?.layers.length).toBeGreaterThan(3);
    expect(spec?.layers.some((l) => l.type === 'conv2d')).toBe(true);
    expect(notebook.cells[2]).toMatchObject({ type: 'training', model: model.id, dataset: 'mnist' });
  });

  it('creates, lists newest first, saves and deletes notebooks', async () => {
    const { api } = await newUser();
    const { id } = await api.notebook.create({ title: '  Digits  ' });
    const created = await api.notebook.get({ id });
    expect(created.title).toBe('Digits');
    expect(created.version).toBe(1);
    expect(created.cells.map((c) => c.type)).toEqual(['markdown', 'model', 'training']);
    expect(compileCell((created.cells[1] as ModelCell).workspace).spec).not.toBeNull();

    const list = await api.notebook.list();
    expect(list.map((n) => n.id)[0]).toBe(id);
    expect(list).toHaveLength(2);

    const cells: Cell[] = [...created.cells, { id: 'notes', type: 'markdown', source: 'My notes' }];
    const saved = await api.notebook.save({ id, version: created.version, title: 'Digits v2', cells });
    expect(saved.version).toBe(2);
    const reloaded = await api.notebook.get({ id });
    expect(reloaded).toMatchObject({ title: 'Digits v2', version: 2, updatedAt: saved.updatedAt });
    expect(reloaded.cells.at(-1)).toEqual({ id: 'notes', type: 'markdown', source: 'My notes' });

    await expect(api.notebook.delete({ id })).resolves.toEqual({ ok: true });
    const afterDelete = await rejection(api.notebook.get({ id }));
    expect(afterDelete.code).toBe('NOT_FOUND');
    expect((await api.notebook.list()).map((n) => n.id)).not.toContain(id);
  });

  it('stores only what the student made: a compiled spec or settings sent beside the blocks are dropped', async () => {
    const { api } = await newUser();
    const { id } = await api.notebook.create({});
    const notebook = await api.notebook.get({ id });
    const model = notebook.cells.find((c) => c.type === 'model') as ModelCell;
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const forgedModel = { ...model, spec: { specVersion: 1, kind: 'sequential', name: 'forged', layers: [], inputs: [], outputs: [] } };
    const forgedTraining = { ...cell, dataset: 'iris' as const, training: { epochs: 99, batchSize: 1 } };
    const cells = notebook.cells.map((c) => (c.id === model.id ? forgedModel : c.id === cell.id ? forgedTraining : c)) as Cell[];
    await api.notebook.save({ id, version: notebook.version, title: notebook.title, cells });
    expect(await modelCellOf(api, id)).toEqual(model);
    expect(await trainingCellOf(api, id)).toEqual({ ...cell, dataset: 'iris' });
  });

  it('refuses a save based on an old version and keeps the newer one', async () => {
    const { api } = await newUser();
    const { id } = await api.notebook.create({ title: 'Shared' });
    const loaded = await api.notebook.get({ id });
    await api.notebook.save({ id, version: loaded.version, title: 'From tab one', cells: loaded.cells });

    const error = await rejection(api.notebook.save({ id, version: loaded.version, title: 'From tab two', cells: loaded.cells }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(NOTEBOOK_CONFLICT_MESSAGE);
    expect((await api.notebook.get({ id })).title).toBe('From tab one');
  });

  it("hides one user's notebooks and runs from another", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const [aliceNotebook] = await alice.api.notebook.list();
    const cell = await trainingCellOf(alice.api, aliceNotebook!.id);
    const loaded = await alice.api.notebook.get({ id: aliceNotebook!.id });
    const { runId } = await alice.api.run.start({ notebookId: aliceNotebook!.id, cellId: cell.id });

    const attempts: Array<() => Promise<unknown>> = [
      () => bob.api.notebook.get({ id: aliceNotebook!.id }),
      () => bob.api.notebook.save({ id: aliceNotebook!.id, version: loaded.version, title: 'mine now', cells: [] }),
      () => bob.api.notebook.delete({ id: aliceNotebook!.id }),
      () => bob.api.run.start({ notebookId: aliceNotebook!.id, cellId: cell.id }),
      () => bob.api.run.list({ notebookId: aliceNotebook!.id }),
      () => bob.api.run.get({ runId }),
      () => bob.api.run.cancel({ runId }),
    ];
    for (const attempt of attempts) expect((await rejection(attempt())).code).toBe('NOT_FOUND');

    expect((await bob.api.notebook.list()).map((n) => n.id)).not.toContain(aliceNotebook!.id);
    const untouched = await alice.api.notebook.get({ id: aliceNotebook!.id });
    expect(untouched).toEqual(loaded);
    expect((await alice.api.run.get({ runId })).status).toBe('queued');
  });

  it('answers a visitor without a session as a user with nothing, and lets them change nothing', async () => {
    const visitor = callerFor(null);
    expect(await visitor.notebook.list()).toEqual([]);
    expect((await rejection(visitor.notebook.get({ id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('NOT_FOUND');
    // Direct callers cannot start a session (only the HTTP server can set its cookie).
    expect((await rejection(visitor.notebook.create({}))).code).toBe('UNAUTHORIZED');
    expect((await rejection(visitor.notebook.delete({ id: '00000000-0000-4000-8000-000000000000' }))).code).toBe('UNAUTHORIZED');
  });

  it('answers malformed input with BAD_REQUEST naming the field', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });

    const badId = await rejection(api.notebook.get({ id: 'not-a-uuid' }));
    expect(badId.code).toBe('BAD_REQUEST');
    expect(badId.message).toMatch(/^Invalid input\. id: /);

    const badCell = { id: 'x', type: 'markdown', source: 42 } as unknown as Cell;
    const badCells = await rejection(
      api.notebook.save({ id: notebook!.id, version: loaded.version, title: 'T', cells: [badCell] }),
    );
    expect(badCells.code).toBe('BAD_REQUEST');
    expect(badCells.message).toContain('cells.0.source');

    const duplicate = { id: 'same', type: 'markdown' as const, source: '' };
    const dup = await rejection(
      api.notebook.save({ id: notebook!.id, version: loaded.version, title: 'T', cells: [duplicate, duplicate] }),
    );
    expect(dup.code).toBe('BAD_REQUEST');
    expect(dup.message).toContain('cells.1.id');
    expect((await api.notebook.get({ id: notebook!.id })).version).toBe(loaded.version);
  });

  it('starts a run from the saved cell and lists it with its hyperparameters', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const cell = await trainingCellOf(api, notebook!.id);
    const model = await modelCellOf(api, notebook!.id);
    const jobsBefore = runner.jobs.length;

    const { runId, queuePosition } = await api.run.start({ notebookId: notebook!.id, cellId: cell.id });
    expect(queuePosition).toBe(jobsBefore);
    const job = runner.jobs.at(-1)!;
    const training = { ...trainingFromWorkspace(cell.workspace).settings, dataset: cell.dataset };
    expect(job).toEqual({ runId, spec: compileCell(model.workspace).spec, training, dataset: { kind: 'builtIn', id: 'mnist' } });

    const [listed] = await api.run.list({ notebookId: notebook!.id, cellId: cell.id });
    expect(listed).toMatchObject({
      id: runId,
      notebookId: notebook!.id,
      cellId: cell.id,
      status: 'queued',
      training,
      backend: null,
      epochs: [],
      testAccuracy: null,
    });
    expect(listed!.totalParams).toBeGreaterThan(0);
    expect(await api.run.list({ notebookId: notebook!.id, cellId: 'another-cell' })).toEqual([]);

    await expect(api.run.cancel({ runId })).resolves.toEqual({ status: 'cancelled' });
    expect(runner.cancelled).toContain(runId);
    expect((await api.run.get({ runId })).status).toBe('cancelled');
  });

  it('starts runs from training cells only: a model cell gets told where Train is', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const model = await modelCellOf(api, notebook!.id);
    const jobsBefore = runner.jobs.length;
    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: model.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toBe(
      'This is a model cell: it says what the network looks like, not how to train it. Press Train in the training cell below it (add one with "+ Training" if there is none).',
    );
    expect(runner.jobs.length).toBe(jobsBefore);
  });

  it('refuses a training cell whose model cell moved below it, saying what to do', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });
    const [intro, model, training, outro] = loaded.cells as [Cell, ModelCell, TrainingCell, Cell];
    await api.notebook.save({ id: notebook!.id, version: loaded.version, title: loaded.title, cells: [intro, training, model, outro] });
    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: training.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^The model cell this training cell trains is below it now\. Move the model cell above/);
  });

  it('refuses training blocks with an error before anything is queued, naming the block\'s limit', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });
    const training = loaded.cells[2] as TrainingCell;
    const binary = withTrainingSettings(training, { loss: 'binaryCrossentropy' });
    await api.notebook.save({ id: notebook!.id, version: loaded.version, title: loaded.title, cells: loaded.cells.map((c, i) => (i === 2 ? binary : c)) });
    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: training.id }));
    expect(error.message).toBe('Binary crossentropy is for choosing between two digits, but MNIST has 10. Pick categorical crossentropy in the loss block.');
  });

  it('refuses a model with a billion parameters before creating anything', async () => {
    const { user, api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });
    const huge: ModelCell = { ...(loaded.cells[1] as ModelCell), workspace: hugeDenseWorkspace() };
    const cells = loaded.cells.map((c, i) => (i === 1 ? huge : c));
    await api.notebook.save({ id: notebook!.id, version: loaded.version, title: loaded.title, cells });
    const jobsBefore = runner.jobs.length;

    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: loaded.cells[2]!.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('1,000,100,000');
    expect(error.message).toContain((5_000_000).toLocaleString('en-US'));

    expect(runner.jobs.length).toBe(jobsBefore);
    const rows = await database.db.select().from(runs).where(eq(runs.ownerId, user.id));
    expect(rows).toEqual([]);
  });

  it('counts training memory with the batch size the student chose', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });
    // Few parameters, but 224×224×64 numbers per picture to remember for the backward pass.
    const wide: ModelCell = {
      ...(loaded.cells[1] as ModelCell),
      workspace: modelWorkspace('wide', 'wide', [
        { key: 'input', args: { shape: [224, 224, 3] } },
        { key: 'conv2d', args: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { key: 'globalAveragePooling2d' },
        { key: 'dense', args: { units: 10, activation: 'softmax' } },
      ]),
    };
    const bigBatches = withTrainingSettings(loaded.cells[2] as TrainingCell, { batchSize: 256 });
    const cells = loaded.cells.map((c, i) => (i === 1 ? wide : i === 2 ? bigBatches : c));
    await api.notebook.save({ id: notebook!.id, version: loaded.version, title: loaded.title, cells });

    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: bigBatches.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Training this model with batches of 256 needs about');
  });

  it("refuses issue 8's Conv2D 128 model at batch 2048 before it is queued, naming the memory it needs and the limit", async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });
    // It passed the old estimate (1.7 GB) and grew a training process to 4 GB, breaking it for everyone.
    const heavy: ModelCell = {
      ...(loaded.cells[1] as ModelCell),
      workspace: modelWorkspace('heavy', 'heavy', [
        { key: 'input', args: { shape: [28, 28, 1] } },
        { key: 'conv2d', args: { filters: 128, kernelSize: 3, padding: 'same' } },
        { key: 'flatten' },
        { key: 'dense', args: { units: 10, activation: 'softmax' } },
      ]),
    };
    const bigBatches = withTrainingSettings(loaded.cells[2] as TrainingCell, { batchSize: 2048 });
    const cells = loaded.cells.map((c, i) => (i === 1 ? heavy : i === 2 ? bigBatches : c));
    await api.notebook.save({ id: notebook!.id, version: loaded.version, title: loaded.title, cells });

    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: bigBatches.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('Training this model with batches of 2048 needs about 3.4 GB of memory, more than the 2.1 GB the server allows.');
    expect(await api.run.list({ notebookId: notebook!.id })).toEqual([]);
  });

  it('says what to fix when the saved blocks do not compile', async () => {
    const { api } = await newUser();
    const [notebook] = await api.notebook.list();
    const loaded = await api.notebook.get({ id: notebook!.id });
    const broken: ModelCell = { ...(loaded.cells[1] as ModelCell), workspace: {} };
    const cells = loaded.cells.map((c, i) => (i === 1 ? broken : c));
    await api.notebook.save({ id: notebook!.id, version: loaded.version, title: loaded.title, cells });
    expect((await modelCellOf(api, notebook!.id)).workspace).toEqual({});

    const error = await rejection(api.run.start({ notebookId: notebook!.id, cellId: loaded.cells[2]!.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/model block/i);
  });
});
