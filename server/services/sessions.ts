import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { sessions, users, type UserRole } from '../../db/schema';
import { seedNewUser } from '../../db/seed';

export const SESSION_COOKIE = 'lb_session';
export const SESSION_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
/** The name of a user who has not yet typed their own (joining or making a class asks for it). */
export const ANONYMOUS_DISPLAY_NAME = 'Student';

export interface SessionUser {
  id: string;
  displayName: string;
  role: UserRole;
}

/** Only the hash is stored, so reading the sessions table does not let anyone log in. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The user a cookie token belongs to, or null when the token is unknown or expired. */
export async function findSessionUser(db: Database, token: string): Promise<SessionUser | null> {
  // A real token is 43 base64url characters; anything else cannot match and is not worth a query.
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, hashSessionToken(token)), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row ?? null;
}

/**
 * Every browser without a session becomes an anonymous student with a starter notebook,
 * so the first page already has something to open. Login and classes come later and will
 * attach to this same user row.
 */
export async function createAnonymousSession(db: Database): Promise<{ token: string; user: SessionUser; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000);
  const user = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ displayName: ANONYMOUS_DISPLAY_NAME, role: 'student' })
      .returning({ id: users.id, displayName: users.displayName, role: users.role });
    await tx.insert(sessions).values({ id: hashSessionToken(token), userId: created!.id, expiresAt });
    await seedNewUser(tx, created!.id);
    return created!;
  });
  return { token, user, expiresAt };
}
