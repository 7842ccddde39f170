import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSessions, notebooks } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { createServer, type NextRequestHandler } from '../http';
import { createRateLimits } from '../rate-limit/limiter';
import { createClass } from '../services/classes';
import { createAccount } from './accounts';
import { SESSION_COOKIE } from '../services/sessions';
import { AUTH_SESSION_COOKIE, createAuth, loadAuthSecret, type Auth } from './better-auth';
import { PAGE_ACCOUNT_HEADER } from '../page-account';

describe('accounts over HTTP', () => {
  let database: TestDatabase;
  let auth: Auth;
  const servers: Server[] = [];
  let base: string;
  let proxied: string;
  /** A server whose pages show what the renderer was told about the account (Next's stand-in). */
  let paged: string;

  async function start(trustProxy: boolean, nextHandler?: NextRequestHandler): Promise<string> {
    const server = createServer({
      nextHandler,
      database,
      runner: new FakeRunQueue(),
      maxParams: 1_000_000,
      log: () => {},
      auth,
      trustProxy,
      rateLimits: createRateLimits(database.db, {
        store: 'memory',
        settings: { signInPerUsername: { points: 4, durationSeconds: 600 }, signUpPerIp: { points: 3, durationSeconds: 3600 } },
      }),
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  let joinCode: string;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    auth = createAuth(database.db, { secret: await loadAuthSecret(database.db), trustedOrigins: (request) => (request ? [new URL(request.url).origin] : []) });
    base = await start(false);
    proxied = await start(true);
    paged = await start(false, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ account: req.headers[PAGE_ACCOUNT_HEADER] ?? null }));
    });
    await createAccount(database.db, auth, { username: 'admin', displayName: 'Admin', role: 'admin', password: 'admin-password' });
    const teacher = await createAccount(database.db, auth, { username: 'teacher', displayName: 'Ms T', role: 'teacher', password: 'teacher-password' });
    joinCode = (await createClass(database.db, teacher.userId, { name: '7B' })).joinCode;
    await createAccount(database.db, auth, { username: 'sam', displayName: 'Sam', role: 'student', password: 'sam-password' });
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await database?.destroy();
  });

  /** A browser: keeps its cookies, sends its own origin like a page would. */
  function browser(server = base, extraHeaders: Record<string, string> = {}) {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const remember = (response: Response) => {
      for (const set of response.headers.getSetCookie()) {
        const [pair] = set.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq);
        const value = pair!.slice(eq + 1);
        if (/max-age=0/i.test(set) || value === '') jar.delete(name);
        else jar.set(name, value);
      }
    };
    const request = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { origin: server, 'content-type': 'application/json', ...extraHeaders, ...(jar.size ? { cookie: cookieHeader() } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      remember(response);
      return response;
    };
    const trpc = async (path: string, input?: unknown) => {
      const response = input === undefined ? await request(`/api/trpc/${path}`) : await request(`/api/trpc/${path}`, input);
      const json = (await response.json()) as { result?: { data: unknown }; error?: { message: string; data?: { code: string } } };
      return { status: response.status, data: json.result?.data as any, error: json.error };
    };
    return {
      jar,
      request,
      trpc,
      signIn: (username: string, password: string) => request('/api/auth/sign-in/username', { username, password }),
      me: async () => (await trpc('account.me')).data as { account: { username: string; role: string } | null; anonymousWork: unknown },
    };
  }

  it('signs a student up with the class code: the account session cookie is set, HttpOnly, and the page knows who it is', async () => {
    const b = browser();
    const signedUp = await b.trpc('account.signUp', { username: 'Kim', password: 'kim-password', displayName: 'Kim', joinCode });
    expect(signedUp.status).toBe(200);
    expect(signedUp.data.user).toMatchObject({ username: 'kim', role: 'student' });
    expect(signedUp.data.joinedClass.name).toBe('7B');
    expect(b.jar.has(AUTH_SESSION_COOKIE)).toBe(true);
    expect((await b.me()).account).toMatchObject({ username: 'kim', role: 'student' });
    expect((await b.trpc('class.list')).data.memberOf.map((c: { name: string }) => c.name)).toEqual(['7B']);
  });

  it('gives a new session id at every sign-in, and sign-out ends the session on the server', async () => {
    const b = browser();
    const first = await b.signIn('sam', 'sam-password');
    expect(first.status).toBe(200);
    const setCookie = first.headers.getSetCookie().find((c) => c.startsWith(`${AUTH_SESSION_COOKIE}=`))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/Secure/);
    const firstCookie = b.jar.get(AUTH_SESSION_COOKIE)!;
    expect((await b.me()).account?.username).toBe('sam');

    await b.signIn('sam', 'sam-password');
    const secondCookie = b.jar.get(AUTH_SESSION_COOKIE)!;
    expect(secondCookie).not.toBe(firstCookie);

    // Sign-out: the cookie is cleared and, kept by a thief, no longer works.
    const out = await b.request('/api/auth/sign-out', {});
    expect(out.status).toBe(200);
    expect(b.jar.has(AUTH_SESSION_COOKIE)).toBe(false);
    const thief = browser();
    thief.jar.set(AUTH_SESSION_COOKIE, secondCookie);
    expect((await thief.me()).account).toBeNull();
    const token = decodeURIComponent(secondCookie).split('.')[0]!;
    expect(await database.db.select().from(authSessions).where(eq(authSessions.token, token))).toEqual([]);
  });

  it('ends the other sessions when the password changes, keeping this one', async () => {
    const laptop = browser();
    const phone = browser();
    await laptop.signIn('teacher', 'teacher-password');
    await phone.signIn('teacher', 'teacher-password');
    expect((await phone.me()).account?.username).toBe('teacher');

    const wrong = await laptop.trpc('account.changePassword', { currentPassword: 'not it', newPassword: 'brand-new-password' });
    expect(wrong.error?.message).toMatch(/^Your current password is not right\./);
    const changed = await laptop.trpc('account.changePassword', { currentPassword: 'teacher-password', newPassword: 'brand-new-password' });
    expect(changed.status).toBe(200);
    expect((await laptop.me()).account?.username).toBe('teacher');
    expect((await phone.me()).account).toBeNull();
    expect((await browser().signIn('teacher', 'teacher-password')).status).toBe(401);
    expect((await browser().signIn('teacher', 'brand-new-password')).status).toBe(200);
  });

  it('refuses a sign-in from another site, and a form post', async () => {
    const evil = await fetch(`${base}/api/auth/sign-in/username`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sam', password: 'sam-password' }),
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.getSetCookie()).toEqual([]);
    const sibling = await fetch(`${base}/api/auth/sign-in/username`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-site', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sam', password: 'sam-password' }),
    });
    expect(sibling.status).toBe(403);
    const form = await fetch(`${base}/api/auth/sign-in/username`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=sam&password=sam-password',
    });
    expect(form.status).toBe(415);
    // better-auth's other endpoints are not served.
    expect((await browser().request('/api/auth/sign-up/email', { email: 'x@y.z', password: 'password1', name: 'X' })).status).toBe(404);
    expect((await browser().request('/api/auth/admin/set-role', { userId: 'x', role: 'admin' })).status).toBe(404);
  });

  it('limits sign-in tries per username with 429 and Retry-After, saying how long to wait', async () => {
    const b = browser();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await b.signIn('admin', `guess-${i}`));
    expect(answers.slice(0, 4).map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect((await answers[0]!.json()).error).toMatch(/^That username and password do not match\./);
    expect(answers[4]!.status).toBe(429);
    expect(Number(answers[4]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await answers[4]!.json()).error).toMatch(/^Too many tries to sign in\. Wait \d+ minutes? and try again\.$/);
    // Even the right password waits: the limit is on the username, from any address.
    expect((await browser().signIn('ADMIN', 'admin-password')).status).toBe(429);
  });

  it('limits sign-ups per address with 429 and Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const b = browser(proxied, { 'x-forwarded-for': '203.0.113.9' });
      const response = await b.request('/api/trpc/account.signUp', { username: `flood${i}`, password: 'password1', displayName: 'F', joinCode: 'ZZZ-ZZ9' });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
  });

  it('makes cookies Secure when the browser used https through a trusted proxy', async () => {
    const b = browser(proxied, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' });
    const response = await b.request('/api/auth/sign-in/username', { username: 'kim', password: 'kim-password' }, { origin: proxied.replace('http:', 'https:') });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().find((c) => c.startsWith(`${AUTH_SESSION_COOKIE}=`))).toMatch(/; Secure/);
  });

  it('brings anonymous work into the account after a sign-in from that browser', async () => {
    const b = browser();
    const started = await b.trpc('notebook.openStarter', {});
    expect(started.status).toBe(200);
    expect(b.jar.has(SESSION_COOKIE)).toBe(true);
    const anonymousNotebooks = (await b.trpc('notebook.list')).data as { id: string }[];
    expect((await b.me()).anonymousWork).toMatchObject({ notebooks: 1 });

    await b.signIn('sam', 'sam-password');
    expect((await b.me()).account?.username).toBe('sam');
    const brought = await b.trpc('account.bringAnonymousWork', {});
    expect(brought.data).toMatchObject({ notebooks: 1 });
    expect(b.jar.has(SESSION_COOKIE)).toBe(false);
    const owner = (await database.db.select({ ownerId: notebooks.ownerId }).from(notebooks).where(eq(notebooks.id, anonymousNotebooks[0]!.id)))[0]!.ownerId;
    const samId = (await b.me()) && (await b.trpc('account.me')).data.account.id;
    expect(owner).toBe(samId);
  });

  it('tells the page renderer who is signed in, so the header names them in the first paint; nobody can claim to be someone', async () => {
    const b = browser(paged);
    const told = async (path: string, headers: Record<string, string> = {}) => {
      const answer = (await (await b.request(path, undefined, headers)).json()) as { account: string | null };
      return answer.account === null ? 'not told' : JSON.parse(decodeURIComponent(answer.account));
    };
    const forged = encodeURIComponent(JSON.stringify({ displayName: 'Head', username: 'admin', role: 'admin' }));
    expect(await told('/classes')).toBeNull();
    expect(await told('/classes', { [PAGE_ACCOUNT_HEADER]: forged })).toBeNull();

    expect((await b.signIn('sam', 'sam-password')).status).toBe(200);
    expect(await told('/classes')).toEqual({ displayName: 'Sam', username: 'sam', role: 'student' });
    expect(await told('/', { [PAGE_ACCOUNT_HEADER]: forged })).toEqual({ displayName: 'Sam', username: 'sam', role: 'student' });
    // Scripts and pictures render no page: no session is looked up for them.
    expect(await told('/_next/static/chunks/main.js')).toBe('not told');
    expect(await told('/favicon.svg', { [PAGE_ACCOUNT_HEADER]: forged })).toBe('not told');

    await b.request('/api/auth/sign-out', {});
    expect(await told('/classes')).toBeNull();
  });
});
