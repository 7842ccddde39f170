import { randomInt, timingSafeEqual } from 'node:crypto';
import { isAPIError } from 'better-auth/api';
import { and, asc, count, eq, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { authAccounts, authSessions, classes, classMembers, datasets, notebooks, runs, sessions, siteSettings, users, type UserRole } from '../../db/schema';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, type Auth } from '../auth/better-auth';
import { assertTeachesClass, cleanPersonName, findClassByJoinCode } from './classes';
import { ServiceError } from './errors';
import { seedNewUser } from './seed';
import type { SessionUser } from './sessions';

export const MIN_USERNAME_LENGTH = 3;
export const MAX_USERNAME_LENGTH = 30;
/** A teacher makes a class's accounts at once; more than a big class is a typo (a pasted book). */
export const MAX_ACCOUNTS_AT_ONCE = 60;
const TEACHER_CODE_KEY = 'teacher_code';

/**
 * better-auth needs an e-mail; students have none. `.invalid` is reserved (RFC 2606), so
 * nothing can ever be sent to it, and usernames are unique, so these are too.
 */
export function syntheticEmail(username: string): string {
  return `${username}@users.invalid`;
}

/** What a person typed as a username, lowercased (sign-in ignores case), or a message saying how to fix it. */
export function cleanUsername(typed: string): string {
  const username = typed.trim().toLowerCase();
  if (username === '') throw new ServiceError('BAD_REQUEST', 'Choose a username, such as “sam.lee”. You type it to sign in.');
  if (username.length < MIN_USERNAME_LENGTH || username.length > MAX_USERNAME_LENGTH) {
    throw new ServiceError('BAD_REQUEST', `A username has ${MIN_USERNAME_LENGTH} to ${MAX_USERNAME_LENGTH} characters; “${typed.trim()}” has ${username.length}.`);
  }
  if (!/^[a-z0-9_.]+$/.test(username)) {
    throw new ServiceError('BAD_REQUEST', 'A username may use only letters a–z, digits, dots and underscores (no spaces), such as “sam.lee” or “sam_2”.');
  }
  return username;
}

