import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authAccounts, authSessions, classMembers, classes, datasets, notebooks, runs, sessions, users } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { createAuth, loadAuthSecret, type Auth } from './better-auth';
import {
  anonymousWorkOf,
  bringAnonymousWork,
  cleanUsername,
  createAccount,
  createClassAccounts,
  generateFirstPassword,
  listAccounts,
  resetStudentPassword,
  setAccountRole,
  setTeacherCode,
  signUp,
  usernameFromName,
} from './accounts';
import { createClass, joinClass, listMyClasses } from '../services/classes';
import { createAnonymousSession, findSessionUser } from '../services/sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe('usernames and first passwords', () => {
  it('lowercases usernames and explains the rules', () => {
    expect(cleanUsername('  Sam.Lee ')).toBe('sam.lee');
    expect(() => cleanUsername('sa')).toThrow('A username has 3 to 30 characters');
    expect(() => cleanUsername('sam lee')).toThrow('only letters a–z, digits, dots and underscores');
    expect(() => cleanUsername('')).toThrow('Choose a username');
  });

  it('makes usernames from names and readable first passwords', () => {
    expect(usernameFromName('Sam Lee')).toBe('sam.lee');
    expect(usernameFromName('Zoë  O’Brien')).toBe('zoe.o.brien');
    expect(usernameFromName('Al')).toBe('al.student');
    expect(usernameFromName('李')).toBe('student');
    const passwords = Array.from({ length: 200 }, generateFirstPassword);
    for (const p of passwords) expect(p).toMatch(/^([bdfgkmnprstvz][aeiou]){2}-([bdfgkmnprstvz][aeiou]){2}-([bdfgkmnprstvz][aeiou]){2}-\d\d$/);
    expect(new Set(passwords).size).toBe(200);
  });
});

