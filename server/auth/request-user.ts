import type { IncomingMessage } from 'node:http';
import type { Database } from '../../db/client';
import { SESSION_COOKIE, findSessionUser, type SessionUser } from '../services/sessions';
import { AUTH_SESSION_COOKIE, type Auth } from './better-auth';
import type { SessionCache } from './session-cache';

export interface RequestUsers {
  /** Who acts: the signed-in account, else this browser's anonymous user, else nobody (a visitor). */
  user: SessionUser | null;
  /** This browser's anonymous user (cookie `lb_session`), also while an account is signed in: its work can be brought into the account. */
  anonymous: SessionUser | null;
}

/** The request's headers as a fetch Headers, for better-auth's server API. */
export function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * The one place a request's user is decided: a signed-in better-auth session first (its
 * cookie is signed, its row in auth_sessions must be live), else the anonymous session
 * (from `sessionCache` when given). Only reads: nothing is written for a visitor.
 */
export async function resolveRequestUsers(db: Database, auth: Auth, req: IncomingMessage, sessionCache?: SessionCache): Promise<RequestUsers> {
  const cookies = req.headers.cookie ?? '';
  const anonymousToken = readCookie(cookies, SESSION_COOKIE);
  const anonymous = anonymousToken ? await (sessionCache ? sessionCache.findUser(db, anonymousToken) : findSessionUser(db, anonymousToken)) : null;
  let account: SessionUser | null = null;
  if (readCookie(cookies, AUTH_SESSION_COOKIE)) {
    const session = await auth.api.getSession({ headers: headersOf(req), query: { disableRefresh: true } }).catch(() => null);
    const user = session?.user as { id: string; name: string; role?: string | null; username?: string | null; banned?: boolean | null } | undefined;
    if (user && !user.banned) {
      account = { id: user.id, displayName: user.name, role: (user.role ?? 'student') as SessionUser['role'], username: user.username ?? null };
    }
  }
  return { user: account ?? anonymous, anonymous };
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}
