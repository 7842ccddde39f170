/**
 * The save benchmark's browsers, run in a worker thread so that making requests and reading
 * answers does not compete with the server for its one JavaScript thread (as real browsers
 * do not). Each client makes its own user and notebook, then saves it again and again.
 */
import { parentPort, workerData } from 'node:worker_threads';

export interface ClientsJob {
  base: string;
  clients: number;
  savesPerClient: number;
  healthCount: number;
}

export interface ClientsResult {
  latencies: number[];
  health: number[];
  seconds: number;
}

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

async function runClients({ base, clients: count, savesPerClient, healthCount }: ClientsJob): Promise<ClientsResult> {
  const clients = Array.from({ length: count }, () => clientFor(base));
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

  const health: number[] = [];
  for (let i = 0; i < healthCount; i++) {
    const t0 = performance.now();
    await fetch(`${base}/api/health`).then((r) => r.arrayBuffer());
    health.push(performance.now() - t0);
  }

  const latencies: number[] = [];
  // The server's thread starts counting its busy time here (bench/save.ts).
  parentPort?.postMessage({ savesStarting: true });
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      const notebook = notebooks[i]!;
      for (let n = 0; n < savesPerClient; n++) {
        const t0 = performance.now();
        const saved = await client.call('notebook.save', { ...notebook, title: `Save ${n}` });
        latencies.push(performance.now() - t0);
        notebook.version = saved.version;
      }
    }),
  );
  return { latencies, health, seconds: (performance.now() - started) / 1000 };
}

if (parentPort) {
  const port = parentPort;
  runClients(workerData as ClientsJob).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
}
