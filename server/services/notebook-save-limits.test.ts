import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { RateLimitedError, createRateLimits, type RateLimits } from '../rate-limit/limiter';
import { NOTEBOOK_CONFLICT_MESSAGE, getNotebook, listNotebooks, saveNotebook, type NotebookDocument } from './notebooks';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/** A save as the notebook router makes it: counted through the server's rate limits. */
async function save(database: TestDatabase, limits: RateLimits, userId: string, notebook: NotebookDocument, title: string, version = notebook.version) {
  return saveNotebook(database.db, userId, { id: notebook.id, version, title, cells: notebook.cells }, await limits.countSave(userId));
}

async function studentWithNotebook(database: TestDatabase): Promise<{ userId: string; notebook: NotebookDocument }> {
  const { user } = await createAnonymousSession(database.db);
  const [item] = await listNotebooks(database.db, user.id);
  return { userId: user.id, notebook: await getNotebook(database.db, user.id, item!.id) };
}

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (error instanceof RateLimitedError) return error;
  throw new Error(`expected a rate-limit refusal, got ${error === null ? 'a save' : String(error)}`);
}

describe.each(kinds)('notebook saves counted by the save itself, counts in $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const twoPerMinute = { savePerUser: { points: 2, durationSeconds: 60 } };

  it('refuses the save past the limit with how long to wait, and leaves the notebook as it was', async () => {
    const limits = createRateLimits(database.db, { settings: twoPerMinute });
    const { userId, notebook } = await studentWithNotebook(database);
    const first = await save(database, limits, userId, notebook, 'Take 1');
    const second = await save(database, limits, userId, notebook, 'Take 2', first.version);

    const refused = await refusal(save(database, limits, userId, notebook, 'Take 3', second.version));
    expect(refused.action).toBe('save');
    expect(refused.retryAfterSeconds).toBeGreaterThan(55);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused.message).toMatch(/^Your notebook was saved too many times in a short time\. Wait \d+ seconds and try again\.$/);
    const stored = await getNotebook(database.db, userId, notebook.id);
    expect({ title: stored.title, version: stored.version }).toEqual({ title: 'Take 2', version: second.version });

    // Another student's saves are their own.
    const classmate = await studentWithNotebook(database);
    await save(database, limits, classmate.userId, classmate.notebook, 'Mine');
  });

  it("counts a save that conflicts, a teacher's comment saves and every web server's saves together", async () => {
    const firstServer = createRateLimits(database.db, { settings: twoPerMinute });
    const secondServer = createRateLimits(database.db, { settings: twoPerMinute });
    const { userId, notebook } = await studentWithNotebook(database);

    await expect(save(database, firstServer, userId, notebook, 'Stale tab', notebook.version + 5)).rejects.toThrow(NOTEBOOK_CONFLICT_MESSAGE);
    await secondServer.consume('save', { ip: '192.0.2.7', userId });
    await refusal(save(database, secondServer, userId, notebook, 'Third try'));
    expect((await getNotebook(database.db, userId, notebook.id)).version).toBe(notebook.version);

    const [row] = await database.query<{ points: number }>(sql`select points from rate_limits where key = ${`save_user:${userId}`}`);
    expect(row?.points).toBe(3);
  });

  it('starts counting again once the window has passed', async () => {
    const limits = createRateLimits(database.db, { settings: { savePerUser: { points: 1, durationSeconds: 1 } } });
    const { userId, notebook } = await studentWithNotebook(database);
    const first = await save(database, limits, userId, notebook, 'Before');
    await refusal(save(database, limits, userId, notebook, 'Too soon', first.version));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await save(database, limits, userId, notebook, 'After', first.version);
    expect(later.version).toBe(first.version + 1);
  });
});

describe('notebook saves counted in memory (the embedded database)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('counts before the save and writes no count to the database', async () => {
    const limits = createRateLimits(database.db, { store: 'memory', settings: { savePerUser: { points: 1, durationSeconds: 60 } } });
    const { userId, notebook } = await studentWithNotebook(database);
    const first = await save(database, limits, userId, notebook, 'Once');
    await refusal(save(database, limits, userId, notebook, 'Twice', first.version));
    expect((await getNotebook(database.db, userId, notebook.id)).title).toBe('Once');
    expect(await database.query(sql`select key from rate_limits`)).toEqual([]);
  });
});
