/**
 * Notebook save round trip as a browser makes it: HTTP → tRPC (notebook limits, zod validation;
 * nothing compiled) → an optimistic-concurrency UPDATE → response. Baseline: GET
 * /api/health on the same server, i.e. HTTP plus one trivial database query. The clients run
 * in a worker thread (bench/save-clients.ts), so they do not compete with the server for its
 * JavaScript thread. BENCH_SAVE_NO_RATE_LIMITS=1 leaves out the rate limits, to see their share.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openTestDatabase, isPostgresReachable } from '../testing/database';
import type { DatabaseKind } from '../db/client';
import { createServer } from '../server/http';
import { NO_RATE_LIMITS } from '../server/rate-limit/limiter';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import type { ClientsJob, ClientsResult } from './save-clients';
import { heading, median, ms, percentile, ratio, thisThreadCpuMs } from './stats';

const CLIENTS = 20;
const SAVES_PER_CLIENT = 50;
/** Within the per-user save limit (120 a minute) together with the measured ones. */
const WARM_UP_SAVES_PER_CLIENT = 10;

async function benchOn(kind: DatabaseKind): Promise<void> {
  const database = await openTestDatabase(kind);
  const server = createServer({ database, runner: new FakeRunQueue(), maxParams: DEFAULT_MAX_PARAMS, ...(process.env.BENCH_SAVE_NO_RATE_LIMITS === '1' ? { rateLimits: NO_RATE_LIMITS } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { latencies, health, seconds, serverCpuMs, clientsCpuMs } = await runClientsElsewhere({ base, clients: CLIENTS, savesPerClient: SAVES_PER_CLIENT, warmUpSavesPerClient: WARM_UP_SAVES_PER_CLIENT, healthCount: CLIENTS * 10 });
    console.log(
      `${kind.padEnd(8)}: save median ${ms(median(latencies))}, p99 ${ms(percentile(latencies, 99))}, ` +
        `${(latencies.length / seconds).toFixed(0)} saves/s with ${CLIENTS} concurrent clients` +
        `  (baseline /api/health median ${ms(median(health))}; save = ${ratio(median(latencies), median(health))}); ` +
        `server thread CPU ${ms(serverCpuMs / latencies.length)} per save (clients' thread ${ms(clientsCpuMs / latencies.length)})`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.destroy();
  }
}

/**
 * The clients run in a worker thread: the server's thread serves, as it would for real browsers.
 * Besides the clients' latencies, the server thread's CPU time while the saves ran: with 20
 * clients waiting, latency is mostly queueing behind it, and unlike latency it hardly moves
 * with what else the machine is running (other processes only delay the thread).
 */
function runClientsElsewhere(job: ClientsJob): Promise<ClientsResult & { serverCpuMs: number }> {
  // Node 20 does not hand `--import tsx` on to a worker's entry file, so the worker registers tsx itself first.
  const entry = new URL('./save-clients.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(bootstrap, { eval: true, workerData: job });
  let atSavesStart = NaN;
  return new Promise<ClientsResult & { serverCpuMs: number }>((resolve, reject) => {
    worker.on('message', (message: { savesStarting: true } | { ok: true; result: ClientsResult } | { ok: false; error: string }) => {
      if ('savesStarting' in message) atSavesStart = thisThreadCpuMs();
      else if (message.ok) resolve({ ...message.result, serverCpuMs: thisThreadCpuMs() - atSavesStart });
      else reject(new Error(`The benchmark's clients failed: ${message.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The benchmark's clients stopped (exit code ${code}) before finishing.`)));
  }).finally(() => worker.terminate());
}

export async function benchSave(): Promise<void> {
  heading(`Notebook save round trip (tRPC + database, ${CLIENTS} concurrent clients × ${SAVES_PER_CLIENT} saves, after ${WARM_UP_SAVES_PER_CLIENT} each to warm up)`);
  // BENCH_SAVE_ON=postgres (or pglite) measures one database only.
  const only = process.env.BENCH_SAVE_ON;
  if (!only || only === 'pglite') await benchOn('pglite');
  if (only === 'pglite') return;
  if (await isPostgresReachable()) await benchOn('postgres');
  else console.log('postgres: skipped (no server at TEST_DATABASE_URL)');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchSave();
