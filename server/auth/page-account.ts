import type { IncomingMessage } from 'node:http';
import type { Database } from '../../db/client';
import type { UserRole } from '../../db/schema';
import { AUTH_SESSION_COOKIE, type Auth } from './better-auth';
import { readCookie, resolveRequestUsers } from './request-user';

/**
 * The request header that tells Next's page rendering who is signed in, so the site header
 * names them in the page's first paint instead of after the page has loaded and asked the
 * API. Only this server sets it (a browser's own is removed); app/account/page-account.ts reads it.
 */
export const PAGE_ACCOUNT_HEADER = 'x-layerbook-account';

/** What the header shows of an account: nothing more than the account menu does. */
export interface PageAccount {
  displayName: string;
  username: string;
  role: UserRole;
}

/** Scripts, styles, pictures: what Next serves as files, rendering no page. */
function isFile(pathname: string): boolean {
  return pathname.startsWith('/_next/') || /\.[a-z0-9]+$/i.test(pathname);
}

/** Puts the signed-in account (or `none`) on a page request before Next renders it. */
export async function passAccountToPage(db: Database, auth: Auth, req: IncomingMessage): Promise<void> {
  delete req.headers[PAGE_ACCOUNT_HEADER];
  if (isFile(new URL(req.url ?? '/', 'http://localhost').pathname)) return;
  let account: PageAccount | null = null;
  // Without the account cookie nobody is signed in, and nothing needs looking up.
  if (readCookie(req.headers.cookie, AUTH_SESSION_COOKIE)) {
    const { user } = await resolveRequestUsers(db, auth, req);
    if (user?.username) account = { displayName: user.displayName, username: user.username, role: user.role };
  }
  req.headers[PAGE_ACCOUNT_HEADER] = account ? encodeURIComponent(JSON.stringify(account)) : 'none';
}
