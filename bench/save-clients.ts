/**
 * The save benchmark's browsers, run in a worker thread so that making requests and reading
 * answers does not compete with the server for its one JavaScript thread (as real browsers
 * do not). Each client makes its own user and notebook, then saves it again and again.
 */
import { Agent, request as httpRequest } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { thisThreadCpuMs } from './stats';

export interface ClientsJob {
  base: string;
  clients: number;
  savesPerClient: number;
  warmUpSavesPerClient: number;
  healthCount: number;
}

export interface ClientsResult {
  latencies: number[];
  health: number[];
  seconds: number;
  /** CPU time of the clients' thread while the measured saves ran. */
  clientsCpuMs: number;
}

interface Client {
  agent: Agent;
  cookie: string;
  call(path: string, input: unknown): Promise<any>;
}

interface Answer {
  status: number;
  setCookie: string | undefined;
  body: string;
}

/**
 * Requests through node:http with one keep-alive connection per client, as a browser keeps its
 * connection open. Not fetch: undici's fetch (web streams, abort signals, a Response per call)
 * spent about as much CPU per save as the server did, on the same two cores, so the clients
 * slowed the server they were measuring.
 */
function request(base: string, agent: Agent, method: 'GET' | 'POST', path: string, cookie: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { origin: base };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const req = httpRequest(`${base}${path}`, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie']?.[0], body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function clientFor(base: string): Client {
  const client: Client = {
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
    cookie: '',
    async call(path, input) {
      const answer = await request(base, client.agent, 'POST', `/api/trpc/${path}`, client.cookie, JSON.stringify(input));
      if (answer.setCookie) client.cookie = answer.setCookie.split(';')[0]!;
      const body = JSON.parse(answer.body);
      if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body}`);
      return body.result.data;
    },
  };
  return client;
}

async function runClients({ base, clients: count, savesPerClient, warmUpSavesPerClient, healthCount }: ClientsJob): Promise<ClientsResult> {
  const clients = Array.from({ length: count }, () => clientFor(base));
  // Each client saves its own copy of the starter notebook (a markdown and a model cell).
  const notebooks = await Promise.all(
    clients.map(async (client) => {
      const { id } = await client.call('notebook.create', {});
      const answer = await request(base, client.agent, 'GET', `/api/trpc/notebook.get?input=${encodeURIComponent(JSON.stringify({ id }))}`, client.cookie);
      return JSON.parse(answer.body).result.data as { id: string; title: string; cells: unknown[]; version: number };
    }),
  );

  const health: number[] = [];
  const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < healthCount; i++) {
    const t0 = performance.now();
    await request(base, healthAgent, 'GET', '/api/health', '');
    health.push(performance.now() - t0);
  }

  const saveRounds = (count: number, latencies: number[] | null) =>
    Promise.all(
      clients.map(async (client, i) => {
        const notebook = notebooks[i]!;
        for (let n = 0; n < count; n++) {
          const t0 = performance.now();
          const saved = await client.call('notebook.save', { ...notebook, title: `Save ${n}` });
          latencies?.push(performance.now() - t0);
          notebook.version = saved.version;
        }
      }),
    );
  // Unmeasured: a server that has served a class for a while runs its save path compiled by
  // V8, with its connections open and its statements prepared on each; the first saves after
  // a start measure those instead.
  await saveRounds(warmUpSavesPerClient, null);

  const latencies: number[] = [];
  // The server's thread starts counting its busy time here (bench/save.ts).
  parentPort?.postMessage({ savesStarting: true });
  const started = performance.now();
  const cpuAtStart = thisThreadCpuMs();
  await saveRounds(savesPerClient, latencies);
  return { latencies, health, seconds: (performance.now() - started) / 1000, clientsCpuMs: thisThreadCpuMs() - cpuAtStart };
}

if (parentPort) {
  const port = parentPort;
  runClients(workerData as ClientsJob).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
  );
}
