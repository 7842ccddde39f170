/**
 * The training service under load, as `npm start` runs it: the web server, the pg-boss queue
 * on the embedded database and training processes (wasm backend).
 *
 * 1. Queue latency: Train pressed (startRun) → first progress (batch) event, one run at a
 *    time on an idle worker; median and p95.
 * 2. 30 students press Train at once: time until all are done, the longest wait in line,
 *    and the web server's /api/health p99 while they train (baseline: the same requests
 *    on the idle server just before).
 * Every run is the starter notebook's model for 1 epoch at batch size 256 on the built-in
 * MNIST subset the trainer ships (7,996 training images), so the figures measure the queue
 * and the service, not a long training.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { eq } from 'drizzle-orm';
import { type TrainingCell } from '../blocks/format/notebook';
import { withTrainingSettings } from '../blocks/templates/training-cell';
import { notebooks } from '../db/schema';
import { openTestDatabase } from '../testing/database';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import { createServer } from '../server/http';
import { PgJobQueue } from '../server/queue/pg-job-queue';
import { getNotebook, listNotebooks } from '../server/services/notebooks';
import { createRunSink } from '../server/services/run-store';
import { startRun } from '../server/services/runs';
import { createAnonymousSession } from '../server/services/sessions';
import type { RunEvent } from '../server/training/protocol';
import { TrainingRunner } from '../server/training/runner';
import { heading, median, ms, percentile, ratio } from './stats';

export interface QueueBenchOptions {
  /** Runs timed one after another for the latency figure (default 10). */
  latencyRuns?: number;
  /** Students pressing Train at once (default 30). */
  concurrentJobs?: number;
  /** Training processes (default 2: this machine's cores are shared with the web server). */
  workers?: number;
}

export async function benchQueue(options: QueueBenchOptions = {}): Promise<void> {
  const latencyRuns = options.latencyRuns ?? 10;
  const concurrentJobs = options.concurrentJobs ?? 30;
  const workerCount = options.workers ?? 2;
  heading(`Training queue (PGlite + pg-boss, ${workerCount} wasm workers; 1 epoch, batch 256, starter model)`);

  const database = await openTestDatabase('pglite');
  const queue = await PgJobQueue.open({ database, maxRunningPerUser: 1 });
  const runner = new TrainingRunner({ sink: createRunSink(database.db), backend: 'wasm', queue, workerCount });
  runner.start();
  const server = createServer({ database, runner, maxParams: DEFAULT_MAX_PARAMS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    while ((await runner.health()).workers < workerCount) await sleep(100);

    const latencies: number[] = [];
    for (let i = 0; i < latencyRuns; i++) {
      const student = await newStudent();
      const t0 = performance.now();
      const { runId } = await student.train();
      await untilEvent(runner, runId, (e) => e.type === 'batch');
      latencies.push(performance.now() - t0);
      await untilEvent(runner, runId, isFinal);
    }
    console.log(`Train pressed → first progress: median ${ms(median(latencies))}, p95 ${ms(percentile(latencies, 95))} (${latencyRuns} runs)`);

    const students = await Promise.all(Array.from({ length: concurrentJobs }, () => newStudent()));
    const idleHealth = await timeHealth(base, 200);
    const waits: number[] = [];
    let training = true;
    const busyHealth: number[] = [];
    const poller = (async () => {
      while (training) {
        busyHealth.push(...(await timeHealth(base, 1)));
        await sleep(20);
      }
    })();
    const t0 = performance.now();
    await Promise.all(
      students.map(async (student) => {
        const pressed = performance.now();
        const { runId } = await student.train();
        await untilEvent(runner, runId, (e) => e.type === 'status' && e.status === 'running');
        waits.push(performance.now() - pressed);
        await untilEvent(runner, runId, isFinal);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    training = false;
    await poller;
    console.log(
      `${concurrentJobs} students at once: all done in ${seconds.toFixed(1)} s, longest wait ${(Math.max(...waits) / 1000).toFixed(1)} s; ` +
        `/api/health p99 ${ms(percentile(busyHealth, 99))} while training (idle p99 ${ms(percentile(idleHealth, 99))}; ` +
        `${ratio(percentile(busyHealth, 99), percentile(idleHealth, 99))})`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await runner.stop();
    await queue.close();
    await database.destroy();
  }

  async function newStudent() {
    const { user } = await createAnonymousSession(database.db);
    const [item] = await listNotebooks(database.db, user.id);
    const notebook = await getNotebook(database.db, user.id, item!.id);
    const cells = notebook.cells.map((c) => (c.type === 'training' ? withTrainingSettings(c, { epochs: 1, batchSize: 256 }) : c));
    await database.db.update(notebooks).set({ cells }).where(eq(notebooks.id, notebook.id));
    const cell = cells.find((c): c is TrainingCell => c.type === 'training')!;
    return { train: () => startRun(database.db, runner, user.id, { notebookId: notebook.id, cellId: cell.id }) };
  }
}

function isFinal(event: RunEvent): boolean {
  return event.type === 'status' && (event.status === 'succeeded' || event.status === 'failed' || event.status === 'cancelled');
}

/** Resolves at the run's first event that matches; a run that ends first counts as a failed benchmark. */
function untilEvent(runner: TrainingRunner, runId: string, match: (event: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve, reject) => {
    const stop = runner.subscribe(runId, (event) => {
      if (match(event)) {
        stop();
        resolve(event);
      } else if (isFinal(event)) {
        stop();
        reject(new Error(`Run ${runId} ended (${JSON.stringify(event)}) before the awaited event.`));
      }
    });
  });
}

async function timeHealth(base: string, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
    samples.push(performance.now() - t0);
  }
  return samples;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchQueue({
    latencyRuns: Number(process.env.BENCH_LATENCY_RUNS ?? 10),
    concurrentJobs: Number(process.env.BENCH_CONCURRENT_JOBS ?? 30),
  });
  process.exit(0);
}
