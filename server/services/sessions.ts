import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { preparedPerDatabase } from '../../db/prepared';
import { authSessions, sessions, users, type UserRole } from '../../db/schema';
import { seedNewUser } from './seed';

export const SESSION_COOKIE = 'lb_session';
export const SESSION_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** The name of a user who has not yet typed their own (joining or making a class asks for it). */
export const ANONYMOUS_DISPLAY_NAME = 'Student';

export interface SessionUser {
  id: string;
  displayName: string;
  role: UserRole;
  /** The account's sign-in name; null (or absent) for an anonymous browser user. */
  username?: string | null;
}

/** Only the hash is stored, so reading the sessions table does not let anyone log in. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A real token is 43 base64url characters; anything else cannot match and is not worth a query. */
export function isWellFormedSessionToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

/** The user a cookie token belongs to, or null when the token is unknown or expired. */
export async function findSessionUser(db: Database, token: string): Promise<SessionUser | null> {
  if (!isWellFormedSessionToken(token)) return null;
  return (await findLiveSession(db, hashSessionToken(token)))?.user ?? null;
}

/** The live session with this token hash: its user, and until when it lasts. */
export async function findLiveSession(db: Database, tokenHash: string, now = new Date()): Promise<{ user: SessionUser; expiresAt: Date } | null> {
  const [row] = await preparedSessionUser(db).execute({ id: tokenHash, now: now.toISOString() });
  if (!row) return null;
  const { expiresAt, ...user } = row;
  return { user, expiresAt: new Date(expiresAt) };
}

/** Every API request of an anonymous user runs this lookup, so it is built once per database. */
const preparedSessionUser = preparedPerDatabase((db) =>
  db
    .select({ id: users.id, displayName: users.displayName, role: users.role, username: users.username, expiresAt: sessions.expiresAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('id')), gt(sessions.expiresAt, sql`${sql.placeholder('now')}::timestamptz`)))
    .limit(1)
    .prepare('find_session_user'),
);

/**
 * Who a visitor without a session is while they only look around: a user id that owns
 * nothing, so every query answers exactly as for a newcomer (no notebooks, no classes,
 * the school's shared data) and nothing is written. The nil UUID never names a real user.
 */
export const VISITOR: SessionUser = Object.freeze({ id: '00000000-0000-0000-0000-000000000000', displayName: ANONYMOUS_DISPLAY_NAME, role: 'student', username: null });

export interface NewSession {
  token: string;
  user: SessionUser;
  expiresAt: Date;
  /** The "Your first neural network" notebook every new user starts with. */
  starterNotebookId: string;
}

/**
 * Makes a visitor a user: an anonymous student with a session and the starter notebook.
 * Called only when they first do something that needs a user (open the starter notebook,
 * make a notebook, join or make a class), never for a page view, so a flood of cookie-less
 * requests writes nothing. Login will later attach to this same user row.
 */
export async function createAnonymousSession(db: Database): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ displayName: ANONYMOUS_DISPLAY_NAME, role: 'student' })
      .returning({ id: users.id, displayName: users.displayName, role: users.role, username: users.username });
    await tx.insert(sessions).values({ id: hashSessionToken(token), userId: created!.id, expiresAt });
    const { notebookId } = await seedNewUser(tx, created!.id);
    return { token, user: created!, expiresAt, starterNotebookId: notebookId };
  });
}

/** Deletes sessions (anonymous and accounts') past their expiry (they can never log anyone in again); returns how many. */
export async function deleteExpiredSessions(db: Database, now = new Date()): Promise<number> {
  const deleted = await db.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ id: sessions.id });
  // Accounts' sessions too: better-auth refuses expired ones but leaves their rows.
  const deletedAuth = await db.delete(authSessions).where(lte(authSessions.expiresAt, now)).returning({ id: authSessions.id });
  return deleted.length + deletedAuth.length;
}

/**
 * Runs deleteExpiredSessions now and then every `intervalMs`; returns a stop function. With
 * several web servers each sweeps; the deletes are idempotent, so that costs only a query.
 */
export function startExpiredSessionSweep(
  db: Database,
  intervalMs: number,
  onError: (error: unknown) => void = (error) => console.error('[sessions] could not delete expired sessions:', error),
): () => void {
  const sweep = () => void deleteExpiredSessions(db).catch(onError);
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
