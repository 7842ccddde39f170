/**
 * Notebook save round trip as a browser makes it: HTTP → tRPC (notebook limits, zod validation;
 * nothing compiled) → an optimistic-concurrency UPDATE → response. Baseline: GET
 * /api/health on the same server, i.e. HTTP plus one trivial database query.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { openTestDatabase, isPostgresReachable } from '../testing/database';
import type { DatabaseKind } from '../db/client';
import { createServer } from '../server/http';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { DEFAULT_MAX_PARAMS } from '../blocks/compile';
import { heading, median, ms, percentile, ratio } from './stats';

const CLIENTS = 20;
const SAVES_PER_CLIENT = 50;

interface Client {
  cookie: string;
  call(path: string, input: unknown): Promise<any>;
}

function clientFor(base: string): Client {
  const client: Client = {
    cookie: '',
    async call(path, input) {
      const response = await fetch(`${base}/api/trpc/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: client.cookie },
        body: JSON.stringify(input),
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) client.cookie = setCookie.split(';')[0]!;
      const body = await response.json();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return body.result.data;
    },
  };
  return client;
}

async function benchOn(kind: DatabaseKind): Promise<void> {
  const database = await openTestDatabase(kind);
  const server = createServer({ database, runner: new FakeRunQueue(), maxParams: DEFAULT_MAX_PARAMS });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const clients = Array.from({ length: CLIENTS }, () => clientFor(base));
    // Each client saves its own copy of the starter notebook (a markdown and a model cell).
    const notebooks = await Promise.all(
      clients.map(async (client) => {
        const { id } = await client.call('notebook.create', {});
        const notebook = await fetch(`${base}/api/trpc/notebook.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, {
          headers: { cookie: client.cookie },
        }).then((r) => r.json());
        return notebook.result.data as { id: string; title: string; cells: unknown[]; version: number };
      }),
    );

    const health = await timeHealth(base, CLIENTS * 10);
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      clients.map(async (client, i) => {
        const notebook = notebooks[i]!;
        for (let n = 0; n < SAVES_PER_CLIENT; n++) {
          const t0 = performance.now();
          const saved = await client.call('notebook.save', { ...notebook, title: `Save ${n}` });
          latencies.push(performance.now() - t0);
          notebook.version = saved.version;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${kind.padEnd(8)}: save median ${ms(median(latencies))}, p99 ${ms(percentile(latencies, 99))}, ` +
        `${(latencies.length / seconds).toFixed(0)} saves/s with ${CLIENTS} concurrent clients` +
        `  (baseline /api/health median ${ms(median(health))}; save = ${ratio(median(latencies), median(health))})`,
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.destroy();
  }
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

export async function benchSave(): Promise<void> {
  heading(`Notebook save round trip (tRPC + database, ${CLIENTS} concurrent clients × ${SAVES_PER_CLIENT} saves)`);
  await benchOn('pglite');
  if (await isPostgresReachable()) await benchOn('postgres');
  else console.log('postgres: skipped (no server at TEST_DATABASE_URL)');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchSave();
