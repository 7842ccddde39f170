import { randomInt } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { classes, classMembers, datasets, datasetShares, users } from '../../db/schema';
import { taughtBy } from './class-teacher';
import { ServiceError } from './errors';
import { assertMayTeach } from './roles';
import { ANONYMOUS_DISPLAY_NAME } from './sessions';

/**
 * Join codes are read off a board and typed by students, so they use no character that
 * looks like another: no 0/O, no 1/I. 32 characters, 6 of them: about a billion codes.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const JOIN_CODE_HALF = 3;
const JOIN_CODE_ATTEMPTS = 8;

export const MAX_CLASS_NAME_LENGTH = 60;
export const MAX_PERSON_NAME_LENGTH = 40;
/** Keeps one person from filling the table; a school year rarely needs more. */
export const MAX_CLASSES_PER_TEACHER = 30;

export const classNotFound = () =>
  new ServiceError('NOT_FOUND', 'This class does not exist, or you are not in it. Open your Classes page and pick a class from there.');

const notTheTeacher = () =>
  new ServiceError('NOT_FOUND', 'This class does not exist, or you are not its teacher. Only the teacher who made a class can change it.');

export interface ClassMember {
  userId: string;
  displayName: string;
  /** The student's sign-in name; null for a student who joined without an account (no password to reset). */
  username: string | null;
  joinedAt: string;
}

export interface TaughtClass {
  id: string;
  name: string;
  joinCode: string;
  createdAt: string;
  memberCount: number;
  members: ClassMember[];
  /** The datasets shared with this class, so the teacher sees what the class can use. */
  sharedDatasets: { id: string; name: string }[];
}

export interface JoinedClass {
  id: string;
  name: string;
  teacherName: string;
  joinedAt: string;
}

export interface MyClasses {
  /** The name the caller last gave, for filling in the join and create forms; null until they give one. */
  displayName: string | null;
  teaching: TaughtClass[];
  memberOf: JoinedClass[];
}

/** "K7Q-M4P": two halves with a dash, which is easier to copy from a board than six in a row. */
export function generateJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_HALF * 2; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return formatJoinCode(code);
}

function formatJoinCode(compact: string): string {
  return compact.length === JOIN_CODE_HALF * 2 ? `${compact.slice(0, JOIN_CODE_HALF)}-${compact.slice(JOIN_CODE_HALF)}` : compact;
}

/** What a student typed ("k7q m4p", "K7QM4P", "k7q–m4p") in the stored form "K7Q-M4P". */
export function normalizeJoinCode(typed: string): string {
  return formatJoinCode(typed.toUpperCase().replace(/[\s\-‐‑‒–—_]+/g, ''));
}

/** Trims a class name and says how to fix one that is empty or too long. */
export function cleanClassName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new ServiceError('BAD_REQUEST', 'Give the class a name, such as “7B Computing”.');
  if (trimmed.length > MAX_CLASS_NAME_LENGTH) {
    throw new ServiceError('BAD_REQUEST', `A class name can be at most ${MAX_CLASS_NAME_LENGTH} characters long; this one has ${trimmed.length}. Use a shorter name.`);
  }
  return trimmed;
}

/** Trims a person's name (as a teacher or the class sees it) and says how to fix a bad one. */
export function cleanPersonName(name: string, seenBy: 'teacher' | 'students'): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed === '') {
    throw new ServiceError(
      'BAD_REQUEST',
      seenBy === 'teacher' ? 'Type your name, so your teacher knows who joined.' : 'Type your name as your students should see it, such as “Ms Rivera”.',
    );
  }
  if (trimmed.length > MAX_PERSON_NAME_LENGTH) {
    throw new ServiceError('BAD_REQUEST', `A name can be at most ${MAX_PERSON_NAME_LENGTH} characters long; this one has ${trimmed.length}. A first name and an initial is enough.`);
  }
  return trimmed;
}

/**
 * Makes a class taught by the caller, who must already be a teacher (or an admin): making a
 * class gives no role. The code is random; the rare clash with an existing class is skipped
 * by the unique constraint and another code tried.
 */
