import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { createServer } from '../http';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { SESSION_COOKIE } from '../services/sessions';
import { createRateLimits } from './limiter';
import type { RateLimitSettings } from './rules';

const perMinute = (points: number) => ({ points, durationSeconds: 60 });

/** Tight limits, so that a few requests reach each; the real defaults are in rules.ts. */
const settings: Partial<RateLimitSettings> = {
  sessionPerIp: { points: 3, durationSeconds: 3600 },
  joinPerUser: perMinute(4),
  joinPerIp: perMinute(6),
  runPerUser: perMinute(2),
  savePerUser: perMinute(2),
  uploadPerUser: perMinute(1),
  handInPerUser: perMinute(2),
};

describe('rate limits over HTTP', () => {
  let database: TestDatabase;
  const servers: Server[] = [];

  async function start(trustProxy: boolean): Promise<string> {
    const server = createServer({
      database,
      runner: new FakeRunQueue(),
      maxParams: 1_000_000,
      nextHandler: (_req, res) => void res.end('page'),
      log: () => {},
      rateLimits: createRateLimits(database.db, { settings }),
      trustProxy,
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  let direct: string;
  let proxied: string;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    direct = await start(false);
    proxied = await start(true);
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await database?.destroy();
  });

  const userCount = async () => (await database.query<{ n: number }>(sql`select count(*)::int as n from users`))[0]!.n;

  /** One client of the proxied server: its own address, and a cookie once it has one. */
  function client(ip: string) {
    let cookie = '';
    const send = async (path: string, body?: unknown, contentType = 'application/json') => {
      const response = await fetch(`${proxied}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'x-forwarded-for': ip, 'content-type': contentType, ...(cookie ? { cookie } : {}) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const set = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      if (set) cookie = set.split(';')[0]!;
      const json = (await response.json()) as { result?: { data: unknown }; error?: { message: string } | string };
      return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
    };
    return { send, ip };
  }

  const trpcMessage = (json: { error?: { message: string } | string }) => (typeof json.error === 'string' ? json.error : json.error?.message);

  it('stops a flood of cookie-less first actions from one address, with 429 and Retry-After, making no more users', async () => {
    const before = await userCount();
    const statuses: number[] = [];
    let last: Response | null = null;
    for (let i = 0; i < 6; i++) {
      // Inventing X-Forwarded-For addresses does not help when the proxy is not trusted.
      last = await fetch(`${direct}/api/trpc/notebook.openStarter`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i}` },
        body: '{}',
      });
      statuses.push(last.status);
      if (i < 5) await last.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(3500);
    const body = (await last!.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('TOO_MANY_REQUESTS');
    expect(body.error.message).toBe('Too many new visitors from your network in a short time. Wait 60 minutes and try again.');
    expect(last!.headers.getSetCookie()).toEqual([]);
    expect(await userCount()).toBe(before + 3);
  });

  it('counts each address behind a trusted proxy on its own', async () => {
    const a = client('203.0.113.1');
    const b = client('203.0.113.2');
    for (let i = 0; i < 3; i++) expect((await client(a.ip).send('/api/trpc/notebook.openStarter', {})).status).toBe(200);
    expect((await client(a.ip).send('/api/trpc/notebook.openStarter', {})).status).toBe(429);
    expect((await b.send('/api/trpc/notebook.openStarter', {})).status).toBe(200);
  });

  it('stops guessing join codes: a student is told how long to wait', async () => {
    const student = client('203.0.113.10');
    await student.send('/api/trpc/notebook.openStarter', {});
    const guesses = [];
    for (let i = 0; i < 5; i++) guesses.push(await student.send('/api/trpc/class.join', { code: `AAA-AA${'BCDEFG'[i]}`, displayName: 'Sam' }));
    expect(guesses.map((g) => g.status)).toEqual([404, 404, 404, 404, 429]);
    const refused = guesses.at(-1)!;
    expect(Number(refused.retryAfter)).toBeGreaterThan(50);
    expect(trpcMessage(refused.json)).toMatch(/^Too many tries to join a class\. Wait \d+ seconds and try again\.$/);
  });

  it('counts join tries per address too, so several cookies on one machine do not multiply the guesses', async () => {
    const first = client('203.0.113.11');
    const second = client('203.0.113.11');
    await first.send('/api/trpc/notebook.openStarter', {});
    await second.send('/api/trpc/notebook.openStarter', {});
    const guess = (who: typeof first) => who.send('/api/trpc/class.join', { code: 'AAA-AAB', displayName: 'X' });
    for (let i = 0; i < 4; i++) expect((await guess(first)).status).toBe(404);
    expect((await guess(second)).status).toBe(404);
    expect((await guess(second)).status).toBe(404);
    const refused = await guess(second);
    expect(refused.status).toBe(429);
    expect(trpcMessage(refused.json)).toMatch(/^Too many tries to join a class\./);
  });

  it('limits starting runs and saving per user', async () => {
    const student = client('203.0.113.20');
    const opened = await student.send('/api/trpc/notebook.openStarter', {});
    const notebookId = (opened.json.result!.data as { id: string }).id;
    const notebook = (await student.send(`/api/trpc/notebook.get?input=${encodeURIComponent(JSON.stringify({ id: notebookId }))}`)).json.result!.data as {
      version: number;
      title: string;
      cells: Array<{ id: string; type: string }>;
    };
    const cellId = notebook.cells.find((c) => c.type === 'training')!.id;
    const starts = [];
    for (let i = 0; i < 3; i++) starts.push(await student.send('/api/trpc/run.start', { notebookId, cellId }));
    expect(starts.map((s) => s.status)).toEqual([200, 200, 429]);
    expect(trpcMessage(starts[2]!.json)).toMatch(/^You pressed Train too many times in a row\. Wait \d+ seconds and try again\.$/);
    expect(Number(starts[2]!.retryAfter)).toBeGreaterThan(0);

    let version = notebook.version;
    const saves = [];
    for (let i = 0; i < 3; i++) {
      const saved = await student.send('/api/trpc/notebook.save', { id: notebookId, version, title: `Take ${i}`, cells: notebook.cells });
      if (saved.status === 200) version = (saved.json.result!.data as { version: number }).version;
      saves.push(saved);
    }
    expect(saves.map((s) => s.status)).toEqual([200, 200, 429]);
    expect(trpcMessage(saves[2]!.json)).toMatch(/saved too many times in a short time\. Wait \d+ seconds and try again\.$/);
  });

  it('limits hand-ins per user: each one copies weights and queues a grading run', async () => {
    const student = client('10.0.0.40');
    await student.send('/api/trpc/notebook.openStarter', {});
    const tries = [];
    for (let i = 0; i < 3; i++) {
      tries.push(await student.send('/api/trpc/submission.handIn', { notebookId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' }));
    }
    // The first two are answered (nothing to hand in there); the third is refused before it is looked at.
    expect(tries.map((t) => t.status)).toEqual([404, 404, 429]);
    expect(trpcMessage(tries[2]!.json)).toMatch(/^You handed in too many times in a short time\. Wait \d+ seconds and try again\.$/);
  });

  it('limits uploads per user, answering 429 with Retry-After before reading the file', async () => {
    const student = client('203.0.113.30');
    await student.send('/api/trpc/notebook.openStarter', {});
    const csv = 'x,label\n1,a\n2,b\n';
    expect((await student.send('/api/datasets/csv/preview', csv, 'text/csv')).status).toBe(200);
    const refused = await student.send('/api/datasets/csv/preview', csv, 'text/csv');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(trpcMessage(refused.json)).toMatch(/^Too many uploads in a short time\. Wait \d+ seconds and try again\.$/);
  });
});