export function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ServiceError('BAD_REQUEST', `A password needs at least ${MIN_PASSWORD_LENGTH} characters. A short sentence you can remember works well.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new ServiceError('BAD_REQUEST', `A password can have at most ${MAX_PASSWORD_LENGTH} characters.`);
}

/**
 * A first password a teacher reads out or prints, such as "bako-rimu-tesa-47": no
 * characters that look alike, about 10^9.5 values, and sign-in tries are limited per username.
 */
export function generateFirstPassword(): string {
  const consonants = 'bdfgkmnprstvz';
  const vowels = 'aeiou';
  const word = () => Array.from({ length: 2 }, () => consonants[randomInt(consonants.length)]! + vowels[randomInt(vowels.length)]!).join('');
  return `${word()}-${word()}-${word()}-${randomInt(10, 100)}`;
}

/** Turns better-auth's refusals into sentences a student can act on. */
function readableAuthError(error: unknown): never {
  if (isAPIError(error)) {
    const code = (error.body as { code?: string } | undefined)?.code;
    if (code === 'USERNAME_IS_ALREADY_TAKEN' || code === 'USER_ALREADY_EXISTS' || code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') {
      throw new ServiceError('CONFLICT', 'Someone already has this username. Add a digit or your last initial, such as “sam.l” or “sam2”.');
    }
    if (code === 'INVALID_PASSWORD') throw new ServiceError('BAD_REQUEST', 'Your current password is not right. Type it again (check Caps Lock).');
    if (code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_TOO_LONG') checkNewPassword(code === 'PASSWORD_TOO_SHORT' ? '' : 'x'.repeat(MAX_PASSWORD_LENGTH + 1));
    if (error.status === 'UNAUTHORIZED') throw new ServiceError('UNAUTHORIZED', 'You are signed out. Sign in again, then try once more.');
    throw new ServiceError('BAD_REQUEST', error.message || 'That did not work. Check what you typed and try again.');
  }
  throw error;
}

/** Whether any account (a user with a username) exists; none means a fresh install, whose first account is the admin. */
export async function anyAccountExists(db: Database): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(isNotNull(users.username)).limit(1);
  return Boolean(row);
}

async function readTeacherCode(db: Pick<Database, 'select'>): Promise<string | null> {
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, TEACHER_CODE_KEY));
  return row?.value ?? null;
}

function sameCode(typed: string, expected: string): boolean {
  const a = Buffer.from(typed.trim().toUpperCase());
  const b = Buffer.from(expected.toUpperCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SignUpInput {
  username: string;
  password: string;
  displayName: string;
  /** Students: the class code from the board; the new account joins that class. */
  joinCode?: string;
  /** Teachers: the code whoever runs Layerbook set on the admin page. */
  teacherCode?: string;
  /** Move this browser's anonymous work (notebooks, runs, datasets, classes) into the new account. */
  bringWork?: boolean;
}

export interface WorkSummary {
  notebooks: number;
  runs: number;
  datasets: number;
  classes: number;
}

export interface SignedUp {
  user: SessionUser;
  /** better-auth's Set-Cookie headers: the new account's session. */
  setCookies: string[];
  joinedClass: { id: string; name: string } | null;
  broughtWork: WorkSummary | null;
}

/**
 * Makes an account and signs it in. The first account of a fresh install is the admin; after
 * that a sign-up needs the teacher code (a teacher) or a class join code (a student, who
 * joins that class). Codes are checked before anything is written.
 */
export async function signUp(db: Database, auth: Auth, input: SignUpInput, options: { anonymousUserId?: string | null } = {}): Promise<SignedUp> {
  const username = cleanUsername(input.username);
  checkNewPassword(input.password);
  const displayName = cleanPersonName(input.displayName, 'teacher');

  let role: UserRole = 'student';
  let klass: { id: string; name: string } | null = null;
  if (!(await anyAccountExists(db))) {
    role = 'admin';
  } else if (input.teacherCode?.trim()) {
    const expected = await readTeacherCode(db);
    if (!expected || !sameCode(input.teacherCode, expected)) {
      throw new ServiceError('FORBIDDEN', 'That teacher code is not right. Ask whoever runs Layerbook at your school for the current code (they set it on the admin page).');
    }
    role = 'teacher';
  } else if (input.joinCode?.trim()) {
    const found = await findClassByJoinCode(db, input.joinCode);
    klass = { id: found.id, name: found.name };
  } else {
    throw new ServiceError('BAD_REQUEST', 'Type the class code your teacher gave you (it looks like K7Q-M4P). Teachers: type the teacher code instead.');
  }

  let created: { headers: Headers; response: { user: { id: string } } };
  try {
    created = await auth.api.signUpEmail({
      body: { email: syntheticEmail(username), name: displayName, password: input.password, username, displayUsername: input.username.trim() },
      returnHeaders: true,
    });
  } catch (error) {
    readableAuthError(error);
  }
  const userId = created.response.user.id;

  const broughtWork = await db.transaction(async (tx) => {
    if (role !== 'student') await tx.update(users).set({ role }).where(eq(users.id, userId));
    if (klass) await tx.insert(classMembers).values({ classId: klass.id, userId }).onConflictDoNothing();
    const brought = input.bringWork && options.anonymousUserId ? await moveAnonymousWork(tx as unknown as Database, options.anonymousUserId, userId) : null;
    if (!brought || brought.notebooks === 0) await seedNewUser(tx, userId);
    return brought;
  });
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  return {
    user: { id: userId, displayName, role: row!.role, username },
    setCookies: created.headers.getSetCookie(),
    joinedClass: klass,
    broughtWork,
  };
}

/** What an anonymous browser user has made; null when the user is not anonymous (has an account). */
export async function anonymousWorkOf(db: Database, userId: string): Promise<WorkSummary | null> {
  const [user] = await db.select({ username: users.username }).from(users).where(eq(users.id, userId));
  if (!user || user.username !== null) return null;
  const countOf = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? 0;
  return {
    notebooks: await countOf(db.select({ n: count() }).from(notebooks).where(eq(notebooks.ownerId, userId))),
    runs: await countOf(db.select({ n: count() }).from(runs).where(eq(runs.ownerId, userId))),
    datasets: await countOf(db.select({ n: count() }).from(datasets).where(eq(datasets.ownerId, userId))),
    classes:
      (await countOf(db.select({ n: count() }).from(classMembers).where(eq(classMembers.userId, userId)))) +
      (await countOf(db.select({ n: count() }).from(classes).where(eq(classes.teacherId, userId)))),
  };
}

/**
 * Moves everything an anonymous user owns into an account, in one transaction: notebooks,
 * runs, datasets, classes taught (from before accounts existed) and class memberships. The
 * anonymous user's browser sessions end; its row stays (owning nothing), so a table this
 * list misses keeps its rows rather than losing them to a cascade.
 */
export async function bringAnonymousWork(db: Database, anonymousUserId: string, accountId: string): Promise<WorkSummary> {
  return db.transaction((tx) => moveAnonymousWork(tx as unknown as Database, anonymousUserId, accountId));
}

async function moveAnonymousWork(tx: Database, from: string, to: string): Promise<WorkSummary> {
  if (from === to) throw new ServiceError('BAD_REQUEST', 'This work is already in your account.');
  const summary = await anonymousWorkOf(tx, from);
  // Only an anonymous user's work moves: an account's work is never taken by another account.
  if (!summary) throw new ServiceError('NOT_FOUND', 'There is no work from before you signed in on this browser any more.');
  await tx.update(notebooks).set({ ownerId: to }).where(eq(notebooks.ownerId, from));
  await tx.update(runs).set({ ownerId: to }).where(eq(runs.ownerId, from));
  await tx.update(datasets).set({ ownerId: to }).where(eq(datasets.ownerId, from));
  const taught = await tx.update(classes).set({ teacherId: to }).where(eq(classes.teacherId, from)).returning({ id: classes.id });
  // Before accounts, making a class made a teacher: whoever brings such classes keeps teaching them.
  if (taught.length > 0) await tx.update(users).set({ role: 'teacher' }).where(and(eq(users.id, to), eq(users.role, 'student')));
  const ownClasses = tx.select({ id: classes.id }).from(classes).where(eq(classes.teacherId, to));
  await tx.execute(sql`
    insert into ${classMembers} (class_id, user_id, joined_at)
    select class_id, ${to}, joined_at from ${classMembers}
    where user_id = ${from} and class_id not in (${ownClasses})
    on conflict do nothing`);
  await tx.delete(classMembers).where(eq(classMembers.userId, from));
  await tx.delete(sessions).where(eq(sessions.userId, from));
  return summary;
}

/** The account's own profile, as the header and the account page show it. */
export async function accountOf(db: Database, userId: string): Promise<{ id: string; username: string; displayName: string; role: UserRole } | null> {
  const [row] = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(eq(users.id, userId), isNotNull(users.username)));
  return row ? { ...row, username: row.username! } : null;
}

/** Changes the caller's password; every other session of theirs ends, this one gets a new token. */
export async function changePassword(auth: Auth, requestHeaders: Headers, input: { currentPassword: string; newPassword: string }): Promise<{ setCookies: string[] }> {
  checkNewPassword(input.newPassword);
  try {
    const { headers } = await auth.api.changePassword({
      body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true },
      headers: requestHeaders,
      returnHeaders: true,
    });
    return { setCookies: headers.getSetCookie() };
  } catch (error) {
    readableAuthError(error);
  }
}

// ---- Teachers: accounts for a class ----

export interface FirstPassword {
  userId: string;
  displayName: string;
  username: string;
  password: string;
}

/** "Sam Lee" → "sam.lee"; accents dropped; "Al" → "al.student" (3 characters at least). */
export function usernameFromName(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '')
    .slice(0, MAX_USERNAME_LENGTH - 3);
  if (base.length >= MIN_USERNAME_LENGTH) return base;
  return base ? `${base}.student` : 'student';
}

async function freeUsername(db: Database, wanted: string, taken: Set<string>): Promise<string> {
  const existing = await db
    .select({ username: users.username })
    .from(users)
    .where(sql`${users.username} = ${wanted} or ${users.username} like ${`${wanted}%`}`);
  for (const row of existing) taken.add(row.username!);
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}${n}`)) return `${wanted}${n}`;
}

