import type { AddressInfo } from 'node:net';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { createServer, type ServerDeps } from './http';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { SESSION_COOKIE } from './services/sessions';

const API_BODY_LIMIT = 8 * 1024;
const UPLOAD_LIMIT = 4096;
const csv = 'x,y,kind\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n';
const csvOptions = encodeURIComponent(
  JSON.stringify({ name: 'N', label: 'kind', features: [{ column: 'x', as: 'number' }], normalization: 'none', split: { train: 50, validation: 0, test: 50 }, seed: 1 }),
);

/** What Next does with a first-visit page that was prerendered: it asks shared caches to keep it for a year. */
const pageHeadersSeen: IncomingHttpHeaders[] = [];
const nextLikeHandler: ServerDeps['nextHandler'] = (req, res) => {
  pageHeadersSeen.push({ ...req.headers });
  res.writeHead(200, { 'Cache-Control': 's-maxage=31536000', 'Content-Type': 'text/html' });
  res.end('<html>page</html>');
};

async function listen(deps: Partial<ServerDeps>, database: TestDatabase): Promise<{ server: Server; base: string }> {
  const server = createServer({
    database,
    runner: new FakeRunQueue(),
    maxParams: 1_000_000,
    maxApiBodyBytes: API_BODY_LIMIT,
    maxUploadBytes: UPLOAD_LIMIT,
    nextHandler: nextLikeHandler,
    log: () => {},
    ...deps,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: Server | undefined): Promise<void> {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
}

/** Sends only the headers of a request whose declared body is huge: a server that waited for the body would never answer. */
function headersOnly(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.flushHeaders();
  });
}

