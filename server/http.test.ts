import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../db/testing';
import { createServer } from './http';
import { FakeRunQueue } from './services/fake-run-queue';
import { SESSION_COOKIE } from './services/sessions';

describe('HTTP server', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  const runner = new FakeRunQueue();
  const pagesServed: string[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    server = createServer({
      database,
      runner,
      maxParams: 1_000_000,
      nextHandler: (req, res) => {
        pagesServed.push(`${req.url} ${req.headers.cookie ?? ''}`);
        res.end('page');
      },
      log: () => {},
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

  it('gives a first-time visitor a session cookie and the starter notebook on the first page load', async () => {
    const page = await fetch(`${base}/`);
    expect(await page.text()).toBe('page');
    const setCookie = page.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookie = sessionCookieOf(page);
    // The page renderer already sees the new cookie on this same request.
    expect(pagesServed.at(-1)).toContain(cookie);

    const list = await fetch(`${base}/api/trpc/notebook.list`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(list.headers.getSetCookie()).toEqual([]);
    const body = (await list.json()) as { result: { data: Array<{ title: string }> } };
    expect(body.result.data.map((n) => n.title)).toEqual(['Your first neural network']);
  });

  it('does not create users for static files', async () => {
    const response = await fetch(`${base}/_next/static/chunk.js`);
    expect(response.headers.getSetCookie()).toEqual([]);
    const icon = await fetch(`${base}/favicon.ico`);
    expect(icon.headers.getSetCookie()).toEqual([]);
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
    const cookie = sessionCookieOf(await fetch(`${base}/`));
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
    const cellId = loaded.cells.find((c) => c.type === 'model')!.id;
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
});
