import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../db/testing';
import { createAnonymousSession, findSessionUser, hashSessionToken } from './sessions';

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
