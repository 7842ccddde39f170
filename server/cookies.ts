import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from './services/sessions';

/**
 * Whether the student's browser reached Layerbook over https. Behind a proxy that ends TLS
 * the connection here is plain http, so only then (LAYERBOOK_TRUST_PROXY) is the proxy's
 * X-Forwarded-Proto believed; without a proxy anyone could send that header.
 */
export function requestIsHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (!trustProxy) return false;
  // A chain of proxies lists one protocol each; the first is what the browser used.
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  return forwarded === 'https';
}

/**
 * The one place the session cookie's attributes are decided: never readable by scripts
 * (HttpOnly), not sent on cross-site subrequests (SameSite=Lax), and Secure whenever the
 * school serves https, so it never travels over plain http there.
 */
export function sessionCookieHeader(token: string, options: { secure: boolean }): string {
  return [
    `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * better-auth's cookies get `Secure` by the same rule as ours (it sees only the rebuilt
 * request, so it is told never to decide that itself).
 */
export function withSecureAttribute(setCookie: string, secure: boolean): string {
  return secure && !/;\s*secure\s*(;|$)/i.test(setCookie) ? `${setCookie}; Secure` : setCookie;
}
