import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { DEFAULT_TRAINING, type TrainingSpec } from '../../blocks/format/model-spec';
import { modelWorkspace } from '../../blocks/templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TrainingCell } from '../../blocks/format/notebook';
import { withTrainingSettings } from '../../blocks/templates/training-cell';
import { notebooks, runCheckpoints, runMetrics, runs } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { getNotebook, listNotebooks } from '../services/notebooks';
import { createCsvDataset, storedDatasetRef } from '../services/datasets';
import { createRunSink, getRun } from '../services/run-store';
import { startRun } from '../services/runs';
import { createAnonymousSession } from '../services/sessions';
import type { RunEvent, TrainJob } from '../training/protocol';
import { TrainingRunner } from '../training/runner';
import { PgJobQueue } from './pg-job-queue';
import { listenForRunEvents } from './run-events-channel';
import { WORKER_LOST_MESSAGE, WORKER_LOST_TWICE_MESSAGE, liveWorkers, recoverRunsOfLostWorkers } from './workers';
import { resumedNote } from '../training/failures';

/**
 * `layerbook worker` started by hand, as on a second machine, against a real PostgreSQL
 * database (external workers need a server that several processes can share; the built-in
 * PGlite database cannot be, so there is no PGlite variant of this suite).
 */
const CLI = fileURLToPath(new URL('../../bin/layerbook.js', import.meta.url));
const HEARTBEAT_TIMEOUT_S = 2;