/**
 * Makes a student account for each name and puts it in the teacher's class. Returns each
 * username with its first password, shown once for the teacher to print; only hashes are stored.
 */
export async function createClassAccounts(
  db: Database,
  auth: Auth,
  teacherId: string,
  input: { classId: string; names: string[] },
): Promise<{ className: string; accounts: FirstPassword[] }> {
  const klass = await assertTeachesClass(db, teacherId, input.classId);
  const names = input.names.map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new ServiceError('BAD_REQUEST', 'Type your students’ names, one per line.');
  if (names.length > MAX_ACCOUNTS_AT_ONCE) {
    throw new ServiceError('BAD_REQUEST', `At most ${MAX_ACCOUNTS_AT_ONCE} accounts at once; this list has ${names.length} names. Split it in two.`);
  }
  const cleaned = names.map((name) => cleanPersonName(name, 'teacher'));
  const taken = new Set<string>();
  const accounts: FirstPassword[] = [];
  for (const displayName of cleaned) {
    const username = await freeUsername(db, usernameFromName(displayName), taken);
    taken.add(username);
    const password = generateFirstPassword();
    try {
      const { user } = await auth.api.createUser({
        body: { email: syntheticEmail(username), password, name: displayName, role: 'student', data: { username, displayUsername: username } },
      });
      await db.insert(classMembers).values({ classId: klass.id, userId: user.id }).onConflictDoNothing();
      await seedNewUser(db, user.id);
      accounts.push({ userId: user.id, displayName, username, password });
    } catch (error) {
      readableAuthError(error);
    }
  }
  return { className: klass.name, accounts };
}

