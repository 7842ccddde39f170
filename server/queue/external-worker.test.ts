import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelCell } from '../../blocks/spec/notebook';
import { notebooks } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../db/testing';
import { getNotebook, listNotebooks } from '../services/notebooks';
import { createRunSink, getRun, startRun } from '../services/runs';
import { createAnonymousSession } from '../services/sessions';
import type { RunEvent } from '../training/protocol';
import { TrainingRunner } from '../training/runner';
import { PgJobQueue } from './pg-job-queue';
import { listenForRunEvents } from './run-events-channel';
import { WORKER_LOST_MESSAGE, failRunsOfLostWorkers, liveWorkers } from './workers';

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

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    queue = await PgJobQueue.open({ database, connectionString: database.url!, maxRunningPerUser: 1 });
    webServer = new TrainingRunner({ sink: createRunSink(database.db), queue });
    stopListening = await listenForRunEvents(database, (runId, event) => webServer.relay(runId, event));
  }, 60_000);
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stopListening?.();
    await queue?.close();
    await database?.destroy();
  });

  function startWorker(): ChildProcess {
    workerOutput = '';
    const child = spawn(process.execPath, [CLI, 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url!,
        LAYERBOOK_BACKEND: 'wasm',
        LAYERBOOK_HEARTBEAT_TIMEOUT_S: String(HEARTBEAT_TIMEOUT_S),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (workerOutput += chunk));
    child.stderr!.on('data', (chunk) => (workerOutput += chunk));
    return child;
  }

  async function studentRun(epochs: number) {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cells = notebook.cells.map((c) => (c.type === 'model' ? { ...c, training: { ...c.training, epochs, batchSize: 256 } } : c));
    await database.db.update(notebooks).set({ cells }).where(eq(notebooks.id, notebook.id));
    const cell = cells.find((c): c is ModelCell => c.type === 'model')!;
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

  it('fails the run of a worker killed mid-run within the heartbeat timeout, leaving the notebook alone', async () => {
    const { userId, runId, notebook } = await studentRun(30);
    await waitFor('the run to start', async () => (await getRun(database.db, userId, runId)).status === 'running');
    worker!.kill('SIGKILL');
    const killedAt = Date.now();

    // What every web server does every few seconds.
    const failed = await waitFor('the run to be failed', async () => {
      const ids = await failRunsOfLostWorkers(database.db, HEARTBEAT_TIMEOUT_S);
      return ids.includes(runId) ? ids : null;
    }, 20_000);
    expect(failed).toEqual([runId]);
    expect(Date.now() - killedAt).toBeLessThan((HEARTBEAT_TIMEOUT_S + 3) * 1000);
    expect(await getRun(database.db, userId, runId)).toMatchObject({ status: 'failed', error: WORKER_LOST_MESSAGE });
    expect(await getNotebook(database.db, userId, notebook.id)).toEqual(notebook);
    expect(await liveWorkers(database.db, HEARTBEAT_TIMEOUT_S)).toEqual([]);
    worker = null;
  }, 120_000);
});
