import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notebooks, runs } from '../../db/schema';
import {
  expectedRefusal,
  LISTS,
  MATRIX,
  ownersRun,
  procedures,
  procedureType,
  TAKES_NO_ID,
  type World,
} from '../../testing/authorization-matrix';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { CALLERS, describeChanges, enrol, makePeople, resetDatabase, savePeople, snapshotDatabase, testAuth, userOf, type CallerName, type SavedPeople, type School } from '../../testing/school';
import type { Auth } from '../auth/better-auth';
import { createCaller } from './root';

/**
 * Who may see what through the API as its procedures are called in-process (ctx.user set
 * as the session would): the table is testing/authorization-matrix.ts; each row is tried by
 * every caller, and a procedure with no row fails the first test.
 */

/** Calls `path` as `caller`; a subscription counts as answered once its first event arrives. */
async function invoke(world: World, caller: CallerName, path: string, input: unknown): Promise<unknown> {
  const api = createCaller({ db: world.db, runner: new FakeRunQueue(), user: userOf(world.school, caller), auth: world.auth, maxParams: 5_000_000 });
  let target: unknown = api;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  const answer = await (target as (input: unknown) => Promise<unknown>)(input);
  if (procedureType(path) !== 'subscription') return answer;
  const events = (answer as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  try {
    return (await events.next()).value;
  } finally {
    await events.return?.();
  }
}

async function outcome(call: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe('the authorization matrix', () => {
  it('has a row for every procedure of the API, and names none the API lacks', () => {
    const covered = new Set([...MATRIX.map((r) => r.procedure), ...LISTS.map((r) => r.procedure), ...Object.keys(TAKES_NO_ID)]);
    const missing = Object.keys(procedures).filter((path) => !covered.has(path));
    expect(missing, `procedures missing from the authorization matrix (add a row to testing/authorization-matrix.ts): ${missing.join(', ')}`).toEqual([]);
    const unknown = [...covered].filter((path) => !(path in procedures));
    expect(unknown, 'the matrix names procedures the API does not have').toEqual([]);
  });

  it('asks about each procedure in the matrix with every caller of the school', () => {
    for (const row of MATRIX) for (const caller of row.allowed) expect(CALLERS).toContain(caller);
    expect(CALLERS).toEqual(['owner', 'classmate', 'otherStudent', 'teacher', 'otherTeacher', 'admin', 'visitor']);
  });
});

describe.each(kinds)('who may see what, on $kind', ({ kind }) => {
  let database: TestDatabase;
  let people: School['people'];
  let saved: SavedPeople;
  let auth: Auth;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    auth = testAuth(database.db);
    people = await makePeople(database.db, auth);
    saved = await savePeople(database);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function freshWorld(): Promise<World> {
    await resetDatabase(database, saved);
    return { db: database.db, auth, school: await enrol(database.db, people) };
  }

  for (const row of MATRIX) {
    it(`${row.procedure} (${row.action}) on ${row.about}: only ${row.allowed.length ? row.allowed.join(', ') : 'nobody'}`, async () => {
      const failures: string[] = [];
      for (const caller of CALLERS) {
        const world = await freshWorld();
        const fixture = await row.make(world);
        const before = await snapshotDatabase(database);
        const result = await outcome(invoke(world, caller, row.procedure, row.input(fixture, world, caller)));
        const after = await snapshotDatabase(database);
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        if (row.allowed.includes(caller)) {
          if (!result.ok) failures.push(`${caller} was refused (${result.code}: ${result.message})`);
          else if (row.action === 'read' && changed) failures.push(`${caller}'s read changed the database`);
          else if (row.action !== 'read' && !changed) failures.push(`${caller}'s ${row.action} succeeded but changed nothing`);
        } else {
          const expected = expectedRefusal(row, caller);
          if (result.ok) failures.push(`${caller} succeeded; expected ${expected}`);
          else if (result.code !== expected) failures.push(`${caller} got ${result.code} (${result.message}); expected ${expected}`);
          if (changed) failures.push(`${caller}'s refused call changed the database: ${describeChanges(before, after)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  for (const row of LISTS) {
    it(`${row.procedure} shows ${row.about} to ${row.allowed.join(', ')} only`, async () => {
      const world = await freshWorld();
      const fixture = await row.make(world);
      const target = row.target(fixture, world);
      const before = await snapshotDatabase(database);
      const seenBy: CallerName[] = [];
      for (const caller of CALLERS) {
        const answer = await outcome(invoke(world, caller, row.procedure, row.input?.(fixture, world)));
        if (answer.ok && row.ids(answer.value).includes(target)) seenBy.push(caller);
      }
      expect(seenBy).toEqual(CALLERS.filter((c) => row.allowed.includes(c)));
      expect(await snapshotDatabase(database)).toEqual(before);
    });
  }

  it('never takes the owner from input: fields naming another user are ignored or refused', async () => {
    const world = await freshWorld();
    const { owner, classmate } = world.school.people;
    const api = createCaller({ db: world.db, runner: new FakeRunQueue(), user: classmate, maxParams: 5_000_000 });
    const made = await api.notebook.create({ title: 'Mine', ownerId: owner.id, userId: owner.id } as { title: string });
    const [row] = await world.db.select({ ownerId: notebooks.ownerId }).from(notebooks).where(eq(notebooks.id, made.id));
    expect(row!.ownerId).toBe(classmate.id);
    const run = await ownersRun(world);
    const [stored] = await world.db.select({ ownerId: runs.ownerId }).from(runs).where(eq(runs.id, run.runId!));
    expect(stored!.ownerId).toBe(owner.id);
    const refused = await outcome(api.run.get({ runId: run.runId!, ownerId: owner.id } as { runId: string }));
    expect(refused).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