/**
 * A new first password for a student of the teacher's class; the student's sessions end.
 * Anyone else (not the teacher, not a student account in that class) gets NOT_FOUND.
 */
export async function resetStudentPassword(db: Database, auth: Auth, teacherId: string, input: { classId: string; studentId: string }): Promise<FirstPassword> {
  await assertTeachesClass(db, teacherId, input.classId);
  const [student] = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName })
    .from(classMembers)
    .innerJoin(users, eq(users.id, classMembers.userId))
    .where(and(eq(classMembers.classId, input.classId), eq(classMembers.userId, input.studentId), eq(users.role, 'student'), isNotNull(users.username)));
  if (!student) throw new ServiceError('NOT_FOUND', 'This student is not in your class, or has no account yet (they joined without signing up), so there is no password to reset.');
  const password = generateFirstPassword();
  const hash = await (await auth.$context).password.hash(password);
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(authAccounts)
      .set({ password: hash, updatedAt: new Date() })
      .where(and(eq(authAccounts.userId, student.id), eq(authAccounts.providerId, 'credential')))
      .returning({ id: authAccounts.id });
    if (changed.length === 0) throw new ServiceError('NOT_FOUND', 'This student signs in without a password, so there is none to reset.');
    await tx.delete(authSessions).where(eq(authSessions.userId, student.id));
  });
  return { userId: student.id, displayName: student.displayName, username: student.username!, password };
}

// ---- Admins ----

const notAnAdmin = () => new ServiceError('FORBIDDEN', 'Only an admin can do this. The first account made on this Layerbook is its admin.');

export async function assertAdmin(db: Database, userId: string): Promise<void> {
  const [row] = await db.select({ role: users.role }).from(users).where(eq(users.id, userId));
  if (row?.role !== 'admin') throw notAnAdmin();
}

export interface AccountRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  createdAt: string;
}

