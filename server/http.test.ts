import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import * as tf from '@tensorflow/tfjs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { createServer } from './http';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { createRunSink } from './services/run-store';
import { buildModel } from './training/build-model';
import { saveWeights } from './training/trainer';
import { SESSION_COOKIE } from './services/sessions';

describe('HTTP server', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  const runner = new FakeRunQueue();
  const serverLog: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    server = createServer({
      database,
      runner,
      maxParams: 1_000_000,
      nextHandler: (_req, res) => {
        res.end('page');
      },
      log: (message) => serverLog.push(message),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.destroy();
  });

  function sessionCookieOf(response: Response): string {
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    return cookie!.split(';')[0]!;
  }

  it('reports health without creating a session', async () => {
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.json()).toEqual({
      ok: true,
      database: { kind: 'pglite', ok: true },
      queue: { workers: 1, busy: 0, queued: 0 },
      training: { backend: 'fake' },
    });
  });

  it('lists the training workers of every machine, with their backends, when it knows them', async () => {
    const listed = createServer({
      database,
      runner,
      maxParams: 1_000_000,
      listWorkers: async () => [
        { id: 'embedded:web:10', hostname: 'web', pid: 10, kind: 'embedded', backend: 'wasm', busy: false, lastSeenSeconds: 1 },
        { id: 'external:gpu:20', hostname: 'gpu', pid: 20, kind: 'external', backend: 'tensorflow-gpu', busy: true, lastSeenSeconds: 2 },
      ],
    });
    await new Promise<void>((resolve) => listed.listen(0, '127.0.0.1', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(listed.address() as AddressInfo).port}/api/health`);
      expect(await response.json()).toMatchObject({
        queue: { workers: 2, busy: 1, queued: 0 },
        workers: [
          { id: 'embedded:web:10', hostname: 'web', kind: 'embedded', backend: 'wasm', busy: false },
          { id: 'external:gpu:20', hostname: 'gpu', kind: 'external', backend: 'tensorflow-gpu', busy: true },
        ],
      });
    } finally {
      listed.closeAllConnections();
      await new Promise((resolve) => listed.close(resolve));
    }
  });

  const countRows = async () => {
    const [row] = await database.query<{ users: number; sessions: number; notebooks: number }>(
      sql`select (select count(*) from users)::int as users, (select count(*) from sessions)::int as sessions, (select count(*) from notebooks)::int as notebooks`,
    );
    return row!;
  };

  it('writes nothing for a visitor who only looks: pages, 404s, OPTIONS, static files and queries', async () => {
    const before = await countRows();
    const requests: Array<[string, RequestInit?]> = [
      ['/'],
      ['/layers'],
      ['/notebooks/00000000-0000-4000-8000-000000000000'],
      ['/no-such-page'],
      ['/', { method: 'OPTIONS' }],
      ['/api/trpc/notebook.list', { method: 'OPTIONS' }],
      ['/_next/static/chunk.js'],
      ['/favicon.ico'],
      ['/api/trpc/nothing.here'],
      ['/api/trpc/notebook.list'],
      ['/api/trpc/class.list'],
      ['/api/trpc/dataset.list'],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(`${base}${path}`, init);
      await response.arrayBuffer();
      expect(response.headers.getSetCookie(), path).toEqual([]);
    }
    expect(await countRows()).toEqual(before);
  });

  it('answers a visitor\'s queries as for a user with nothing yet', async () => {
    const call = async (path: string) => {
      const response = await fetch(`${base}/api/trpc/${path}`);
      return { status: response.status, body: (await response.json()) as { result?: { data: unknown }; error?: { message: string } } };
    };
    expect(await call('notebook.list')).toEqual({ status: 200, body: { result: { data: [] } } });
    expect((await call('class.list')).status).toBe(200);
    const missing = await call(`notebook.get?input=${encodeURIComponent(JSON.stringify({ id: '00000000-0000-4000-8000-000000000000' }))}`);
    expect(missing.status).toBe(404);
  });

  it('makes a visitor a user with the starter notebook when they open it from the home page', async () => {
    const before = await countRows();
    const opened = await fetch(`${base}/api/trpc/notebook.openStarter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(opened.status).toBe(200);
    const setCookie = opened.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = sessionCookieOf(opened);
    const { id } = ((await opened.json()) as { result: { data: { id: string } } }).result.data;
    expect(await countRows()).toEqual({ users: before.users + 1, sessions: before.sessions + 1, notebooks: before.notebooks + 1 });

    const list = await fetch(`${base}/api/trpc/notebook.list`, { headers: { cookie } });
    expect(list.headers.getSetCookie()).toEqual([]);
    const body = (await list.json()) as { result: { data: Array<{ id: string; title: string }> } };
    expect(body.result.data.map((n) => [n.id, n.title])).toEqual([[id, 'Your first neural network']]);
  });

  it('makes a visitor a user when they first make a notebook, the starter notebook beside it', async () => {
    const created = await fetch(`${base}/api/trpc/notebook.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"Mine"}' });
    expect(created.status).toBe(200);
    const cookie = sessionCookieOf(created);
    const list = await fetch(`${base}/api/trpc/notebook.list`, { headers: { cookie } });
    const body = (await list.json()) as { result: { data: Array<{ title: string }> } };
    expect(body.result.data.map((n) => n.title).sort()).toEqual(['Mine', 'Your first neural network']);
  });

  it('does not let a visitor change anything without a session', async () => {
    const before = await countRows();
    const response = await fetch(`${base}/api/trpc/notebook.delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '00000000-0000-4000-8000-000000000000' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    // A first action with malformed input is refused before it makes a user.
    const malformed = await fetch(`${base}/api/trpc/notebook.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":42}' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.getSetCookie()).toEqual([]);
    expect(await countRows()).toEqual(before);
  });

  it('answers a malformed request with 400 and the field name', async () => {
    const input = encodeURIComponent(JSON.stringify({ id: 12 }));
    const response = await fetch(`${base}/api/trpc/notebook.get?input=${input}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; data: { code: string; zodError: unknown } } };
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(body.error.message).toMatch(/\bid: /);
    expect(body.error.data.zodError).toMatchObject({ fieldErrors: { id: [expect.any(String)] } });
    // Outside `npm run dev` an error never shows where the server's files are.
    expect(JSON.stringify(body)).not.toMatch(/\.ts:\d+|node_modules|"stack"/);
  });

  async function firstVisit() {
    const cookie = sessionCookieOf(
      await fetch(`${base}/api/trpc/notebook.openStarter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    );
    const call = async <T>(path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${base}/api/trpc/${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as { result: { data: T } };
      return json.result.data;
    };
    return { cookie, call };
  }

  it('streams a run\'s progress over server-sent events until it ends', async () => {
    const { cookie, call } = await firstVisit();
    const [notebook] = await call<Array<{ id: string }>>('notebook.list');
    const loaded = await call<{ cells: Array<{ id: string; type: string }> }>(
      `notebook.get?input=${encodeURIComponent(JSON.stringify({ id: notebook!.id }))}`,
    );
    const cellId = loaded.cells.find((c) => c.type === 'training')!.id;
    const { runId } = await call<{ runId: string }>('run.start', { notebookId: notebook!.id, cellId });

    const input = encodeURIComponent(JSON.stringify({ runId }));
    const response = await fetch(`${base}/api/trpc/run.events?input=${input}`, {
      headers: { cookie, accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}; got ${text}`);
        text += value;
      }
    };
    await readUntil('"status":"queued"');
    expect(runner.subscriberCount(runId)).toBe(1);
    runner.emit(runId, { type: 'status', status: 'running', backend: 'cpu' });
    await readUntil('"status":"running"');
    runner.emit(runId, { type: 'status', status: 'cancelled' });
    await readUntil('"status":"cancelled"');
    await reader.cancel();
    await expect.poll(() => runner.subscriberCount(runId)).toBe(0);
  });

  it("answers a subscription to someone else's run with NOT_FOUND over server-sent events, logging nothing", async () => {
    const owner = await firstVisit();
    const [notebook] = await owner.call<Array<{ id: string }>>('notebook.list');
    const loaded = await owner.call<{ cells: Array<{ id: string; type: string }> }>(
      `notebook.get?input=${encodeURIComponent(JSON.stringify({ id: notebook!.id }))}`,
    );
    const cellId = loaded.cells.find((c) => c.type === 'training')!.id;
    const { runId } = await owner.call<{ runId: string }>('run.start', { notebookId: notebook!.id, cellId });
    const stranger = await firstVisit();
    serverLog.length = 0;

    const input = encodeURIComponent(JSON.stringify({ runId }));
    const response = await fetch(`${base}/api/trpc/run.events?input=${input}`, { headers: { cookie: stranger.cookie, accept: 'text/event-stream' } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes('event: serialized-error')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    const errorLine = text.split('\n').find((line, i, lines) => lines[i - 1] === 'event: serialized-error' && line.startsWith('data: '));
    expect(errorLine, text).toBeDefined();
    const error = JSON.parse(errorLine!.slice('data: '.length)) as { message: string; data: { code: string; httpStatus: number } };
    expect(error.data.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/does not exist, or it belongs to someone else/);
    expect(text).not.toContain('INTERNAL_SERVER_ERROR');
    expect(serverLog).toEqual([]);
  });

  it('answers a save of a notebook that changed elsewhere with 409', async () => {
    const { cookie, call } = await firstVisit();
    const [notebook] = await call<Array<{ id: string }>>('notebook.list');
    const response = await fetch(`${base}/api/trpc/notebook.save`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ id: notebook!.id, version: 99, title: 'x', cells: [] }),
    });
    expect(response.status).toBe(409);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/changed in another tab/);
  });

  describe('downloading a trained model', () => {
    async function queuedRun() {
      const visit = await firstVisit();
      const [notebook] = await visit.call<Array<{ id: string }>>('notebook.list');
      const loaded = await visit.call<{ cells: Array<{ id: string; type: string }> }>(
        `notebook.get?input=${encodeURIComponent(JSON.stringify({ id: notebook!.id }))}`,
      );
      const cellId = loaded.cells.find((c) => c.type === 'training')!.id;
      const { runId } = await visit.call<{ runId: string }>('run.start', { notebookId: notebook!.id, cellId });
      return { ...visit, runId, job: runner.jobs.find((j) => j.runId === runId)! };
    }

    /** Trains nothing: stores the freshly initialised model as the run's result, as the worker would. */
    async function finishWithModel(run: Awaited<ReturnType<typeof queuedRun>>) {
      await tf.setBackend('cpu');
      const model = buildModel(tf, run.job.spec);
      const sink = createRunSink(database.db);
      await sink.started(run.runId, 'cpu');
      await sink.finished(run.runId, { testAccuracy: 0.5, testLoss: 1, samplesPerSec: 10, weights: await saveWeights(tf, model) });
      return model;
    }

    it('serves model.json and weights.bin that tf.loadLayersModel loads, predicting like the stored weights', async () => {
      const run = await queuedRun();
      const trained = await finishWithModel(run);
      const url = `${base}/api/runs/${run.runId}/model.json`;

      const modelJson = await fetch(url, { headers: { cookie: run.cookie } });
      expect(modelJson.status).toBe(200);
      expect(modelJson.headers.get('content-type')).toContain('application/json');
      const manifest = (await modelJson.json()) as { format: string; weightsManifest: Array<{ paths: string[] }> };
      expect(manifest.format).toBe('layers-model');
      expect(manifest.weightsManifest.map((group) => group.paths)).toEqual([['weights.bin']]);
      const weightsBin = await fetch(`${base}/api/runs/${run.runId}/weights.bin`, { headers: { cookie: run.cookie } });
      expect(weightsBin.status).toBe(200);
      expect(weightsBin.headers.get('content-type')).toBe('application/octet-stream');
      // Files to save, never pages to render or scripts to run, whatever a browser would guess.
      for (const [response, name] of [[modelJson, 'model.json'], [weightsBin, 'weights.bin']] as const) {
        expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }

      // Exactly what a student's page does: load from the URL, weights found relative to model.json.
      const loaded = await tf.loadLayersModel(tf.io.http(url, { requestInit: { headers: { cookie: run.cookie } } }));
      const inputShape = trained.inputs[0]!.shape.slice(1) as number[];
      const input = tf.randomUniform([3, ...inputShape], 0, 1, 'float32', 7);
      const expected = (trained.predict(input) as tf.Tensor).arraySync() as number[][];
      const actual = (loaded.predict(input) as tf.Tensor).arraySync() as number[][];
      expect(actual.length).toBe(3);
      expect(actual.flat().every(Number.isFinite)).toBe(true);
      actual.flat().forEach((value, i) => expect(value).toBeCloseTo(expected.flat()[i]!, 6));
      input.dispose();
      trained.dispose();
      loaded.dispose();
    });

    it("answers 404 for someone else's run, an unknown id and a visitor without a session", async () => {
      const run = await queuedRun();
      await finishWithModel(run);
      const stranger = await firstVisit();
      for (const [path, cookie] of [
        [`/api/runs/${run.runId}/model.json`, stranger.cookie],
        [`/api/runs/${run.runId}/weights.bin`, stranger.cookie],
        [`/api/runs/${run.runId}/model.json`, ''],
        ['/api/runs/00000000-0000-4000-8000-000000000000/model.json', run.cookie],
        ['/api/runs/not-a-run/weights.bin', run.cookie],
      ] as const) {
        const response = await fetch(`${base}${path}`, { headers: { cookie } });
        expect(response.status, path).toBe(404);
        expect(((await response.json()) as { error: string }).error).toMatch(/does not exist, or it belongs to someone else/);
        expect(response.headers.getSetCookie()).toEqual([]);
      }
    });

    it('answers 409 with the reason while the run has no weights yet', async () => {
      const run = await queuedRun();
      const response = await fetch(`${base}/api/runs/${run.runId}/model.json`, { headers: { cookie: run.cookie } });
      expect(response.status).toBe(409);
      expect(((await response.json()) as { error: string }).error).toMatch(/not started training yet.*Wait until it says "finished"/);

      await createRunSink(database.db).failed(run.runId, 'The loss became NaN.');
      const failed = await fetch(`${base}/api/runs/${run.runId}/weights.bin`, { headers: { cookie: run.cookie } });
      expect(failed.status).toBe(409);
      expect(((await failed.json()) as { error: string }).error).toMatch(/failed, so it has no trained model/);
    });
  });
});
