import type { IncomingMessage, ServerResponse } from 'node:http';
import { withSecureAttribute } from '../cookies';
import { RateLimitedError, type RateLimits } from '../rate-limit/limiter';
import { readBody, sendJson } from '../request-body';
import { AUTH_BASE_PATH, type Auth } from './better-auth';
import { headersOf } from './request-user';

/**
 * The only better-auth endpoints served to browsers. Sign-up, password changes and the
 * teacher's and admin's account tools go through tRPC (server/api/routers/account.ts), where
 * their rules (join code, teacher code, first admin) live; nothing else of better-auth's is reachable.
 */
const SERVED = new Set(['POST /sign-in/username', 'POST /sign-out', 'GET /get-session', 'POST /revoke-sessions', 'POST /revoke-other-sessions']);

/** Sign-in bodies are a username and a password; anything bigger is not one. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

export function isAuthPath(pathname: string): boolean {
  return pathname === AUTH_BASE_PATH || pathname.startsWith(`${AUTH_BASE_PATH}/`);
}

const FRIENDLY: Record<string, string> = {
  INVALID_USERNAME_OR_PASSWORD:
    'That username and password do not match. Check both (and Caps Lock). Forgot your password? Your teacher can give you a new one.',
  USERNAME_TOO_SHORT: 'That username is too short: usernames have at least 3 characters.',
  USERNAME_TOO_LONG: 'That username is too long: usernames have at most 30 characters.',
  INVALID_USERNAME: 'A username may use only letters, digits, dots and underscores.',
  BANNED_USER: 'This account is switched off. Ask whoever runs Layerbook at your school.',
};

/**
 * Serves better-auth's handler behind the same guards as every route (they ran before this:
 * origin check, declared body size) plus a JSON-only body with a small limit and the sign-in
 * rate limit per address and per username. The request is rebuilt with the scheme
 * server/cookies.ts decided, and its cookies get `Secure` by the same rule.
 */
export async function handleAuthRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: { auth: Auth; rateLimits: RateLimits; ip: string; secure: boolean },
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = `${req.method} ${url.pathname.slice(AUTH_BASE_PATH.length)}`;
  if (!SERVED.has(route)) return sendJson(res, 404, { error: `Nothing here: ${url.pathname}` });

  let body: string | undefined;
  if (req.method === 'POST') {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (contentType !== 'application/json') {
      return sendJson(res, 415, { error: 'Sign-in takes JSON: send it with Content-Type: application/json.' }, true);
    }
    const raw = await readBody(req, MAX_AUTH_BODY_BYTES);
    if (raw === 'too-big') return sendJson(res, 413, { error: 'This request is too big to be a sign-in.' }, true);
    body = Buffer.from(raw).toString('utf8');
    if (route === 'POST /sign-in/username') {
      let username: string | null = null;
      try {
        const parsed = JSON.parse(body) as { username?: unknown };
        username = typeof parsed.username === 'string' ? parsed.username.trim().toLowerCase() : null;
      } catch {
        return sendJson(res, 400, { error: 'Send your username and password as JSON.' });
      }
      try {
        await options.rateLimits.consume('signIn', { ip: options.ip, username });
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        return sendJson(res, 429, { error: error.message });
      }
    }
  }

  const origin = `${options.secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
  const response = await options.auth.handler(new Request(`${origin}${url.pathname}${url.search}`, { method: req.method, headers: headersOf(req), body }));

  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length') res.setHeader(name, value);
  });
  for (const cookie of response.headers.getSetCookie()) res.appendHeader('Set-Cookie', withSecureAttribute(cookie, options.secure));
  res.setHeader('Cache-Control', 'no-store');
  const text = await response.text();
  if (response.ok) return void res.end(text);
  // Errors say what to do, in the same { error } shape as the rest of the API.
  let code: string | undefined;
  let message: string | undefined;
  try {
    ({ code, message } = JSON.parse(text) as { code?: string; message?: string });
  } catch {
    // Not JSON: keep the status, explain generically.
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ error: (code && FRIENDLY[code]) ?? message ?? 'That did not work. Try again.', code: code ?? null }));
}
