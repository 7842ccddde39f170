import type { IncomingMessage } from 'node:http';
import type { SessionUser } from './services/sessions';

/**
 * The request header through which a page learns who is signed in while Next renders it, so
 * the site header names the account in the first HTML instead of a blank until the browser
 * has asked the API. The app reads it in app/components/signed-in.ts (same name, same JSON).
 */
export const PAGE_ACCOUNT_HEADER = 'x-layerbook-page-account';

/** What the site header shows; `null` when the browser is not signed in to an account. */
export interface PageAccount {
  displayName: string;
  username: string;
  role: SessionUser['role'];
}

/**
 * Sets the header from the session the server resolved, replacing any value the browser sent:
 * a page must never name an account the request's own session does not hold.
 */
export function setPageAccountHeader(req: IncomingMessage, user: SessionUser | null): void {
  const account: PageAccount | null = user?.username ? { displayName: user.displayName, username: user.username, role: user.role } : null;
  // URI-encoded: a header value carries only visible ASCII, and names may be in any script.
  req.headers[PAGE_ACCOUNT_HEADER] = encodeURIComponent(JSON.stringify(account));
}

/** Pages, not the scripts, styles and pictures Next serves beside them (those render no header). */
export function rendersSiteHeader(pathname: string): boolean {
  return !pathname.startsWith('/_next/') && !/\.[a-z0-9]+$/i.test(pathname);
}