async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a worker machine (layerbook worker) on postgres', () => {
  let database: TestDatabase;
  let queue: PgJobQueue;
  /** The web server's side: it queues runs and relays the events it hears; it trains nothing itself. */
  let webServer: TrainingRunner;
  let stopListening: () => Promise<void>;
  let worker: ChildProcess | null = null;
  let workerOutput = '';
  /** Workers started by the tests that need more than one machine. */
  const others: ChildProcess[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    queue = await PgJobQueue.open({ database, connectionString: database.url!, maxRunningPerUser: 1 });
    webServer = new TrainingRunner({ sink: createRunSink(database.db), queue });
    stopListening = await listenForRunEvents(database, (runId, event) => webServer.relay(runId, event));
  }, 60_000);
  afterAll(async () => {
    worker?.kill('SIGKILL');
    for (const other of others) other.kill('SIGKILL');
    await stopListening?.();
    await queue?.close();
    await database?.destroy();
  });

  function startWorker(): ChildProcess {
    workerOutput = '';
    const child = spawnWorker();
    child.stdout!.on('data', (chunk) => (workerOutput += chunk));
    child.stderr!.on('data', (chunk) => (workerOutput += chunk));
    return child;
  }

  function spawnWorker(): ChildProcess {
    return spawn(process.execPath, [CLI, 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url!,
        LAYERBOOK_BACKEND: 'wasm',
        LAYERBOOK_HEARTBEAT_TIMEOUT_S: String(HEARTBEAT_TIMEOUT_S),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Another machine: a worker of its own, ready once it says how it trains. */
  async function startOtherWorker(): Promise<ChildProcess> {
    const child = spawnWorker();
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    others.push(child);
    await waitFor('the worker to say how it trains', () => /Training on CPU/.test(output));
    return child;
  }

  /**
   * A run queued the way startRun queues it (a run row, then the job for its owner), of a
   * given model and dataset, without depending on how the notebook's cells look.
   */
  async function queuedRun(userId: string, job: Omit<TrainJob, 'runId'>) {
    const [notebook] = await listNotebooks(database.db, userId);
    const [row] = await database.db
      .insert(runs)
      .values({ notebookId: notebook!.id, cellId: 'cell', ownerId: userId, spec: job.spec, training: job.training, totalParams: 1, status: 'queued' })
      .returning({ id: runs.id });
    const events: RunEvent[] = [];
    webServer.subscribe(row!.id, (event) => events.push(event));
    await webServer.enqueue({ runId: row!.id, ...job }, userId);
    return { runId: row!.id, events };
  }

  const pointsSpec = () =>
    specFromWorkspace(
      modelWorkspace('points', 'Points', [
        { key: 'input', args: { shape: [2] } },
        { key: 'dense', args: { units: 8, activation: 'relu' } },
        { key: 'dense', args: { units: 2, activation: 'softmax' } },
      ]),
    ).spec!;

  async function studentRun(epochs: number, batchSize = 256) {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cells = notebook.cells.map((c) => (c.type === 'training' ? withTrainingSettings(c, { epochs, batchSize }) : c));
    await database.db.update(notebooks).set({ cells }).where(eq(notebooks.id, notebook.id));
    const cell = cells.find((c): c is TrainingCell => c.type === 'training')!;
    const events: RunEvent[] = [];
    const { runId } = await startRun(database.db, webServer, user.id, { notebookId: notebook.id, cellId: cell.id });
    webServer.subscribe(runId, (event) => events.push(event));
    return { userId: user.id, runId, events, notebook: await getNotebook(database.db, user.id, notebook.id) };
  }

  it('takes a job from the shared queue, says which backend it trains on, and its progress reaches the web server', async () => {
    worker = startWorker();
    await waitFor('the worker to say how it trains', () => /Training on CPU \(TF\.js backend: wasm\)/.test(workerOutput));
    const [registered] = await liveWorkers(database.db, HEARTBEAT_TIMEOUT_S);
    expect(registered).toMatchObject({ kind: 'external', backend: 'wasm', busy: false });

    const { userId, runId, events } = await studentRun(1);
    const done = await waitFor('the run to succeed', async () => {
      const run = await getRun(database.db, userId, runId);
      return run.status === 'succeeded' ? run : null;
    });
    expect(done.backend).toBe('wasm');
    expect(done.epochs).toHaveLength(1);
    // Relayed through pg_notify to the web server's subscribers, ending with the final status.
    await waitFor('the relayed end of the run', () => events.some((e) => e.type === 'status' && e.status === 'succeeded'));
    const types = new Set(events.map((e) => (e.type === 'status' ? `status:${e.status}` : e.type)));
    expect([...types]).toEqual(expect.arrayContaining(['status:running', 'batch', 'epoch', 'done', 'status:succeeded']));
  }, 120_000);

  it('cancels a run on the worker when the student cancels it through the web server', async () => {
    const { userId, runId } = await studentRun(30);
    await waitFor('the run to start', async () => (await getRun(database.db, userId, runId)).status === 'running');
    const { cancelRun } = await import('../services/runs');
    await cancelRun(database.db, webServer, userId, runId);
    await waitFor('the worker to be idle again', async () => (await liveWorkers(database.db, HEARTBEAT_TIMEOUT_S))[0]?.busy === false, 20_000);
    expect((await getRun(database.db, userId, runId)).status).toBe('cancelled');
  }, 120_000);

  it('trains a student\'s uploaded dataset, read a chunk at a time from the database by the worker machine', async () => {
    const { user } = await createAnonymousSession(database.db);
    const rows = Array.from({ length: 400 }, (_, i) => {
      const [x, y] = [Math.sin(i * 1.3), Math.cos(i * 2.1)];
      return `${x},${y},${x > y ? 'above' : 'below'}`;
    });
    const csv = new TextEncoder().encode(`x,y,side\n${rows.join('\n')}`);
    const uploaded = await createCsvDataset(database.db, user.id, csv, {
      name: 'Sides',
      label: 'side',
      features: [
        { column: 'x', as: 'number' },
        { column: 'y', as: 'number' },
      ],
      normalization: 'none',
      split: { train: 70, validation: 15, test: 15 },
      seed: 2,
    });
    const dataset = await storedDatasetRef(database.db, user.id, uploaded.id);
    const training: TrainingSpec = { ...DEFAULT_TRAINING, dataset: { cell: 'data' }, epochs: 5, batchSize: 16, learningRate: 0.05 };
    const { runId } = await queuedRun(user.id, { spec: pointsSpec(), training, dataset });
    const done = await waitFor('the run to end', async () => {
      const run = await getRun(database.db, user.id, runId);
      return run.status === 'succeeded' || run.status === 'failed' ? run : null;
    });
    expect(done).toMatchObject({ status: 'succeeded', error: null });
    expect(done.epochs).toHaveLength(5);
    expect(done.testAccuracy).toBeGreaterThan(0.8);
  }, 120_000);

  it('fails the run of a worker killed before its first checkpoint within the heartbeat timeout, leaving the notebook alone', async () => {
    // Batches of 8 make the first epoch last a few seconds, so the kill comes before any checkpoint.
    const { userId, runId, notebook } = await studentRun(30, 8);
    await waitFor('the run to start', async () => (await getRun(database.db, userId, runId)).status === 'running');
    worker!.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await database.db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId))).toEqual([]);

    // What every web server does every few seconds.
    const failed = await waitFor('the run to be failed', async () => {
      const { failed: ids } = await recoverRunsOfLostWorkers(database.db, HEARTBEAT_TIMEOUT_S);
      return ids.includes(runId) ? ids : null;
    }, 20_000);
    expect(failed).toEqual([runId]);
    expect(Date.now() - killedAt).toBeLessThan((HEARTBEAT_TIMEOUT_S + 3) * 1000);
    expect(await getRun(database.db, userId, runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_MESSAGE });
    expect(await getNotebook(database.db, userId, notebook.id)).toEqual(notebook);
    expect(await liveWorkers(database.db, HEARTBEAT_TIMEOUT_S)).toEqual([]);
    worker = null;
  }, 120_000);

  it('carries a run on from its checkpoint on another machine when its worker is killed, once', async () => {
    const { user } = await createAnonymousSession(database.db);
    const first = await startOtherWorker();
    // Circle epochs take a fraction of a second, so checkpoints come often; 100 epochs of small
    // batches (the most a student may ask for, as every stored run must be) outlast both kills.
    const training: TrainingSpec = { ...DEFAULT_TRAINING, dataset: 'circle', epochs: 100, batchSize: 4, learningRate: 0.03 };
    const { runId, events } = await queuedRun(user.id, { spec: pointsSpec(), training, dataset: { kind: 'builtIn', id: 'circle' } });
    const checkpointOf = async () => (await database.db.select().from(runCheckpoints).where(eq(runCheckpoints.runId, runId)))[0];
    await waitFor('a checkpoint', checkpointOf);
    // Only now does a second machine join, so the first one is the one training.
    const second = await startOtherWorker();
    first.kill('SIGKILL');
    const killedAt = Date.now();
    const saved = (await checkpointOf())!;
    expect(saved.optimizerData?.byteLength).toBeGreaterThan(0);

    // Swept as every web server and worker does (the second worker sweeps too).
    await waitFor('the run to be put back in line', async () => {
      await recoverRunsOfLostWorkers(database.db, HEARTBEAT_TIMEOUT_S);
      return (await getRun(database.db, user.id, runId)).notes.length > 0;
    }, 30_000);
    const note = (await getRun(database.db, user.id, runId)).notes[0]!;
    const resumedAt = Number(/from epoch (\d+)/.exec(note)![1]);
    expect(resumedAt).toBeGreaterThan(saved.epoch);
    expect(note).toBe(resumedNote(resumedAt));
    await waitFor('the run to train on the other machine', async () => {
      const run = await getRun(database.db, user.id, runId);
      return run.status === 'running' && run.epochs.some((e) => e.epoch >= resumedAt);
    }, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    // The page heard it live, through the database, as well as finding it stored.
    await waitFor('the note to reach the web server', () => events.some((e) => e.type === 'note' && e.text === note));
    const [{ workerId }] = await database.db.select({ workerId: runs.workerId }).from(runs).where(eq(runs.id, runId)) as [{ workerId: string }];
    expect(workerId).not.toContain(`:${first.pid}`);

    // The epoch after the checkpoint was trained again from the checkpoint, not from scratch:
    // every epoch up to it is still stored once, none is missing.
    const epochs = (await database.db.select({ epoch: runMetrics.epoch }).from(runMetrics).where(eq(runMetrics.runId, runId))).map((e) => e.epoch).sort((a, b) => a - b);
    expect(epochs.slice(0, resumedAt)).toEqual(Array.from({ length: resumedAt }, (_, i) => i + 1));

    // A second lost machine ends the run, saying so.
    await waitFor('a checkpoint on the second machine', async () => ((await checkpointOf())?.epoch ?? 0) >= resumedAt);
    second.kill('SIGKILL');
    await waitFor('the run to fail', async () => {
      await recoverRunsOfLostWorkers(database.db, HEARTBEAT_TIMEOUT_S);
      return (await getRun(database.db, user.id, runId)).status === 'failed';
    }, 30_000);
    expect(await getRun(database.db, user.id, runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_TWICE_MESSAGE, notes: [note] });
  }, 180_000);
});
