import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { createServer } from '../http';
import { createAnonymousSession, deleteExpiredSessions, SESSION_COOKIE } from '../services/sessions';
import { bringAnonymousWork } from './accounts';
import { SessionCache } from './session-cache';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe.each(kinds)('anonymous sessions kept in memory on $kind', ({ kind }) => {
  let database: TestDatabase;
  let cache: SessionCache;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    cache = new SessionCache();
    stop = await cache.watch(database);
  });
  afterAll(async () => {
    await stop?.();
    await database?.destroy();
  });

  /** Changes rows without the database announcing it, to see whether an answer came from memory. */
  async function silently(change: () => Promise<unknown>): Promise<void> {
    await database.db.execute(sql`alter table sessions disable trigger sessions_changed`);
    try {
      await change();
    } finally {
      await database.db.execute(sql`alter table sessions enable trigger sessions_changed`);
    }
  }

  it('answers a known session from memory, and a deleted one as nobody once the database has said so', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    expect(await cache.findUser(database.db, token)).toEqual(user);
    expect(cache.holds(token)).toBe(true);
    // Kept: a change the database does not announce goes unseen, so the next answer is the remembered one.
    await silently(() => database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id)));
    expect(await cache.findUser(database.db, token)).toEqual(user);

    const heard = cache.heardSessionChange(token);
    await database.db.delete(sessions).where(eq(sessions.userId, user.id));
    await heard;
    expect(cache.holds(token)).toBe(false);
    expect(await cache.findUser(database.db, token)).toBeNull();
  });

  it('forgets sessions the expiry sweep deleted', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    expect(await cache.findUser(database.db, token)).toEqual(user);
    const heard = cache.heardSessionChange(token);
    // A sweep a year from now finds this session expired.
    expect(await deleteExpiredSessions(database.db, new Date(Date.now() + 400 * 24 * 3600 * 1000))).toBeGreaterThan(0);
    await heard;
    expect(await cache.findUser(database.db, token)).toBeNull();
  });

  it('forgets the browser sessions whose work was brought into an account', async () => {
    const anonymous = await createAnonymousSession(database.db);
    const account = await createAnonymousSession(database.db);
    expect(await cache.findUser(database.db, anonymous.token)).toEqual(anonymous.user);
    const heard = cache.heardSessionChange(anonymous.token);
    await bringAnonymousWork(database.db, anonymous.user.id, account.user.id);
    await heard;
    expect(await cache.findUser(database.db, anonymous.token)).toBeNull();
    expect(await cache.findUser(database.db, account.token)).toEqual(account.user);
  });

  it('answers with the new role and name as soon as the user changed', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    expect(await cache.findUser(database.db, token)).toEqual(user);
    const heard = cache.heardUserChange(user.id);
    await database.db.update(users).set({ role: 'teacher', displayName: 'Ms Rivera' }).where(eq(users.id, user.id));
    await heard;
    expect(await cache.findUser(database.db, token)).toEqual({ ...user, role: 'teacher', displayName: 'Ms Rivera' });
  });

  it('does not serve a kept session past its expiry', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    const heard = cache.heardSessionChange(token);
    await database.db.update(sessions).set({ expiresAt: new Date(Date.now() + 300) }).where(eq(sessions.userId, user.id));
    await heard;
    expect(await cache.findUser(database.db, token)).toEqual(user);
    expect(cache.holds(token)).toBe(true);
    // Gone from the table without a word: only the expiry kept in memory can say no now.
    await silently(() => database.db.delete(sessions).where(eq(sessions.userId, user.id)));
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await cache.findUser(database.db, token)).toBeNull();
  });

  it('looks every session up while it cannot hear the database, and keeps answers again once it can', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    expect(await cache.findUser(database.db, token)).toEqual(user);
    const dropped = cache.nextConnectionChange();
    let reconnected: Promise<boolean> | null = null;
    if (kind === 'postgres') {
      // The listening connection dies (as in a PostgreSQL restart); the driver reconnects by itself.
      await database.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen%'`);
      expect(await dropped).toBe(false);
      reconnected = cache.nextConnectionChange();
    } else {
      await stop();
      expect(await dropped).toBe(false);
    }
    await silently(() => database.db.delete(sessions).where(eq(sessions.userId, user.id)));
    expect(await cache.findUser(database.db, token)).toBeNull();

    const other = await createAnonymousSession(database.db);
    if (reconnected) {
      expect(await reconnected).toBe(true);
    } else {
      // What the server does on start: a new subscription.
      const nowListening = cache.nextConnectionChange();
      stop = await cache.watch(database);
      expect(await nowListening).toBe(true);
    }
    expect(await cache.findUser(database.db, other.token)).toEqual(other.user);
    expect(cache.holds(other.token)).toBe(true);
  });

  it('lets go of the oldest answers beyond its limit, and of any after its backstop age', async () => {
    const small = new SessionCache({ maxEntries: 2, maxAgeMs: 200 });
    const stopSmall = await small.watch(database);
    try {
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => createAnonymousSession(database.db)));
      for (const s of [a!, b!, c!]) await small.findUser(database.db, s.token);
      expect([a!, b!, c!].map((s) => small.holds(s.token))).toEqual([false, true, true]);
      await silently(() => database.db.delete(sessions).where(eq(sessions.userId, b!.user.id)));
      expect(await small.findUser(database.db, b!.token)).toEqual(b!.user);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await small.findUser(database.db, b!.token)).toBeNull();
    } finally {
      await stopSmall();
    }
  });
});

describe.each(kinds)('the server on $kind', ({ kind }) => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  const cache = new SessionCache();
  let stop: () => Promise<void>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    stop = await cache.watch(database);
    server = createServer({ database, runner: new FakeRunQueue(), maxParams: 1_000_000, sessionCache: cache, log: () => {} });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await stop?.();
    await database?.destroy();
  });

  it('answers from memory, and treats a browser whose session ended as a visitor on its very next request', async () => {
    const created = await fetch(`${base}/api/trpc/notebook.create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(created.status).toBe(200);
    const cookie = created.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
    const token = cookie.slice(SESSION_COOKIE.length + 1);
    const me = async () => ((await (await fetch(`${base}/api/trpc/account.me`, { headers: { cookie } })).json()) as { result: { data: { anonymousWork: unknown } } }).result.data;

    expect((await me()).anonymousWork).not.toBeNull();
    expect(cache.holds(token)).toBe(true);
    const heard = cache.heardSessionChange(token);
    await database.db.delete(sessions);
    await heard;
    expect((await me()).anonymousWork).toBeNull();
  });
});
