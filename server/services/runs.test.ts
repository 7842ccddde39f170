import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainingCell } from '../../blocks/format/notebook';
import { notebooks, runs } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { EpochMetrics, RunEvent, SavedWeights } from '../training/protocol';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { getNotebook, listNotebooks } from './notebooks';
import { runEvents } from './run-events';
import { createRunSink, getRun, getRunWeights, listRuns } from './run-store';
import { TRAINER_UNAVAILABLE_MESSAGE, cancelRun, startRun } from './runs';
import { createAnonymousSession } from './sessions';
import { TINY_WEIGHTS } from '../../testing/hand-ins';

const kinds = [
  { kind: 'pglite' as const },
  { kind: 'postgres' as const },
];

const epoch = (n: number): EpochMetrics => ({
  epoch: n,
  loss: 1 / n,
  accuracy: 0.5 + n / 10,
  valLoss: n === 1 ? null : 1.1 / n,
  valAccuracy: n === 1 ? null : 0.4 + n / 10,
  seconds: 2.5 * n,
});

describe.each(kinds)('run service on $kind', ({ kind }) => {

  let database: TestDatabase;
  const queue = new FakeRunQueue();

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function queuedRun() {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const { runId } = await startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: cell.id });
    return { userId: user.id, runId, notebook };
  }

  it('records a training run from start to weights', async () => {
    const { userId, runId } = await queuedRun();
    const sink = createRunSink(database.db);
    const weights: SavedWeights = {
      modelTopology: { class_name: 'Sequential', config: { layers: [] } },
      weightSpecs: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }],
      weightData: new Uint8Array([0, 1, 2, 254, 255, 128]),
    };

    await sink.started(runId, 'tensorflow');
    const running = await getRun(database.db, userId, runId);
    expect(running).toMatchObject({ status: 'running', backend: 'tensorflow', finishedAt: null });
    expect(running.startedAt).not.toBeNull();

    await sink.epoch(runId, epoch(1));
    await sink.epoch(runId, epoch(2));
    await sink.finished(runId, { testAccuracy: 0.97, testLoss: 0.1, samplesPerSec: 1234.5, weights });

    const done = await getRun(database.db, userId, runId);
    expect(done).toMatchObject({ status: 'succeeded', testAccuracy: 0.97, testLoss: 0.1, samplesPerSec: 1234.5, error: null });
    expect(done.epochs).toEqual([epoch(1), epoch(2)]);
    expect(done.finishedAt).not.toBeNull();

    const stored = await getRunWeights(database.db, userId, runId);
    expect(stored?.modelTopology).toEqual(weights.modelTopology);
    expect(stored?.weightSpecs).toEqual(weights.weightSpecs);
    expect(Array.from(stored!.weightData)).toEqual([0, 1, 2, 254, 255, 128]);
  });

  it("keeps a finished run's confusion matrix and returns it with the run to its owner", async () => {
    const { userId, runId, notebook } = await queuedRun();
    const sink = createRunSink(database.db);
    const confusionMatrix = { classes: ['cat', 'dog'], counts: [[9, 1], [3, 7]] };
    await sink.started(runId, 'wasm');
    await sink.finished(runId, { testAccuracy: 0.8, testLoss: 0.4, samplesPerSec: 100, weights: TINY_WEIGHTS, confusionMatrix });

    expect((await getRun(database.db, userId, runId)).confusionMatrix).toEqual(confusionMatrix);
    const [listed] = await listRuns(database.db, userId, { notebookId: notebook.id });
    expect(listed).toMatchObject({ id: runId, confusionMatrix });
    // Someone else asking for the run is told it does not exist, as for every run.
    const { user: stranger } = await createAnonymousSession(database.db);
    await expect(getRun(database.db, stranger.id, runId)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // What is stored is parsed when read: a damaged matrix reads as none, and the run still lists.
    await database.db.update(runs).set({ confusionMatrix: { classes: ['cat', 'dog'], counts: [[9, 1]] } }).where(eq(runs.id, runId));
    expect((await getRun(database.db, userId, runId)).confusionMatrix).toBeNull();
  });

  it('returns no confusion matrix for a run that finished without one (no classes, or more than 50)', async () => {
    const { userId, runId } = await queuedRun();
    const sink = createRunSink(database.db);
    await sink.started(runId, 'wasm');
    expect((await getRun(database.db, userId, runId)).confusionMatrix).toBeNull();
    await sink.finished(runId, { testAccuracy: 0.8, testLoss: 0.4, samplesPerSec: 100, weights: TINY_WEIGHTS, confusionMatrix: null });
    expect(await getRun(database.db, userId, runId)).toMatchObject({ status: 'succeeded', confusionMatrix: null });
  });

  it('keeps a finished run finished when a late report arrives', async () => {
    const { userId, runId } = await queuedRun();
    const sink = createRunSink(database.db);
    await sink.failed(runId, 'The model ran out of memory.');
    await sink.started(runId, 'cpu');
    await sink.cancelled(runId);
    const run = await getRun(database.db, userId, runId);
    expect(run).toMatchObject({ status: 'failed', error: 'The model ran out of memory.', backend: null });
  });

  it('a failed run leaves its notebook untouched', async () => {
    const { userId, runId, notebook } = await queuedRun();
    await createRunSink(database.db).failed(runId, 'Worker crashed');
    expect(await getNotebook(database.db, userId, notebook.id)).toEqual(notebook);
  });

  it('streams stored progress first, then live events until the run ends', async () => {
    const { userId, runId } = await queuedRun();
    const sink = createRunSink(database.db);
    await sink.started(runId, 'cpu');
    await sink.epoch(runId, epoch(1));

    const controller = new AbortController();
    const stream = runEvents(database.db, queue, userId, runId, controller.signal);
    const received: RunEvent[] = [];
    const first = await stream.next();
    received.push(first.value as RunEvent);
    received.push((await stream.next()).value as RunEvent);
    expect(received).toEqual([
      { type: 'status', status: 'running', backend: 'cpu' },
      { type: 'epoch', ...epoch(1) },
    ]);

    // The runner repeats epoch 1 (already sent from the database), then moves on.
    const nextEvent = stream.next();
    queue.emit(runId, { type: 'epoch', ...epoch(1) });
    queue.emit(runId, { type: 'epoch', ...epoch(2) });
    queue.emit(runId, { type: 'status', status: 'succeeded' });
    expect((await nextEvent).value).toEqual({ type: 'epoch', ...epoch(2) });
    expect((await stream.next()).value).toEqual({ type: 'status', status: 'succeeded' });
    expect((await stream.next()).done).toBe(true);
    expect(queue.subscriberCount(runId)).toBe(0);
  });

  it('ends a stream when the client goes away', async () => {
    const { userId, runId } = await queuedRun();
    const controller = new AbortController();
    const stream = runEvents(database.db, queue, userId, runId, controller.signal);
    // It may carry an etaSeconds, estimated from the runs the tests above finished.
    expect((await stream.next()).value).toMatchObject({ type: 'status', status: 'queued' });
    const waiting = stream.next();
    expect(queue.subscriberCount(runId)).toBe(1);
    controller.abort();
    expect((await waiting).done).toBe(true);
    expect(queue.subscriberCount(runId)).toBe(0);
  });

  it('notices a run that ended without a live event', async () => {
    const { userId, runId } = await queuedRun();
    const stream = runEvents(database.db, queue, userId, runId, undefined, { recheckMs: 20 });
    // It may carry an etaSeconds, estimated from the runs the tests above finished.
    expect((await stream.next()).value).toMatchObject({ type: 'status', status: 'queued' });
    await database.db.update(runs).set({ status: 'failed', error: 'Lost worker' }).where(eq(runs.id, runId));
    expect((await stream.next()).value).toEqual({ type: 'status', status: 'failed', message: 'Lost worker' });
    expect((await stream.next()).done).toBe(true);
  });

  it('replays a finished run to a late subscriber', async () => {
    const { userId, runId } = await queuedRun();
    const sink = createRunSink(database.db);
    await sink.started(runId, 'wasm');
    await sink.epoch(runId, epoch(1));
    await sink.finished(runId, {
      testAccuracy: 0.9,
      testLoss: 0.3,
      samplesPerSec: 800,
      weights: { modelTopology: {}, weightSpecs: [], weightData: new Uint8Array() },
    });
    const events: RunEvent[] = [];
    for await (const event of runEvents(database.db, queue, userId, runId)) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['status', 'epoch', 'done']);
    expect(events[0]).toEqual({ type: 'status', status: 'succeeded', backend: 'wasm' });
    expect(events[2]).toMatchObject({ type: 'done', testAccuracy: 0.9, testLoss: 0.3, samplesPerSec: 800 });
  });

  it('keeps notes about how a run went, lists them with the run and replays them after a reload', async () => {
    const { userId, runId, notebook } = await queuedRun();
    const sink = createRunSink(database.db);
    await sink.started(runId, 'wasm');
    await sink.epoch(runId, epoch(1));
    await sink.note!(runId, 'A training computer stopped, so the run carried on from epoch 2 on another one.');
    await sink.note!(runId, 'Stopped early after epoch 2 of 5: the checking accuracy had not improved for 1 epoch.');
    await sink.finished(runId, { testAccuracy: 0.9, testLoss: 0.3, samplesPerSec: 800, weights: { modelTopology: {}, weightSpecs: [], weightData: new Uint8Array() } });
    const notes = [
      'A training computer stopped, so the run carried on from epoch 2 on another one.',
      'Stopped early after epoch 2 of 5: the checking accuracy had not improved for 1 epoch.',
    ];
    expect((await getRun(database.db, userId, runId)).notes).toEqual(notes);
    const listed = await listRuns(database.db, userId, { notebookId: notebook.id });
    expect(listed.find((r) => r.id === runId)?.notes).toEqual(notes);
    const events: RunEvent[] = [];
    for await (const event of runEvents(database.db, queue, userId, runId)) events.push(event);
    expect(events.filter((e) => e.type === 'note')).toEqual(notes.map((text) => ({ type: 'note', text })));
  });

  it('keeps the extra metrics of each epoch the training cell asked for, and lists them with the run', async () => {
    const { userId, runId, notebook } = await queuedRun();
    const sink = createRunSink(database.db);
    await sink.started(runId, 'cpu');
    await sink.epoch(runId, { ...epoch(1), extra: { precision: 0.75, val_precision: 0.5 } });
    await sink.epoch(runId, epoch(2));
    const [listed] = await listRuns(database.db, userId, { notebookId: notebook.id, cellId: notebook.cells.find((c) => c.type === 'training')!.id });
    expect(listed!.id).toBe(runId);
    expect(listed!.epochs).toEqual([{ ...epoch(1), extra: { precision: 0.75, val_precision: 0.5 } }, epoch(2)]);
  });

  it('fails the run, instead of leaving it queued, when the trainer refuses it', async () => {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const stopped = new FakeRunQueue();
    stopped.enqueue = () => {
      throw new Error('runner stopped');
    };
    await expect(startRun(database.db, stopped, user.id, { notebookId: notebook.id, cellId: cell.id })).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: TRAINER_UNAVAILABLE_MESSAGE,
    });
    const rows = await database.db.select().from(runs).where(eq(runs.ownerId, user.id));
    expect(rows).toMatchObject([{ status: 'failed', error: TRAINER_UNAVAILABLE_MESSAGE }]);
  });

  it('refuses a fourth waiting run of one student, saying what to do, and accepts it once one ended', async () => {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cell = notebook.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const start = () => startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: cell.id });
    const [first] = [await start(), await start(), await start()];
    const jobsBefore = queue.jobs.length;

    await expect(start()).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: 'You already have 3 runs waiting. Wait for one to finish or cancel one.',
    });
    expect(queue.jobs.length).toBe(jobsBefore);
    expect(queue.owners.at(-1)).toBe(user.id);

    // Another student is not held back by this one's line.
    await expect(queuedRun()).resolves.toMatchObject({ runId: expect.any(String) });
    await cancelRun(database.db, queue, user.id, first!.runId);
    await expect(start()).resolves.toMatchObject({ runId: expect.any(String) });
    await expect(startRun(database.db, queue, user.id, { notebookId: notebook.id, cellId: cell.id }, { maxQueuedPerUser: 4 })).resolves.toBeTruthy();
  });

  it('deleting a notebook deletes its runs', async () => {
    const { userId, runId, notebook } = await queuedRun();
    await database.db.delete(notebooks).where(eq(notebooks.id, notebook.id));
    await expect(getRun(database.db, userId, runId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
