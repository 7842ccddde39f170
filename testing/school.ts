import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { OpenedDatabase } from '../db/client';
import { classes, classMembers, type UserRole } from '../db/schema';
import { createAuth, type Auth } from '../server/auth/better-auth';
import { createAccount } from '../server/auth/accounts';
import type { SessionUser } from '../server/services/sessions';

/**
 * A small school for authorization tests: everyone who may ask for someone's work, with
 * accounts made by the accounts service and classes written directly. Class A is taught by `teacher`, with `owner` (whose work the
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

const ROLES: Record<PersonName, UserRole> = {
  owner: 'student',
  classmate: 'student',
  otherStudent: 'student',
  teacher: 'teacher',
  otherTeacher: 'teacher',
  admin: 'admin',
};

/**
 * The people, made once per test database as real accounts (password hashing is slow, so
 * cases keep them: see savePeople and resetDatabase). Display names and usernames say who
 * is who, so a failing test's data reads like the matrix.
 */
export async function makePeople(db: OpenedDatabase['db'], auth: Auth): Promise<Record<PersonName, SessionUser>> {
  const people = {} as Record<PersonName, SessionUser>;
  for (const [name, role] of Object.entries(ROLES) as [PersonName, UserRole][]) {
    const made = await createAccount(db, auth, { username: usernameOf(name), displayName: name, role, password: PASSWORD });
    people[name] = { id: made.userId, displayName: made.displayName, role, username: made.username };
  }
  return people;
}

/** Every person's password, for signing in over HTTP. */
export const PASSWORD = 'school-password-1';

export function usernameOf(person: PersonName): string {
  return person.toLowerCase();
}

/** A better-auth instance for tests that call procedures directly (the HTTP server makes its own). */
export function testAuth(db: OpenedDatabase['db']): Auth {
  return createAuth(db, { secret: 'a test secret that is long enough to sign cookies', trustedOrigins: (request) => (request ? [new URL(request.url).origin] : []) });
}

/** Makes the two classes of the school (after resetDatabase). */
export async function enrol(db: OpenedDatabase['db'], people: Record<PersonName, SessionUser>): Promise<School> {
  const code = () => randomBytes(4).toString('hex').toUpperCase();
  const [a] = await db.insert(classes).values({ teacherId: people.teacher.id, name: 'Class A', joinCode: code() }).returning({ id: classes.id });
  const [b] = await db.insert(classes).values({ teacherId: people.otherTeacher.id, name: 'Class B', joinCode: code() }).returning({ id: classes.id });
  await db.insert(classMembers).values([
    { classId: a!.id, userId: people.owner.id },
    { classId: b!.id, userId: people.otherStudent.id },
    { classId: a!.id, userId: people.classmate.id },
  ]);
  return { people, classA: a!.id, classB: b!.id };
}

/** The user a caller is in ctx.user: null for a signed-out visitor. */
export function userOf(school: School, caller: CallerName): SessionUser | null {
  return caller === 'visitor' ? null : school.people[caller];
}

/** Signs a person in over HTTP, as the sign-in page does; the cookie header their browser would send. */
export async function signIn(base: string, person: PersonName): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-in/username`, {
    method: 'POST',
    headers: { origin: base, 'content-type': 'application/json' },
    body: JSON.stringify({ username: usernameOf(person), password: PASSWORD }),
  });
  if (!response.ok) throw new Error(`${person} could not sign in: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
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

/** Tables of the people themselves (users, their accounts and sessions, the site's secret), kept from case to case. */
export const PEOPLE_TABLES = ['users', 'sessions', 'auth_accounts', 'auth_sessions', 'auth_verifications', 'site_settings'];

export type SavedPeople = Record<string, string>;

/** The people's tables as they are now, to put back before each case. */
export async function savePeople(database: OpenedDatabase): Promise<SavedPeople> {
  const saved: SavedPeople = {};
  for (const table of PEOPLE_TABLES) {
    const [row] = await database.query<{ rows: string }>(sql`select coalesce(jsonb_agg(t), '[]'::jsonb)::text as rows from ${sql.identifier(table)} t`);
    saved[table] = row!.rows;
  }
  return saved;
}

/**
 * Empties every table and puts the people's back as saved, so each case starts from its own
 * school even after one reset a password, changed a role or made accounts. DELETE rather
 * than TRUNCATE: on PostgreSQL a truncate costs a file per table (seconds per case for a
 * handful of rows). Foreign keys are not checked meanwhile: every table is emptied, and the
 * people's rows come back whole.
 */
export async function resetDatabase(database: OpenedDatabase, saved: SavedPeople): Promise<void> {
  const tables = [...(await dataTables(database)), ...NOT_DATA];
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const table of tables) await tx.execute(sql`delete from ${sql.identifier(table)}`);
    for (const [table, rows] of Object.entries(saved)) {
      await tx.execute(sql`insert into ${sql.identifier(table)} select * from jsonb_populate_recordset(null::${sql.identifier(table)}, ${rows}::jsonb)`);
    }
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