describe.each(kinds)('accounts on $kind', ({ kind }) => {
  let database: TestDatabase;
  let auth: Auth;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    auth = createAuth(database.db, { secret: await loadAuthSecret(database.db), trustedOrigins: () => [] });
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const signIn = (username: string, password: string) => auth.api.signInUsername({ body: { username, password } });
  const roleOf = async (id: string) => (await database.db.select({ role: users.role }).from(users).where(eq(users.id, id)))[0]!.role;

  it('makes the first account the admin; later sign-ups need a teacher code or a class code, checked before anything is written', async () => {
    const admin = await signUp(database.db, auth, { username: 'Head', password: 'correct horse', displayName: 'Ms Head' });
    expect(admin.user).toMatchObject({ role: 'admin', username: 'head', displayName: 'Ms Head' });
    expect(admin.setCookies.some((c) => c.startsWith('lb.session_token='))).toBe(true);

    const usersBefore = (await database.db.select().from(users)).length;
    await expect(signUp(database.db, auth, { username: 'nobody', password: 'password1', displayName: 'No One' })).rejects.toThrow(
      'Type the class code your teacher gave you',
    );
    await expect(signUp(database.db, auth, { username: 'fake', password: 'password1', displayName: 'Fake', teacherCode: 'GUESS-1234' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('That teacher code is not right.'),
    });
    await expect(signUp(database.db, auth, { username: 'lost', password: 'password1', displayName: 'Lost', joinCode: 'ZZZ-ZZ9' })).rejects.toThrow('No class has the code ZZZ-ZZ9.');
    expect((await database.db.select().from(users)).length).toBe(usersBefore);

    await setTeacherCode(database.db, admin.user.id, 'staff-room-2026');
    const teacher = await signUp(database.db, auth, { username: 'rivera', password: 'password1', displayName: 'Ms Rivera', teacherCode: ' STAFF-ROOM-2026 ' });
    expect(teacher.user.role).toBe('teacher');
    const klass = await createClass(database.db, teacher.user.id, { name: '7B' });

    const student = await signUp(database.db, auth, { username: 'Sam_L', password: 'my secret words', displayName: 'Sam', joinCode: klass.joinCode.toLowerCase() });
    expect(student.user.role).toBe('student');
    expect(student.joinedClass).toEqual({ id: klass.id, name: '7B' });
    expect((await listMyClasses(database.db, student.user.id)).memberOf.map((c) => c.name)).toEqual(['7B']);
    // A starter notebook, as every new user gets.
    expect(await database.db.select().from(notebooks).where(eq(notebooks.ownerId, student.user.id))).toHaveLength(1);

    // Stored as better-auth's scrypt hash, never as typed; signing in takes any case of the username.
    const [credential] = await database.db.select().from(authAccounts).where(eq(authAccounts.userId, student.user.id));
    expect(credential!.password).not.toContain('my secret words');
    expect(credential!.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/);
    expect((await signIn('SAM_L', 'my secret words')).user.id).toBe(student.user.id);
    await expect(signIn('sam_l', 'wrong words!')).rejects.toThrow();

    await expect(signUp(database.db, auth, { username: 'sam_l', password: 'password1', displayName: 'Other Sam', joinCode: klass.joinCode })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('Someone already has this username.'),
    });
    await expect(signUp(database.db, auth, { username: 'shorty', password: 'short', displayName: 'S', joinCode: klass.joinCode })).rejects.toThrow(
      'A password needs at least 8 characters.',
    );
  });

  it('brings every piece of anonymous work into the new account in one go, losing nothing', async () => {
    const teacher = await createAccount(database.db, auth, { username: 'okafor', displayName: 'Mr Okafor', role: 'teacher' });
    const klass = await createClass(database.db, teacher.userId, { name: '8C' });
    const anonymous = await createAnonymousSession(database.db);
    const anonId = anonymous.user.id;
    await joinClass(database.db, anonId, { code: klass.joinCode, displayName: 'Kim' });
    const [run] = await database.db
      .insert(runs)
      .values({ notebookId: anonymous.starterNotebookId, cellId: 'c1', ownerId: anonId, spec: {}, training: {}, totalParams: 10, status: 'succeeded' })
      .returning({ id: runs.id });
    const [dataset] = await database.db
      .insert(datasets)
      .values({ ownerId: anonId, name: 'Mine', format: 'csv', inputShape: [2], classes: ['a', 'b'], encodings: [], options: {}, preview: {}, trainSize: 1, validationSize: 0, testSize: 0 })
      .returning({ id: datasets.id });
    const totals = async () => (await database.query<{ n: number; r: number; d: number }>(sql`select (select count(*)::int from notebooks) as n, (select count(*)::int from runs) as r, (select count(*)::int from datasets) as d`))[0];
    const before = await totals();

    expect(await anonymousWorkOf(database.db, anonId)).toEqual({ notebooks: 1, runs: 1, datasets: 1, classes: 1 });
    const account = await signUp(
      database.db,
      auth,
      { username: 'kim', password: 'password1', displayName: 'Kim', joinCode: klass.joinCode, bringWork: true },
      { anonymousUserId: anonId },
    );
    expect(account.broughtWork).toEqual({ notebooks: 1, runs: 1, datasets: 1, classes: 1 });
    const kimId = account.user.id;
    expect((await database.db.select().from(notebooks).where(eq(notebooks.id, anonymous.starterNotebookId)))[0]!.ownerId).toBe(kimId);
    expect((await database.db.select().from(runs).where(eq(runs.id, run!.id)))[0]!.ownerId).toBe(kimId);
    expect((await database.db.select().from(datasets).where(eq(datasets.id, dataset!.id)))[0]!.ownerId).toBe(kimId);
    expect((await database.db.select().from(classMembers).where(eq(classMembers.userId, kimId))).map((m) => m.classId)).toEqual([klass.id]);
    // Nothing lost, nothing copied: the brought notebook replaces the starter a new account would get.
    expect(await totals()).toEqual(before);
    // The browser's anonymous session is over, and the anonymous user owns nothing any more.
    expect(await findSessionUser(database.db, anonymous.token)).toBeNull();
    expect(await database.db.select().from(sessions).where(eq(sessions.userId, anonId))).toEqual([]);
    expect(await anonymousWorkOf(database.db, anonId)).toEqual({ notebooks: 0, runs: 0, datasets: 0, classes: 0 });

    // An account's work is never taken by another account.
    const other = await createAccount(database.db, auth, { username: 'other.one', displayName: 'Other', role: 'student' });
    await expect(bringAnonymousWork(database.db, kimId, other.userId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await database.db.select().from(notebooks).where(eq(notebooks.ownerId, kimId))).toHaveLength(1);
  });

  it('signing up without bringing work leaves the anonymous work where it was', async () => {
    const teacher = await createAccount(database.db, auth, { username: 'nbrown', displayName: 'Ms Brown', role: 'teacher' });
    const klass = await createClass(database.db, teacher.userId, { name: '9A' });
    const anonymous = await createAnonymousSession(database.db);
    const account = await signUp(database.db, auth, { username: 'lee', password: 'password1', displayName: 'Lee', joinCode: klass.joinCode }, { anonymousUserId: anonymous.user.id });
    expect(account.broughtWork).toBeNull();
    expect((await anonymousWorkOf(database.db, anonymous.user.id))!.notebooks).toBe(1);
    expect(await findSessionUser(database.db, anonymous.token)).not.toBeNull();
  });

  it("lets a teacher make a class's accounts and reset a student's password; nobody else", async () => {
    const teacher = await createAccount(database.db, auth, { username: 'mrs.k', displayName: 'Mrs K', role: 'teacher' });
    const otherTeacher = await createAccount(database.db, auth, { username: 'mr.x', displayName: 'Mr X', role: 'teacher' });
    const klass = await createClass(database.db, teacher.userId, { name: '10D' });
    const made = await createClassAccounts(database.db, auth, teacher.userId, { classId: klass.id, names: ['Ana Silva', '', '  Ben Ng ', 'Ana Silva'] });
    expect(made.className).toBe('10D');
    expect(made.accounts.map((a) => [a.displayName, a.username])).toEqual([
      ['Ana Silva', 'ana.silva'],
      ['Ben Ng', 'ben.ng'],
      ['Ana Silva', 'ana.silva2'],
    ]);
    const ana = made.accounts[0]!;
    const session = await signIn(ana.username, ana.password);
    expect(session.user.id).toBe(ana.userId);
    expect((await listMyClasses(database.db, teacher.userId)).teaching[0]!.members.map((m) => m.username).sort()).toEqual(['ana.silva', 'ana.silva2', 'ben.ng']);

    await expect(createClassAccounts(database.db, auth, otherTeacher.userId, { classId: klass.id, names: ['Eve'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const outsider of [otherTeacher.userId, ana.userId]) {
      await expect(resetStudentPassword(database.db, auth, outsider, { classId: klass.id, studentId: ana.userId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(signIn(ana.username, ana.password)).resolves.toBeTruthy();

    const reset = await resetStudentPassword(database.db, auth, teacher.userId, { classId: klass.id, studentId: ana.userId });
    expect(reset.username).toBe('ana.silva');
    expect(reset.password).not.toBe(ana.password);
    await expect(signIn(ana.username, ana.password)).rejects.toThrow();
    expect((await signIn(ana.username, reset.password)).user.id).toBe(ana.userId);
    // Her earlier sessions ended with the reset.
    expect(await database.db.select().from(authSessions).where(eq(authSessions.token, session.token))).toEqual([]);
    // A teacher's own account in someone's class is not a student's to reset.
    await expect(resetStudentPassword(database.db, auth, teacher.userId, { classId: klass.id, studentId: otherTeacher.userId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets only an admin list accounts, make teachers and set the teacher code', async () => {
    const admin = await createAccount(database.db, auth, { username: 'root.admin', displayName: 'Admin', role: 'admin' });
    const student = await createAccount(database.db, auth, { username: 'pupil', displayName: 'Pupil', role: 'student' });
    for (const call of [() => listAccounts(database.db, student.userId), () => setTeacherCode(database.db, student.userId, 'LETMEIN-12345')]) {
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only an admin can do this.') });
    }
    await expect(setAccountRole(database.db, student.userId, { userId: student.userId, role: 'teacher' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await roleOf(student.userId)).toBe('student');

    const listed = await listAccounts(database.db, admin.userId);
    expect(listed.accounts.find((a) => a.id === student.userId)).toMatchObject({ username: 'pupil', role: 'student' });
    // Anonymous users are not accounts.
    expect(listed.accounts.every((a) => a.username)).toBe(true);
    expect((await setAccountRole(database.db, admin.userId, { userId: student.userId, role: 'teacher' })).role).toBe('teacher');
    expect(await roleOf(student.userId)).toBe('teacher');
    await expect(setAccountRole(database.db, admin.userId, { userId: admin.userId, role: 'student' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(setTeacherCode(database.db, admin.userId, 'short')).rejects.toThrow('A teacher code needs 8 to 64 characters');
    expect(await setTeacherCode(database.db, admin.userId, null)).toEqual({ teacherCode: null });
    const [row] = await database.db.select().from(classes).limit(1);
    expect(row).toBeTruthy();
  });
});

describe.each(kinds)('sign-up is all or nothing on $kind', ({ kind }) => {
  let database: TestDatabase;
  let auth: Auth;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    auth = createAuth(database.db, { secret: await loadAuthSecret(database.db), trustedOrigins: () => [] });
  });
  afterAll(async () => {
    await database?.destroy();
  });

  /** Everything a sign-up writes for `username`: its user, password, sessions, classes and notebooks. */
  async function traceOf(username: string) {
    const [row] = await database.query<{ users: number; accounts: number; sessions: number; memberships: number; notebooks: number }>(sql`
      select (select count(*)::int from users where username = ${username}) as users,
             (select count(*)::int from auth_accounts a join users u on u.id = a.user_id where u.username = ${username}) as accounts,
             (select count(*)::int from auth_sessions s join users u on u.id = s.user_id where u.username = ${username}) as sessions,
             (select count(*)::int from class_members m join users u on u.id = m.user_id where u.username = ${username}) as memberships,
             (select count(*)::int from notebooks n join users u on u.id = n.owner_id where u.username = ${username}) as notebooks`);
    return row!;
  }
  const nothing = { users: 0, accounts: 0, sessions: 0, memberships: 0, notebooks: 0 };

  /** Makes the database refuse `operation` on `table`: a failure after the account's own rows were written. */
  async function failing<T>(table: 'class_members' | 'notebooks', operation: 'insert' | 'update', task: () => Promise<T>): Promise<T> {
    await database.query(sql.raw(`create or replace function injected_failure() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`));
    await database.query(sql.raw(`create trigger injected_failure before ${operation} on ${table} for each row execute function injected_failure()`));
    try {
      return await task();
    } finally {
      await database.query(sql.raw(`drop trigger injected_failure on ${table}`));
    }
  }

  /** The database's own words, under drizzle's "Failed query" wrapper. */
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no refusal',
      (error: unknown) => {
        const messages: string[] = [];
        for (let e = error as { message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) messages.push(e.message ?? '');
        return messages.join(' / ');
      },
    );

  let joinCode: string;
  let classId: string;

  it('makes one admin when two people sign up at once on a fresh install', async () => {
    const [first, second] = await Promise.allSettled([
      signUp(database.db, auth, { username: 'head.one', password: 'password1', displayName: 'Head One' }),
      signUp(database.db, auth, { username: 'head.two', password: 'password1', displayName: 'Head Two' }),
    ]);
    const results = [first, second];
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof signUp>>>).value.user.role)).toEqual(['admin']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Type the class code your teacher gave you') });
    expect(await database.query(sql`select username from users where role = 'admin'`)).toHaveLength(1);

    const admin = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof signUp>>>;
    await setTeacherCode(database.db, admin.value.user.id, 'staff-room-2026');
    const teacher = await signUp(database.db, auth, { username: 'ms.t', password: 'password1', displayName: 'Ms T', teacherCode: 'STAFF-ROOM-2026' });
    expect(teacher.user.role).toBe('teacher');
    expect(await traceOf('ms.t')).toEqual({ users: 1, accounts: 1, sessions: 1, memberships: 0, notebooks: 1 });
    const klass = await createClass(database.db, teacher.user.id, { name: '7B' });
    joinCode = klass.joinCode;
    classId = klass.id;
  });

  it('leaves no user, password or membership when joining the class fails after the account was written', async () => {
    expect(await refusal(failing('class_members', 'insert', () => signUp(database.db, auth, { username: 'una', password: 'password1', displayName: 'Una', joinCode })))).toContain(
      'injected failure',
    );
    expect(await traceOf('una')).toEqual(nothing);
    // The name is free again: the same sign-up works once the class can be joined.
    const una = await signUp(database.db, auth, { username: 'una', password: 'password1', displayName: 'Una', joinCode });
    expect(una.joinedClass?.id).toBe(classId);
    expect(await traceOf('una')).toEqual({ users: 1, accounts: 1, sessions: 1, memberships: 1, notebooks: 1 });
    expect((await auth.api.signInUsername({ body: { username: 'una', password: 'password1' } })).user.id).toBe(una.user.id);
  });

  it('leaves the browser’s work where it was, and makes no account, when bringing it over fails', async () => {
    const anonymous = await createAnonymousSession(database.db);
    const bringing = failing('notebooks', 'update', () =>
      signUp(database.db, auth, { username: 'ola', password: 'password1', displayName: 'Ola', joinCode, bringWork: true }, { anonymousUserId: anonymous.user.id }),
    );
    expect(await refusal(bringing)).toContain('injected failure');
    expect(await traceOf('ola')).toEqual(nothing);
    expect(await anonymousWorkOf(database.db, anonymous.user.id)).toEqual({ notebooks: 1, runs: 0, datasets: 0, classes: 0 });
    expect(await findSessionUser(database.db, anonymous.token)).not.toBeNull();

    const ola = await signUp(database.db, auth, { username: 'ola', password: 'password1', displayName: 'Ola', joinCode, bringWork: true }, { anonymousUserId: anonymous.user.id });
    expect(ola.broughtWork).toEqual({ notebooks: 1, runs: 0, datasets: 0, classes: 0 });
    // The brought notebook is the account's only one: no starter beside it.
    expect(await traceOf('ola')).toEqual({ users: 1, accounts: 1, sessions: 1, memberships: 1, notebooks: 1 });
  });

  it('lets one of two sign-ups racing for a username through; the other is told the name is taken', async () => {
    const attempt = (displayName: string) => signUp(database.db, auth, { username: 'Rae', password: `${displayName}-password`, displayName, joinCode });
    const results = await Promise.allSettled([attempt('Rae One'), attempt('Rae Two')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Someone already has this username.') });
    expect(await traceOf('rae')).toEqual({ users: 1, accounts: 1, sessions: 1, memberships: 1, notebooks: 1 });
    const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof signUp>>>).value;
    const winnerPassword = `${winner.user.displayName}-password`;
    expect((await auth.api.signInUsername({ body: { username: 'rae', password: winnerPassword } })).user.id).toBe(winner.user.id);
  });

  it('makes a class list of accounts whole or not at all', async () => {
    const [teacher] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, 'ms.t'));
    const making = failing('notebooks', 'insert', () => createClassAccounts(database.db, auth, teacher!.id, { classId, names: ['Ana Silva', 'Ben Ng'] }));
    expect(await refusal(making)).toContain('injected failure');
    for (const username of ['ana.silva', 'ben.ng']) expect(await traceOf(username)).toEqual(nothing);
    const made = await createClassAccounts(database.db, auth, teacher!.id, { classId, names: ['Ana Silva', 'Ben Ng'] });
    expect(made.accounts.map((a) => a.username)).toEqual(['ana.silva', 'ben.ng']);
    for (const username of ['ana.silva', 'ben.ng']) expect(await traceOf(username)).toEqual({ users: 1, accounts: 1, sessions: 0, memberships: 1, notebooks: 1 });
  });

  it('signs the new account in with a session of its own, whose token is in the cookie', async () => {
    const signedUp = await signUp(database.db, auth, { username: 'vic', password: 'password1', displayName: 'Vic', joinCode });
    const [session] = await database.db.select().from(authSessions).where(eq(authSessions.userId, signedUp.user.id));
    const cookie = signedUp.setCookies.find((c) => c.startsWith('lb.session_token='))!;
    expect(decodeURIComponent(cookie.split(';')[0]!.slice('lb.session_token='.length)).split('.')[0]).toBe(session!.token);
  });
});