export async function listAccounts(db: Database, adminId: string): Promise<{ accounts: AccountRow[]; teacherCode: string | null }> {
  await assertAdmin(db, adminId);
  const rows = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, createdAt: users.createdAt })
    .from(users)
    .where(isNotNull(users.username))
    .orderBy(asc(users.username));
  return {
    accounts: rows.map((row) => ({ ...row, username: row.username!, createdAt: row.createdAt.toISOString() })),
    teacherCode: await readTeacherCode(db),
  };
}

/** Admins make teachers (or make a teacher a student again); an admin's own role, and other admins', change only on the command line. */
export async function setAccountRole(db: Database, adminId: string, input: { userId: string; role: 'teacher' | 'student' }): Promise<AccountRow> {
  const noSuchAccount = () => new ServiceError('NOT_FOUND', 'There is no such account, or it is an admin (admins stay admins).');
  // It names an account: to anyone but an admin it answers as if there were none.
  await assertAdmin(db, adminId).catch(() => {
    throw noSuchAccount();
  });
  const [changed] = await db
    .update(users)
    .set({ role: input.role, updatedAt: new Date() })
    .where(and(eq(users.id, input.userId), isNotNull(users.username), notInArray(users.role, ['admin'])))
    .returning({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, createdAt: users.createdAt });
  if (!changed) throw noSuchAccount();
  return { ...changed, username: changed.username!, createdAt: changed.createdAt.toISOString() };
}

/** Makes an account with a role and a first password (the admin page, and `layerbook admin create`). */
export async function createAccount(
  db: Database,
  auth: Auth,
  input: { username: string; displayName: string; password?: string; role: UserRole },
): Promise<FirstPassword & { role: UserRole }> {
  const username = cleanUsername(input.username);
  const displayName = cleanPersonName(input.displayName, 'students');
  const password = input.password ?? generateFirstPassword();
  checkNewPassword(password);
  try {
    const { user } = await auth.api.createUser({
      body: { email: syntheticEmail(username), password, name: displayName, role: input.role as 'admin', data: { username, displayUsername: input.username.trim() } },
    });
    await seedNewUser(db, user.id);
    return { userId: user.id, displayName, username, password, role: input.role };
  } catch (error) {
    readableAuthError(error);
  }
}

export async function createTeacherAccount(db: Database, auth: Auth, adminId: string, input: { username: string; displayName: string }) {
  await assertAdmin(db, adminId);
  return createAccount(db, auth, { ...input, role: 'teacher' });
}

/** Sets (or with null, removes) the code that makes a sign-up a teacher. */
export async function setTeacherCode(db: Database, adminId: string, code: string | null): Promise<{ teacherCode: string | null }> {
  await assertAdmin(db, adminId);
  if (code === null || code.trim() === '') {
    await db.delete(siteSettings).where(eq(siteSettings.key, TEACHER_CODE_KEY));
    return { teacherCode: null };
  }
  const trimmed = code.trim().toUpperCase();
  if (trimmed.length < 8 || trimmed.length > 64) {
    throw new ServiceError('BAD_REQUEST', 'A teacher code needs 8 to 64 characters, so students cannot guess it. Press “New code” for a random one.');
  }
  await db
    .insert(siteSettings)
    .values({ key: TEACHER_CODE_KEY, value: trimmed })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value: trimmed, updatedAt: new Date() } });
  return { teacherCode: trimmed };
}

// Re-exported for the members list: which of a class's students have accounts (so "Reset password" is offered).
export async function studentsWithAccounts(db: Database, classId: string): Promise<Set<string>> {
  const rows = await db
    .select({ id: users.id })
    .from(classMembers)
    .innerJoin(users, eq(users.id, classMembers.userId))
    .where(and(eq(classMembers.classId, classId), isNotNull(users.username)));
  return new Set(rows.map((row) => row.id));
}

/** Anonymous users never signed in: used to tell a sign-in page whether there is work to bring. */
export async function isAnonymous(db: Database, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), isNull(users.username)));
  return Boolean(row);
}
