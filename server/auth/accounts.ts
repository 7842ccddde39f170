import { randomInt, timingSafeEqual } from 'node:crypto';
import { isAPIError } from 'better-auth/api';
import { and, asc, count, eq, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { assignments, authAccounts, authSessions, classes, classMembers, datasets, feedbackComments, notebooks, runs, sessions, siteSettings, submissionFeedback, submissions, users, type UserRole } from '../../db/schema';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, withAuthWritesIn, type Auth } from './better-auth';
import { assertTeachesClass, cleanPersonName, findClassByJoinCode } from '../services/classes';
import { ServiceError, isUniqueViolation } from '../services/errors';
import { seedNewUser } from '../services/seed';
import type { SessionUser } from '../services/sessions';

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

const usernameTaken = () => new ServiceError('CONFLICT', 'Someone already has this username. Add a digit or your last initial, such as “sam.l” or “sam2”.');

/** Turns better-auth's refusals into sentences a student can act on. */
function readableAuthError(error: unknown): never {
  if (isAPIError(error)) {
    const code = (error.body as { code?: string } | undefined)?.code;
    if (code === 'USERNAME_IS_ALREADY_TAKEN' || code === 'USER_ALREADY_EXISTS' || code === 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL') throw usernameTaken();
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
 * Writes an account (its user and its password) on the transaction `tx` through better-auth,
 * so the rows the caller adds for it (class, role, work) commit or roll back with it. The
 * password is hashed beforehand (`hashPassword`): hashing is slow on purpose and holds no lock.
 */
async function writeAccount(
  tx: Database,
  auth: Auth,
  account: { username: string; typedUsername: string; displayName: string; role: UserRole; passwordHash: string },
): Promise<string> {
  return withAuthWritesIn(auth, tx, async (writes) => {
    const user = await writes.createUser(
      {
        email: syntheticEmail(account.username),
        name: account.displayName,
        username: account.username,
        displayUsername: account.typedUsername,
        role: account.role,
        emailVerified: false,
      },
      { method: 'email-password' },
    );
    await writes.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: account.passwordHash });
    return user.id;
  });
}

/** better-auth's own password hash (scrypt), as its sign-in checks it. */
async function hashPassword(auth: Auth, password: string): Promise<string> {
  return (await auth.$context).password.hash(password);
}

/** Account writes fail as a username taken (by the unique index, when two are made at once) or as better-auth's refusals. */
function readableAccountError(error: unknown): never {
  if (isUniqueViolation(error)) throw usernameTaken();
  readableAuthError(error);
}

/** What a sign-up makes: its role, and the class a student joins. Reads only. */
async function planSignUp(db: Database, input: SignUpInput): Promise<{ role: UserRole; klass: { id: string; name: string } | null }> {
  if (!(await anyAccountExists(db))) return { role: 'admin', klass: null };
  if (input.teacherCode?.trim()) {
    const expected = await readTeacherCode(db);
    if (!expected || !sameCode(input.teacherCode, expected)) {
      throw new ServiceError('FORBIDDEN', 'That teacher code is not right. Ask whoever runs Layerbook at your school for the current code (they set it on the admin page).');
    }
    return { role: 'teacher', klass: null };
  }
  if (input.joinCode?.trim()) {
    const found = await findClassByJoinCode(db, input.joinCode);
    return { role: 'student', klass: { id: found.id, name: found.name } };
  }
  throw new ServiceError('BAD_REQUEST', 'Type the class code your teacher gave you (it looks like K7Q-M4P). Teachers: type the teacher code instead.');
}

/** Held while the first account of a fresh install is made, so two people at once do not both become admin. */
const FIRST_ADMIN_LOCK_KEY = 72_617_203;

/**
 * Makes an account and signs it in. The first account of a fresh install is the admin; after
 * that a sign-up needs the teacher code (a teacher) or a class join code (a student, who
 * joins that class). All or nothing: the user, its password, its role, its class and the
 * brought work are written in one transaction, so a failure anywhere leaves no half-made
 * account (say, a student in no class). Then it signs in as the sign-in page does, which
 * makes the session (a new id) and its cookie.
 */
export async function signUp(
  db: Database,
  auth: Auth,
  input: SignUpInput,
  options: { anonymousUserId?: string | null; requestHeaders?: Headers } = {},
): Promise<SignedUp> {
  const username = cleanUsername(input.username);
  checkNewPassword(input.password);
  const displayName = cleanPersonName(input.displayName, 'teacher');
  // A wrong code is refused before the (deliberately slow) password hash; the transaction decides again.
  await planSignUp(db, input);
  const passwordHash = await hashPassword(auth, input.password);

  let made: { userId: string; role: UserRole; klass: { id: string; name: string } | null; broughtWork: WorkSummary | null };
  try {
    made = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      let plan = await planSignUp(tx, input);
      if (plan.role === 'admin') {
        await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK_KEY})`);
        // Whoever waited for the lock finds the admin made, and is asked for a code.
        plan = await planSignUp(tx, input);
      }
      const userId = await writeAccount(tx, auth, { username, typedUsername: input.username.trim(), displayName, role: plan.role, passwordHash });
      if (plan.klass) await tx.insert(classMembers).values({ classId: plan.klass.id, userId });
      const broughtWork = input.bringWork && options.anonymousUserId ? await moveAnonymousWork(tx, options.anonymousUserId, userId) : null;
      if (!broughtWork || broughtWork.notebooks === 0) await seedNewUser(tx, userId);
      return { userId, role: plan.role, klass: plan.klass, broughtWork };
    });
  } catch (error) {
    readableAccountError(error);
  }

  let signedIn: { headers: Headers };
  try {
    signedIn = await auth.api.signInUsername({ body: { username, password: input.password }, headers: options.requestHeaders ?? new Headers(), returnHeaders: true });
  } catch {
    throw new ServiceError('SERVICE_UNAVAILABLE', `Your account “${username}” is made, but signing you in did not work. Sign in with your username and password.`);
  }
  return {
    user: { id: made.userId, displayName, role: made.role, username },
    setCookies: signedIn.headers.getSetCookie(),
    joinedClass: made.klass,
    broughtWork: made.broughtWork,
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
 * Moves everything an anonymous user owns into an account, in one transaction: notebooks
 * (assignment copies included), runs, datasets, hand-ins, classes and assignments taught (from
 * before accounts existed), feedback written, and class memberships. The
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
  // One copy per assignment and student: where the account already has its own copy, the
  // browser's copy comes along as an ordinary notebook (its hand-ins keep their snapshots).
  await tx.execute(sql`
    update ${notebooks} set assignment_id = null
    where owner_id = ${from} and assignment_id in (select assignment_id from ${notebooks} where owner_id = ${to} and assignment_id is not null)`);
  await tx.update(notebooks).set({ ownerId: to }).where(eq(notebooks.ownerId, from));
  await tx.update(submissions).set({ studentId: to }).where(eq(submissions.studentId, from));
  await tx.update(assignments).set({ teacherId: to }).where(eq(assignments.teacherId, from));
  await tx.update(submissionFeedback).set({ teacherId: to }).where(eq(submissionFeedback.teacherId, from));
  await tx.update(feedbackComments).set({ authorId: to }).where(eq(feedbackComments.authorId, from));
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
  const planned: (Omit<FirstPassword, 'userId'> & { passwordHash: string })[] = [];
  for (const displayName of cleaned) {
    const username = await freeUsername(db, usernameFromName(displayName), taken);
    taken.add(username);
    const password = generateFirstPassword();
    planned.push({ displayName, username, password, passwordHash: await hashPassword(auth, password) });
  }
  // The whole list or none of it: a sheet of first passwords that misses some accounts made is worse than an error.
  let accounts: FirstPassword[];
  try {
    accounts = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      const made: FirstPassword[] = [];
      for (const { passwordHash, ...account } of planned) {
        const userId = await writeAccount(tx, auth, { username: account.username, typedUsername: account.username, displayName: account.displayName, role: 'student', passwordHash });
        await tx.insert(classMembers).values({ classId: klass.id, userId });
        await seedNewUser(tx, userId);
        made.push({ ...account, userId });
      }
      return made;
    });
  } catch (error) {
    readableAccountError(error);
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
  const hash = await hashPassword(auth, password);
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
  const passwordHash = await hashPassword(auth, password);
  try {
    const userId = await db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      const id = await writeAccount(tx, auth, { username, typedUsername: input.username.trim(), displayName, role: input.role, passwordHash });
      await seedNewUser(tx, id);
      return id;
    });
    return { userId, displayName, username, password, role: input.role };
  } catch (error) {
    readableAccountError(error);
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
