import { eq, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessions, users } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { createAnonymousSession, deleteExpiredSessions, findSessionUser, hashSessionToken, startExpiredSessionSweep } from './sessions';

describe('anonymous sessions', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('finds the user of a fresh token, and stores only the token\'s hash', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await findSessionUser(database.db, token)).toEqual(user);
    expect(user.role).toBe('student');

    const rows = await database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows.map((r) => r.id)).toEqual([hashSessionToken(token)]);
    expect(rows[0]!.id).not.toContain(token);
  });

  it('does not accept an unknown, malformed or expired token', async () => {
    const { token, user } = await createAnonymousSession(database.db);
    expect(await findSessionUser(database.db, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await findSessionUser(database.db, "'; drop table users; --")).toBeNull();
    // The hash itself is not a token: a leaked sessions table must not let anyone in.
    expect(await findSessionUser(database.db, hashSessionToken(token))).toBeNull();

    await database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id));
    expect(await findSessionUser(database.db, token)).toBeNull();
  });
});

describe('expired sessions', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('are deleted by the sweep, while live ones and their users stay', async () => {
    const live = await createAnonymousSession(database.db);
    const old = await createAnonymousSession(database.db);
    await database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, old.user.id));

    expect(await deleteExpiredSessions(database.db)).toBe(1);
    const left = await database.db.select({ userId: sessions.userId }).from(sessions);
    expect(left.map((row) => row.userId)).toEqual([live.user.id]);
    expect(await findSessionUser(database.db, live.token)).toEqual(live.user);
    // The user keeps their notebooks; only the way in that can no longer work is gone.
    expect((await database.db.select().from(users).where(eq(users.id, old.user.id))).length).toBe(1);
    expect(await deleteExpiredSessions(database.db)).toBe(0);
  });

  it('runs at start and then on its interval', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const expired = async () => {
        const { user } = await createAnonymousSession(database.db);
        await database.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, user.id));
      };
      const count = async () => (await database.db.select().from(sessions).where(lte(sessions.expiresAt, new Date()))).length;
      await expired();
      const stop = startExpiredSessionSweep(database.db, 60_000);
      await vi.waitFor(async () => expect(await count()).toBe(0));
      await expired();
      expect(await count()).toBe(1);
      vi.advanceTimersByTime(60_000);
      await vi.waitFor(async () => expect(await count()).toBe(0));
      stop();
      await expired();
      vi.advanceTimersByTime(120_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await count()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
