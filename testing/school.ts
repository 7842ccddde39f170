import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { OpenedDatabase } from '../db/client';
import { classes, classMembers, sessions, users, type UserRole } from '../db/schema';
import { hashSessionToken, SESSION_COOKIE, type SessionUser } from '../server/services/sessions';

/**
 * A small school for authorization tests: everyone who may ask for someone's work, made
 * directly in the database. Class A is taught by `teacher`, with `owner` (whose work the
 * tests ask for) and `classmate`; class B is taught by `otherTeacher`, with `otherStudent`;
 * `admin` teaches nothing and is in no class; `visitor` has no session at all.
 */
export const CALLERS = ['owner', 'classmate', 'otherStudent', 'teacher', 'otherTeacher', 'admin', 'visitor'] as const;
export type CallerName = (typeof CALLERS)[number];
export type PersonName = Exclude<CallerName, 'visitor'>;

export interface School {
  people: Record<PersonName, SessionUser>;
  classA: string;
  classB: string;
}

const ROLES: Record<PersonName, string> = {
  owner: 'student',
  classmate: 'student',
  otherStudent: 'student',
  teacher: 'teacher',
  otherTeacher: 'teacher',
  admin: 'admin',
};

/**
 * The people, made once per test database: accounts are slow to make (password hashing), so
 * cases keep them and rebuild only the classes around them (enrol) after emptyDatabase.
 * Display names say who is who, so a failing test's data reads like the matrix.
 */
export async function makePeople(db: OpenedDatabase['db']): Promise<Record<PersonName, SessionUser>> {
  const people = {} as Record<PersonName, SessionUser>;
  for (const [name, role] of Object.entries(ROLES) as [PersonName, string][]) {
    // The role column's type lists only the roles this version knows; 'admin' is the one a caller may not have yet.
    const [row] = await db
      .insert(users)
      .values({ displayName: name, role: role as UserRole })
      .returning({ id: users.id, displayName: users.displayName, role: users.role });
    people[name] = row!;
  }
  return people;
}

/** Puts the people back as they were (a case may rename or promote someone) and makes the two classes. */
export async function enrol(db: OpenedDatabase['db'], people: Record<PersonName, SessionUser>): Promise<School> {
  for (const [name, user] of Object.entries(people) as [PersonName, SessionUser][]) {
    await db.update(users).set({ displayName: name, role: ROLES[name] as UserRole }).where(eq(users.id, user.id));
  }
  const code = () => randomBytes(4).toString('hex').toUpperCase();
  const [a] = await db.insert(classes).values({ teacherId: people.teacher.id, name: 'Class A', joinCode: code() }).returning({ id: classes.id });
  const [b] = await db.insert(classes).values({ teacherId: people.otherTeacher.id, name: 'Class B', joinCode: code() }).returning({ id: classes.id });
  await db.insert(classMembers).values([
    { classId: a!.id, userId: people.owner.id },
    { classId: a!.id, userId: people.classmate.id },
    { classId: b!.id, userId: people.otherStudent.id },
  ]);
  return { people, classA: a!.id, classB: b!.id };
}

/** The user a caller is in ctx.user: null for a signed-out visitor. */
export function userOf(school: School, caller: CallerName): SessionUser | null {
  return caller === 'visitor' ? null : school.people[caller];
}

/** A session cookie for one of the school's people, as the browser would send it. */
export async function sessionCookie(db: OpenedDatabase['db'], user: SessionUser): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insert(sessions).values({ id: hashSessionToken(token), userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * Tables whose rows are counters of requests rather than anybody's data: a refused request
 * may still count against its sender's rate limit.
 */
const NOT_DATA = new Set(['rate_limits']);

async function dataTables(database: OpenedDatabase): Promise<string[]> {
  const rows = await database.query<{ name: string }>(
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name).filter((name) => !NOT_DATA.has(name));
}

/**
 * Every row of every table, as text: taken before and after a refused call, the two must be
 * equal. Every table, so that tables added later (assignments, submissions, feedback,
 * accounts) are covered without anyone remembering to list them.
 */
export async function snapshotDatabase(database: OpenedDatabase): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of await dataTables(database)) {
    const rows = await database.query<{ row: string }>(sql`select to_jsonb(t)::text as row from ${sql.identifier(table)} t`);
    snapshot[table] = rows.map((r) => r.row).sort();
  }
  return snapshot;
}

/** Tables of the people themselves (users and their sessions), kept from case to case. */
export const PEOPLE_TABLES = ['users', 'sessions'];

/** Removes every row but the people's (the schema stays), so each case starts from its own school. */
export async function emptyDatabase(database: OpenedDatabase, keep: readonly string[] = PEOPLE_TABLES): Promise<void> {
  const tables = [...(await dataTables(database)), ...NOT_DATA].filter((t) => !keep.includes(t));
  // DELETE rather than TRUNCATE: on PostgreSQL a truncate costs a file per table (seconds per
  // case for a handful of rows). Foreign keys are not checked while the tables are emptied in
  // any order, since every table that refers to another is emptied too (or is a kept one's).
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const table of tables) await tx.execute(sql`delete from ${sql.identifier(table)}`);
  });
}

/** Which tables a call changed and how many rows came and went, for a failure message. */
export function describeChanges(before: Record<string, string[]>, after: Record<string, string[]>): string {
  const changes: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    const gone = [...was].filter((r) => !now.has(r)).length;
    const added = [...now].filter((r) => !was.has(r)).length;
    if (gone || added) changes.push(`${table} (-${gone} +${added})`);
  }
  return changes.join(', ');
}