export async function createClass(
  db: Database,
  userId: string,
  input: { name: string; teacherName?: string },
  options: { generateCode?: () => string } = {},
): Promise<{ id: string; name: string; joinCode: string }> {
  const name = cleanClassName(input.name);
  const teacherName = input.teacherName === undefined ? undefined : cleanPersonName(input.teacherName, 'students');
  const generateCode = options.generateCode ?? generateJoinCode;

  return db.transaction(async (tx) => {
    await assertMayTeach(tx, userId);
    const [taught] = await tx.select({ count: sql<number>`count(*)::int` }).from(classes).where(eq(classes.teacherId, userId));
    if ((taught?.count ?? 0) >= MAX_CLASSES_PER_TEACHER) {
      throw new ServiceError('TOO_MANY_REQUESTS', `You already teach ${MAX_CLASSES_PER_TEACHER} classes. Delete one you no longer need, then make this one.`);
    }
    if (teacherName !== undefined) await tx.update(users).set({ displayName: teacherName }).where(eq(users.id, userId));
    for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS; attempt++) {
      // "on conflict do nothing" rather than catching the error: on PostgreSQL a failed
      // insert would abort the whole transaction, name change included.
      const [created] = await tx
        .insert(classes)
        .values({ teacherId: userId, name, joinCode: generateCode() })
        .onConflictDoNothing({ target: classes.joinCode })
        .returning({ id: classes.id, name: classes.name, joinCode: classes.joinCode });
      if (created) return created;
    }
    throw new ServiceError('SERVICE_UNAVAILABLE', 'Could not find a free class code just now. Press "Create class" again.');
  });
}

/**
 * Adds the caller to the class with this code, under the name their teacher will see.
 * Joining again only updates the name.
 */
export async function joinClass(
  db: Database,
  userId: string,
  input: { code: string; displayName: string },
): Promise<{ id: string; name: string; teacherName: string }> {
  const found = await findClassByJoinCode(db, input.code);
  const displayName = cleanPersonName(input.displayName, 'teacher');
  if (found.teacherId === userId) {
    throw new ServiceError('BAD_REQUEST', `You are the teacher of ${found.name}, so you are in it already. Give this code to your students so they can join.`);
  }

  await db.transaction(async (tx) => {
    await tx.update(users).set({ displayName }).where(eq(users.id, userId));
    await tx.insert(classMembers).values({ classId: found.id, userId }).onConflictDoNothing();
  });
  return { id: found.id, name: found.name, teacherName: found.teacherName };
}

/** The class a typed join code names, or NOT_FOUND saying which characters may have been misread. */
export async function findClassByJoinCode(
  db: Pick<Database, 'select'>,
  typed: string,
): Promise<{ id: string; name: string; teacherId: string; teacherName: string }> {
  const code = normalizeJoinCode(typed);
  if (code === '') throw new ServiceError('BAD_REQUEST', 'Type the class code your teacher gave you. It looks like K7Q-M4P.');
  const [found] = await db
    .select({ id: classes.id, name: classes.name, teacherId: classes.teacherId, teacherName: users.displayName })
    .from(classes)
    .innerJoin(users, eq(users.id, classes.teacherId))
    .where(eq(classes.joinCode, code))
    .limit(1);
  if (!found) throw new ServiceError('NOT_FOUND', unknownCodeMessage(code));
  return found;
}

function unknownCodeMessage(code: string): string {
  const compact = code.replace('-', '');
  const misread = [...new Set(compact)].filter((c) => !JOIN_CODE_ALPHABET.includes(c)).map((c) => `“${c}”`);
  const misreadInWords = misread.length > 1 ? `${misread.slice(0, -1).join(', ')} or ${misread.at(-1)}` : misread[0];
  const hint =
    compact.length !== JOIN_CODE_HALF * 2
      ? ' Class codes have 6 letters and digits, like K7Q-M4P.'
      : misread.length > 0
        ? ` Class codes never use ${misreadInWords}: look again at ${misread.length === 1 ? 'that character' : 'those characters'}.`
        : '';
  return `No class has the code ${code}. Check the code on the board and type it again, or ask your teacher.${hint}`;
}