/** A visitor becomes a user by their first action: opening the starter notebook, as a student does. */
function openStarter(base: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/trpc/notebook.openStarter`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
}

describe('request pipeline', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    ({ server, base } = await listen({}, database));
    const opened = await openStarter(base);
    cookie = opened.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
  });
  afterAll(async () => {
    await close(server);
    await database?.destroy();
  });

  const notebookCount = async () => {
    const response = await fetch(`${base}/api/trpc/notebook.list`, { headers: { cookie } });
    return ((await response.json()) as { result: { data: unknown[] } }).result.data.length;
  };
  const datasetCount = async () => {
    const response = await fetch(`${base}/api/trpc/dataset.list`, { headers: { cookie } });
    return JSON.stringify(await response.json()).split('"id"').length - 1;
  };

  describe('requests from other sites cannot change anything', () => {
    const evil = 'http://evil.example';
    const bodies: Array<[contentType: string, body: () => BodyInit]> = [
      ['application/json', () => JSON.stringify({ title: 'Planted' })],
      ['text/plain', () => JSON.stringify({ title: 'Planted' })],
      ['application/x-www-form-urlencoded', () => 'title=Planted'],
      [
        'multipart/form-data',
        () => {
          const form = new FormData();
          form.set('title', 'Planted');
          return form;
        },
      ],
    ];

    for (const [contentType, body] of bodies) {
      it(`refuses a ${contentType} tRPC mutation from another origin with 403, creating nothing`, async () => {
        const before = await notebookCount();
        const headers: Record<string, string> = { cookie, origin: evil };
        // A FormData body brings its own multipart content type with the boundary.
        if (contentType !== 'multipart/form-data') headers['content-type'] = contentType;
        const response = await fetch(`${base}/api/trpc/notebook.create`, { method: 'POST', headers, body: body() });
        expect(response.status).toBe(403);
        expect(((await response.json()) as { error: string }).error).toMatch(/came from another website.*LAYERBOOK_ORIGIN/);
        expect(await notebookCount()).toBe(before);
      });

      it(`refuses a ${contentType} upload from another origin with 403, storing nothing`, async () => {
        const before = await datasetCount();
        const headers: Record<string, string> = { cookie, origin: evil };
        if (contentType !== 'multipart/form-data') headers['content-type'] = contentType;
        const sent = contentType === 'multipart/form-data' ? body() : csv;
        const response = await fetch(`${base}/api/datasets/csv?options=${csvOptions}`, { method: 'POST', headers, body: sent });
        expect(response.status).toBe(403);
        expect(await datasetCount()).toBe(before);
      });
    }

    it('refuses a batch of mutations from another origin', async () => {
      const before = await notebookCount();
      const response = await fetch(`${base}/api/trpc/notebook.create,notebook.create?batch=1`, {
        method: 'POST',
        headers: { cookie, origin: evil, 'content-type': 'application/json' },
        body: JSON.stringify({ 0: { title: 'A' }, 1: { title: 'B' } }),
      });
      expect(response.status).toBe(403);
      expect(await notebookCount()).toBe(before);
    });

    it('refuses Sec-Fetch-Site cross-site and same-site even without an Origin, and a sibling port of the same host', async () => {
      const before = await notebookCount();
      const refused: Array<Record<string, string>> = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: base.replace(/:\d+$/, ':1') }, { origin: 'null' }];
      for (const headers of refused) {
        const response = await fetch(`${base}/api/trpc/notebook.create`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', ...headers },
          body: '{}',
        });
        expect(response.status, JSON.stringify(headers)).toBe(403);
      }
      expect(await notebookCount()).toBe(before);
    });

    it('lets Layerbook’s own pages, and tools that send no Origin (curl, the CLI), change things', async () => {
      const before = await notebookCount();
      const allowed: Array<Record<string, string>> = [{ origin: base, 'sec-fetch-site': 'same-origin' }, {}];
      for (const headers of allowed) {
        const response = await fetch(`${base}/api/trpc/notebook.create`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ title: 'Mine' }),
        });
        expect(response.status).toBe(200);
      }
      const upload = await fetch(`${base}/api/datasets/csv/preview`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'text/csv' }, body: csv });
      expect(upload.status).toBe(200);
      expect(await notebookCount()).toBe(before + 2);
    });

    it('still answers queries (GET) from anywhere: reading is not changing', async () => {
      const response = await fetch(`${base}/api/trpc/notebook.list`, { headers: { cookie, origin: evil, 'sec-fetch-site': 'cross-site' } });
      expect(response.status).toBe(200);
    });

    it('never runs a mutation for a GET', async () => {
      const before = await notebookCount();
      const input = encodeURIComponent(JSON.stringify({ title: 'By GET' }));
      const response = await fetch(`${base}/api/trpc/notebook.create?input=${input}`, { headers: { cookie } });
      expect(response.status).toBe(405);
      expect(await notebookCount()).toBe(before);
    });

    it('takes the origins a proxied school lists in LAYERBOOK_ORIGIN, and no others', async () => {
      const proxied = await listen({ allowedOrigins: ['https://layerbook.school.example', 'https://lb.school.example'] }, database);
      try {
        const create = (origin: string, extra: Record<string, string> = {}) =>
          fetch(`${proxied.base}/api/trpc/notebook.create`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json', ...extra }, body: '{}' });
        expect((await create('https://layerbook.school.example', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
        expect((await create('https://lb.school.example', { 'sec-fetch-site': 'same-site' })).status).toBe(200);
        expect((await create('http://layerbook.school.example')).status).toBe(403);
        expect((await create(proxied.base)).status).toBe(403);
      } finally {
        await close(proxied.server);
      }
    });
  });

  describe('request body limits', () => {
    it('answers a tRPC call whose declared body is over the limit with 413 before reading it, naming the limit', async () => {
      const { status, body } = await headersOnly(`${base}/api/trpc/notebook.create`, { cookie, 'content-type': 'application/json', 'content-length': String(300 * 1024 * 1024) });
      expect(status).toBe(413);
      expect((JSON.parse(body) as { error: string }).error).toBe(
        'This request is bigger than the 8 KB limit, so it was not read. If you were saving a notebook, make it smaller (fewer or shorter cells); whoever runs Layerbook can raise LAYERBOOK_MAX_API_BODY_BYTES.',
      );
    });

    it('answers 413 while a chunked tRPC body grows past the limit, without reading the rest', async () => {
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > API_BODY_LIMIT * 1000) return controller.close();
          sent += 1024;
          controller.enqueue(new TextEncoder().encode(sent === 1024 ? '{"title":"' + 'x'.repeat(1014) : 'x'.repeat(1024)));
        },
      });
      const before = await notebookCount();
      const response = await fetch(`${base}/api/trpc/notebook.create`, {
        method: 'POST',
        body: stream,
        duplex: 'half',
        headers: { cookie, 'content-type': 'application/json' },
      } as RequestInit);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: string }).error).toMatch(/bigger than the 8 KB limit/);
      expect(sent).toBeLessThan(API_BODY_LIMIT * 1000);
      expect(await notebookCount()).toBe(before);
    });

    it('refuses an oversized body to any other path too (pages, unknown paths) from its declared length', async () => {
      for (const path of ['/', '/api/nothing-here']) {
        const { status } = await headersOnly(`${base}${path}`, { cookie, 'content-length': String(API_BODY_LIMIT + 1) });
        expect(status, path).toBe(413);
      }
    });

    it('answers a tRPC body that is not JSON with 415, saying what to send', async () => {
      const response = await fetch(`${base}/api/trpc/notebook.create`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: '{}' });
      expect(response.status).toBe(415);
      expect(((await response.json()) as { error: string }).error).toMatch(/Content-Type: application\/json/);
    });
  });

  describe('security headers and cookies', () => {
    it('sends nosniff, same-origin framing and referrer, and a policy on every kind of response', async () => {
      const responses = await Promise.all([
        fetch(`${base}/api/health`),
        fetch(`${base}/api/trpc/notebook.list`, { headers: { cookie } }),
        fetch(`${base}/api/datasets/csv`, { headers: { cookie } }),
        fetch(`${base}/api/runs/00000000-0000-4000-8000-000000000000/model.json`, { headers: { cookie } }),
        fetch(`${base}/notebooks`, { headers: { cookie } }),
        fetch(`${base}/_next/static/chunk.js`),
      ]);
      for (const response of responses) {
        expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
        expect(response.headers.get('x-frame-options'), response.url).toBe('SAMEORIGIN');
        expect(response.headers.get('referrer-policy'), response.url).toBe('same-origin');
        expect(response.headers.get('content-security-policy'), response.url).toContain("frame-ancestors 'self'");
      }
    });

    it('gives each page a fresh script nonce, hands the same policy to the renderer, and never allows inline scripts', async () => {
      const policies: string[] = [];
      for (let i = 0; i < 2; i++) {
        const response = await fetch(`${base}/notebooks`, { headers: { cookie } });
        const policy = response.headers.get('content-security-policy')!;
        expect(pageHeadersSeen.at(-1)!['content-security-policy']).toBe(policy);
        const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src'))!;
        expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/]+={0,2}' 'strict-dynamic'/);
        // 'wasm-unsafe-eval' (WebAssembly may compile) is allowed; scripts from text never are.
        expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
        policies.push(policy);
      }
      expect(policies[0]).not.toBe(policies[1]);
    });

    it('never lets a shared cache keep a response that sets a cookie, whatever the renderer asked for', async () => {
      const firstAction = await openStarter(base);
      expect(firstAction.headers.getSetCookie()).toHaveLength(1);
      expect(firstAction.headers.get('cache-control')).toBe('private, no-store');
      // Pages set no cookie (a visitor becomes a user by acting): the renderer's caching stands.
      const again = await fetch(`${base}/`, { headers: { cookie } });
      expect(again.headers.getSetCookie()).toEqual([]);
      expect(again.headers.get('cache-control')).toBe('s-maxage=31536000');
    });

    it('marks the session cookie Secure when the school serves https through a trusted proxy, and only then', async () => {
      const plain = await openStarter(base, { 'x-forwarded-proto': 'https' });
      expect(plain.headers.getSetCookie()[0]).not.toMatch(/Secure/);

      const proxied = await listen({ trustProxy: true }, database);
      try {
        const https = await openStarter(proxied.base, { 'x-forwarded-proto': 'https' });
        expect(https.headers.getSetCookie()[0]).toMatch(/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
        const http = await openStarter(proxied.base, { 'x-forwarded-proto': 'http' });
        expect(http.headers.getSetCookie()[0]).not.toMatch(/Secure/);
      } finally {
        await close(proxied.server);
      }
    });
  });
});
