import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../testing/database';
import { giveRole } from '../../../testing/roles';
import { createCsvDataset } from '../../services/datasets';
import { FakeRunQueue } from '../../../testing/fake-run-queue';
import { createAnonymousSession, type SessionUser } from '../../services/sessions';
import { createCaller } from '../root';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe.each(kinds)('class and sharing API on $kind', ({ kind }) => {
  let database: TestDatabase;
  const runner = new FakeRunQueue();
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const callerFor = (user: SessionUser | null) => createCaller({ db: database.db, runner, user, maxParams: 5_000_000 });
  async function newUser() {
    const { user } = await createAnonymousSession(database.db);
    return { user, api: callerFor(user) };
  }
  async function newTeacher() {
    const { user } = await createAnonymousSession(database.db);
    await giveRole(database.db, user.id, 'teacher');
    const teacher = { ...user, role: 'teacher' as const };
    return { user: teacher, api: callerFor(teacher) };
  }

  it('runs a class from creation to a shared dataset through the API, the owner taken from the session', async () => {
    const teacher = await newTeacher();
    const created = await teacher.api.class.create({ name: '7B', teacherName: 'Ms Rivera' });
    const student = await newUser();
    await student.api.class.join({ code: created.joinCode.toLowerCase(), displayName: 'Sam' });
    expect((await teacher.api.class.list()).teaching[0]!.members.map((m) => m.displayName)).toEqual(['Sam']);

    const csv = new TextEncoder().encode('a,b,k\n' + Array.from({ length: 10 }, (_, i) => `${i},${i * 2},${i % 2 ? 'odd' : 'even'}`).join('\n'));
    const dataset = await createCsvDataset(database.db, teacher.user.id, csv, {
      name: 'Parity',
      label: 'k',
      features: [{ column: 'a', as: 'number' }],
      normalization: 'none',
      split: { train: 60, validation: 20, test: 20 },
      seed: 2,
    });
    expect((await student.api.dataset.list()).map((d) => d.id)).not.toContain(dataset.id);
    await teacher.api.dataset.share({ id: dataset.id, classId: created.id });
    expect((await student.api.dataset.list()).find((d) => d.id === dataset.id)?.origin).toEqual({ kind: 'shared', teacherName: 'Ms Rivera', classNames: ['7B'] });
    expect((await student.api.dataset.get({ id: dataset.id })).name).toBe('Parity');

    await teacher.api.dataset.setVisibility({ id: dataset.id, visibility: 'school' });
    await teacher.api.dataset.unshare({ id: dataset.id, classId: created.id });
    expect((await student.api.dataset.list()).find((d) => d.id === dataset.id)?.origin).toEqual({ kind: 'school', ownerName: 'Ms Rivera' });

    await student.api.class.leave({ classId: created.id });
    expect((await student.api.class.list()).memberOf).toEqual([]);
  });

  it('names the field when the input is malformed, before any service runs', async () => {
    const { api } = await newUser();
    const cases: [Promise<unknown>, string][] = [
      [api.class.leave({ classId: 'seven-b' }), 'Invalid input. classId: must be the id of a class from your Classes page'],
      [api.class.create({ name: 42 as unknown as string }), 'Invalid input. name: must be the class name as text'],
      [api.class.create({ name: 'x'.repeat(501) }), 'Invalid input. name: is far too long for a class name'],
      [api.class.join({ code: 'K7Q-M4P'.repeat(10), displayName: 'Sam' }), 'Invalid input. code: is too long for a class code (they look like K7Q-M4P)'],
      [api.class.join({ code: 'K7Q-M4P' } as { code: string; displayName: string }), 'Invalid input. displayName: must be a name as text'],
      [api.class.removeMember({ classId: NO_SUCH_ID, userId: 'sam' }), 'Invalid input. userId: must be the id of a student in the class'],
      [api.class.rename({ classId: NO_SUCH_ID, name: 'x'.repeat(501) }), 'Invalid input. name: is far too long for a class name'],
      [api.dataset.share({ id: 'data', classId: NO_SUCH_ID }), 'Invalid input. id: must be the id of one of your datasets'],
      [api.dataset.unshare({ id: NO_SUCH_ID, classId: '7B' }), 'Invalid input. classId: must be the id of a class from your Classes page'],
      [api.dataset.setVisibility({ id: NO_SUCH_ID, visibility: 'world' as 'school' }), "Invalid input. visibility: must be 'private' or 'school'"],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.message).toBe(message);
    }
  });

  it("passes the service's own words through, with their codes", async () => {
    const { api } = await newUser();
    const unknown = await rejection(api.class.join({ code: 'zzz zz9', displayName: 'Sam' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(/^No class has the code ZZZ-ZZ9\. Check the code on the board/);
    const notATeacher = await rejection(api.class.create({ name: '7B' }));
    expect(notATeacher).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^Only teachers can make a class\./) });
    const empty = await rejection((await newTeacher()).api.class.create({ name: '   ' }));
    expect(empty).toMatchObject({ code: 'BAD_REQUEST', message: 'Give the class a name, such as “7B Computing”.' });
    const notTeacher = await rejection(api.class.delete({ classId: NO_SUCH_ID }));
    expect(notTeacher.code).toBe('NOT_FOUND');
  });

  it('refuses every class change without a session, and lists no classes for a visitor', async () => {
    const api = callerFor(null);
    expect(await api.class.list()).toEqual({ displayName: null, teaching: [], memberOf: [] });
    for (const call of [api.class.create({ name: 'X' }), api.class.join({ code: 'K7Q-M4P', displayName: 'S' }), api.dataset.share({ id: NO_SUCH_ID, classId: NO_SUCH_ID })]) {
      expect((await rejection(call)).code).toBe('UNAUTHORIZED');
    }
  });
});