/** The classes the caller teaches (with members) and the classes they joined (with the teacher's name). */
export async function listMyClasses(db: Database, userId: string): Promise<MyClasses> {
  const [me] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, userId)).limit(1);

  const taught = await db
    .select({ id: classes.id, name: classes.name, joinCode: classes.joinCode, createdAt: classes.createdAt })
    .from(classes)
    .where(eq(classes.teacherId, userId))
    .orderBy(asc(classes.createdAt));
  const taughtIds = taught.map((c) => c.id);
  const members = taughtIds.length
    ? await db
        .select({ classId: classMembers.classId, userId: classMembers.userId, displayName: users.displayName, username: users.username, joinedAt: classMembers.joinedAt })
        .from(classMembers)
        .innerJoin(users, eq(users.id, classMembers.userId))
        .where(inArray(classMembers.classId, taughtIds))
        .orderBy(asc(users.displayName), asc(classMembers.joinedAt))
    : [];
  const shared = taughtIds.length
    ? await db
        .select({ classId: datasetShares.classId, id: datasets.id, name: datasets.name })
        .from(datasetShares)
        .innerJoin(datasets, eq(datasets.id, datasetShares.datasetId))
        .where(inArray(datasetShares.classId, taughtIds))
        .orderBy(asc(datasets.name))
    : [];

  const joined = await db
    .select({ id: classes.id, name: classes.name, teacherName: users.displayName, joinedAt: classMembers.joinedAt })
    .from(classMembers)
    .innerJoin(classes, eq(classes.id, classMembers.classId))
    .innerJoin(users, eq(users.id, classes.teacherId))
    .where(eq(classMembers.userId, userId))
    .orderBy(asc(classMembers.joinedAt));

  return {
    displayName: !me || me.displayName === ANONYMOUS_DISPLAY_NAME ? null : me.displayName,
    teaching: taught.map((c) => {
      const inClass = members.filter((m) => m.classId === c.id);
      return {
        id: c.id,
        name: c.name,
        joinCode: c.joinCode,
        createdAt: c.createdAt.toISOString(),
        memberCount: inClass.length,
        members: inClass.map((m) => ({ userId: m.userId, displayName: m.displayName, username: m.username, joinedAt: m.joinedAt.toISOString() })),
        sharedDatasets: shared.filter((s) => s.classId === c.id).map((s) => ({ id: s.id, name: s.name })),
      };
    }),
    memberOf: joined.map((c) => ({ ...c, joinedAt: c.joinedAt.toISOString() })),
  };
}

/**
 * Refuses, as NOT_FOUND, anyone but the class's own teacher (./class-teacher.ts; an admin
 * too): a stranger learns nothing about which classes exist. Other services (dataset sharing, later assignments) use it too.
 */
export async function assertTeachesClass(db: Database, userId: string, classId: string): Promise<{ id: string; name: string }> {
  const [found] = await db
    .select({ id: classes.id, name: classes.name })
    .from(classes)
    .where(and(eq(classes.id, classId), taughtBy(userId)))
    .limit(1);
  if (!found) throw notTheTeacher();
  return found;
}

export async function leaveClass(db: Database, userId: string, classId: string): Promise<{ ok: true }> {
  const left = await db
    .delete(classMembers)
    .where(and(eq(classMembers.classId, classId), eq(classMembers.userId, userId)))
    .returning({ classId: classMembers.classId });
  if (left.length > 0) return { ok: true };
  const [taught] = await db.select({ name: classes.name }).from(classes).where(and(eq(classes.id, classId), eq(classes.teacherId, userId))).limit(1);
  if (taught) throw new ServiceError('BAD_REQUEST', `You teach ${taught.name}, so you cannot leave it. Delete the class if nobody needs it any more.`);
  throw classNotFound();
}

export async function removeMember(db: Database, teacherId: string, input: { classId: string; userId: string }): Promise<{ ok: true }> {
  await assertTeachesClass(db, teacherId, input.classId);
  const removed = await db
    .delete(classMembers)
    .where(and(eq(classMembers.classId, input.classId), eq(classMembers.userId, input.userId)))
    .returning({ userId: classMembers.userId });
  if (removed.length === 0) throw new ServiceError('NOT_FOUND', 'This student is not in the class any more. Reload the page to see who is.');
  return { ok: true };
}

export async function renameClass(db: Database, teacherId: string, input: { classId: string; name: string }): Promise<{ id: string; name: string }> {
  const name = cleanClassName(input.name);
  const [renamed] = await db
    .update(classes)
    .set({ name })
    .where(and(eq(classes.id, input.classId), taughtBy(teacherId)))
    .returning({ id: classes.id, name: classes.name });
  if (!renamed) throw notTheTeacher();
  return renamed;
}

/** Members and dataset shares go with the class (foreign keys cascade); the datasets themselves stay. */
export async function deleteClass(db: Database, teacherId: string, classId: string): Promise<{ ok: true }> {
  const deleted = await db
    .delete(classes)
    .where(and(eq(classes.id, classId), taughtBy(teacherId)))
    .returning({ id: classes.id });
  if (deleted.length === 0) throw notTheTeacher();
  return { ok: true };
}
