import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { NotebookLimits } from '../blocks/format/notebook-limits';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { OpenedDatabase } from '../db/client';
import { appRouter } from './api/root';
import type { Context } from './api/trpc';
import type { WorkerSummary } from './queue/workers';
import type { RunQueue } from './services/runs';
import { handleRunDownload, isRunDownloadPath } from './downloads';
import { handleGradesDownload, isGradesDownloadPath } from './grade-downloads';
import { DEFAULT_MAX_API_BODY_BYTES, DEFAULT_MAX_IDX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from './env';
import { handleUpload, isUploadPath } from './uploads';
import { requestIsHttps, sessionCookieHeader, withSecureAttribute } from './cookies';
import { AUTH_SESSION_COOKIE, createAuth, loadAuthSecret, type Auth } from './auth/better-auth';
import { handleAuthRequest, isAuthPath } from './auth/auth-route';
import { headersOf, readCookie, resolveRequestUsers, type RequestUsers } from './auth/request-user';
import { SessionCache } from './auth/session-cache';
import { sendJson } from './request-body';
import { createRequestGuards } from './request-guards';
import { clientAddress } from './rate-limit/client-ip';
import { RateLimitedError, createRateLimits, rateLimitStoreFor, type RateLimits } from './rate-limit/limiter';
import { createAnonymousSession, type NewSession } from './services/sessions';
import { PAGE_ACCOUNT_HEADER, rendersSiteHeader, setPageAccountHeader } from './page-account';

export type NextRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HealthSource {
  health(): Promise<{ workers: number; busy: number; queued: number; backend: string | null }>;
}

export interface ServerDeps {
  database: OpenedDatabase;
  runner: RunQueue & HealthSource;
  maxParams: number;
  /** Runs one user may have waiting at once (LAYERBOOK_MAX_QUEUED_PER_USER). */
  maxQueuedPerUser?: number;
  /** How many cells, and how big, a saved notebook may have (LAYERBOOK_MAX_CELLS…); the defaults when absent. */
  notebookLimits?: NotebookLimits;
  /** The training workers that are alive, on every machine (the workers table); health lists them. */
  listWorkers?: () => Promise<WorkerSummary[]>;
  /** Renders pages; absent in tests, where only the API is served. */
  nextHandler?: NextRequestHandler;
  /** Largest CSV or picture upload in bytes (LAYERBOOK_MAX_UPLOAD_BYTES, default 20 MB). */
  maxUploadBytes?: number;
  /** Largest IDX upload in bytes (LAYERBOOK_MAX_IDX_UPLOAD_BYTES, default 64 MB). */
  maxIdxUploadBytes?: number;
  /** Pixels of all pictures in one upload together (LAYERBOOK_MAX_UPLOAD_PIXELS). */
  maxUploadPixels?: number;
  /** Largest body of any other request, tRPC calls above all (LAYERBOOK_MAX_API_BODY_BYTES, default 32 MB). */
  maxApiBodyBytes?: number;
  /** Origins whose pages may change things (LAYERBOOK_ORIGIN); empty or absent: the request's own Host. */
  allowedOrigins?: readonly string[];
  /** Believe the proxy's X-Forwarded-Proto/-For (LAYERBOOK_TRUST_PROXY). */
  trustProxy?: boolean;
  /** `npm run dev`: React's development build needs eval, so the page policy allows it. */
  dev?: boolean;
  log?: (message: string, error?: unknown) => void;
  /** Rate limits on session creation, joins, runs, uploads and saves; by default counted where rateLimitStoreFor says. */
  rateLimits?: RateLimits;
  /** Accounts (better-auth); made from the database and `authSecret` when absent. */
  auth?: Auth;
  /** LAYERBOOK_AUTH_SECRET; absent: a secret kept in the database (site_settings). */
  authSecret?: string;
  /**
   * Anonymous sessions' users kept in memory, told of changes by the database. createServer
   * makes and starts one when absent; a bare request listener without one looks every session up.
   */
  sessionCache?: SessionCache;
}

/** The users resolved for a request, handed from the session step to tRPC's context. */
const requestUsers = new WeakMap<IncomingMessage, RequestUsers>();

/**
 * One request listener for the whole app: health, the tRPC API (with SSE subscriptions),
 * and every other path to Next. An existing session is looked up for the API; nothing is
 * written for a visitor until a procedure that needs a user starts their session.
 */
export function createRequestListener(deps: ServerDeps): RequestListener {
  const { database, runner, maxParams, maxQueuedPerUser, notebookLimits, nextHandler, sessionCache } = deps;
  const log = deps.log ?? ((message, error) => console.error(message, error ?? ''));
  const uploadLimits = {
    maxUploadBytes: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
    maxIdxUploadBytes: deps.maxIdxUploadBytes ?? DEFAULT_MAX_IDX_UPLOAD_BYTES,
    maxUploadPixels: deps.maxUploadPixels,
  };
  const trustProxy = deps.trustProxy ?? false;
  const guards = createRequestGuards({
    allowedOrigins: deps.allowedOrigins ?? [],
    trustProxy,
    maxApiBodyBytes: deps.maxApiBodyBytes ?? DEFAULT_MAX_API_BODY_BYTES,
    dev: deps.dev ?? false,
  });
  const rateLimits = deps.rateLimits ?? createRateLimits(database.db, { store: rateLimitStoreFor(database.kind) });
  const addressOf = (req: IncomingMessage) => clientAddress(req, trustProxy);
  const allowedOrigins = deps.allowedOrigins ?? [];
  let authMade: Promise<Auth> | null = deps.auth ? Promise.resolve(deps.auth) : null;
  // Made on first use: the secret may have to be read from (or first written to) the database.
  const authOf = () =>
    (authMade ??= loadAuthSecret(database.db, deps.authSecret).then((secret) =>
      createAuth(database.db, {
        secret,
        // The guards already refused foreign origins; better-auth checks again against the same list.
        trustedOrigins: (request) => (allowedOrigins.length > 0 ? [...allowedOrigins] : request ? [new URL(request.url).origin] : []),
      }),
    ));

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/api/trpc/',
    createContext: async ({ req, res }): Promise<Context> => {
      const ip = addressOf(req);
      let started: Promise<NewSession> | null = null;
      const users = requestUsers.get(req);
      const secure = requestIsHttps(req, trustProxy);
      return {
        db: database.db,
        runner,
        maxParams,
        maxQueuedPerUser,
        notebookLimits,
        user: users?.user ?? null,
        anonymousUser: users?.anonymous ?? null,
        auth: await authOf(),
        requestHeaders: () => headersOf(req),
        setCookies: (cookies) => {
          for (const cookie of cookies) res.appendHeader('Set-Cookie', withSecureAttribute(cookie, secure));
        },
        // Once per request: a batch of several first actions makes one user, not several.
        startSession: () => (started ??= startSession(database, rateLimits, req, res, { ip, trustProxy })),
        limit: (action, userId, username) => rateLimits.consume(action, { ip, userId, username }),
        countSave: (userId) => rateLimits.countSave(userId),
      };
    },
    responseMeta: ({ errors }) => {
      const waits = errors.map((error) => (error.cause instanceof RateLimitedError ? error.cause.retryAfterSeconds : 0));
      const retryAfter = Math.max(0, ...waits);
      return retryAfter > 0 ? { headers: { 'Retry-After': String(retryAfter) } } : {};
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`tRPC ${path ?? '?'} failed:`, error);
    },
  });

  return async (req, res) => {
    try {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      const isTrpc = pathname.startsWith('/api/trpc/');
      const isUpload = isUploadPath(pathname);
      const isAuth = isAuthPath(pathname);
      const isPage = Boolean(nextHandler) && !(pathname === '/api/health' || isTrpc || isUpload || isAuth || isRunDownloadPath(pathname) || isGradesDownloadPath(pathname));
      if (guards.answeredBeforeRouting(req, res, isUpload ? 'upload' : isPage ? 'page' : 'api')) return;

      if (pathname === '/api/health') return await sendHealth(res, deps);

      if (isAuth) {
        return await handleAuthRequest(req, res, { auth: await authOf(), rateLimits, ip: addressOf(req), secure: requestIsHttps(req, trustProxy) });
      }
      // A download only reads an existing session: a visitor without one owns no runs.
      if (isRunDownloadPath(pathname)) {
        const { user } = await resolveRequestUsers(database.db, await authOf(), req, sessionCache);
        return await handleRunDownload(req, res, { db: database.db, userId: user?.id ?? null });
      }
      if (isGradesDownloadPath(pathname)) {
        const { user } = await resolveRequestUsers(database.db, await authOf(), req, sessionCache);
        return await handleGradesDownload(req, res, { db: database.db, user });
      }
      if (isTrpc && (await guards.answeredWhileReadingTrpcBody(req, res))) return;
      if (isTrpc || isUpload) requestUsers.set(req, await resolveRequestUsers(database.db, await authOf(), req, sessionCache));

      if (isTrpc) return trpcHandler(req, res);
      if (isUpload) {
        const userId = requestUsers.get(req)?.user?.id ?? null;
        // Without a user the upload handler refuses it anyway, before reading anything.
        if (userId && req.method === 'POST') {
          try {
            await rateLimits.consume('upload', { ip: addressOf(req), userId });
          } catch (error) {
            if (error instanceof RateLimitedError) return sendTooManyRequests(res, error);
            throw error;
          }
        }
        return await handleUpload(req, res, { db: database.db, userId, ...uploadLimits });
      }
      if (nextHandler) {
        // Only the server says who is signed in: whatever the browser sent under this name goes.
        delete req.headers[PAGE_ACCOUNT_HEADER];
        if (rendersSiteHeader(pathname)) {
          // Without the account cookie nobody is signed in, and nothing needs looking up.
          const signedIn = readCookie(req.headers.cookie, AUTH_SESSION_COOKIE) !== null;
          setPageAccountHeader(req, signedIn ? (await resolveRequestUsers(database.db, await authOf(), req, sessionCache)).user : null);
        }
        return await nextHandler(req, res);
      }
      sendJson(res, 404, { error: `Nothing here: ${pathname}` });
    } catch (error) {
      log(`Request ${req.method} ${req.url} failed:`, error);
      if (!res.headersSent) sendJson(res, 500, { error: 'Something went wrong on the server. Try again in a moment.' });
      else res.end();
    }
  };
}

/**
 * Makes a visitor a user when they first do something that needs one. Counted per address,
 * so dropping the cookie cannot make endless users (and escape the per-user quotas).
 */
async function startSession(
  database: OpenedDatabase,
  rateLimits: RateLimits,
  req: IncomingMessage,
  res: ServerResponse,
  { ip, trustProxy }: { ip: string; trustProxy: boolean },
): Promise<NewSession> {
  await rateLimits.consume('session', { ip });
  const session = await createAnonymousSession(database.db);
  requestUsers.set(req, { user: session.user, anonymous: session.user });
  res.appendHeader('Set-Cookie', sessionCookieHeader(session.token, { secure: requestIsHttps(req, trustProxy) }));
  return session;
}

function sendTooManyRequests(res: ServerResponse, error: RateLimitedError): void {
  res.setHeader('Retry-After', String(error.retryAfterSeconds));
  sendJson(res, 429, { error: error.message });
}

export { readCookie } from './auth/request-user';

async function sendHealth(res: ServerResponse, { database, runner, listWorkers }: ServerDeps): Promise<void> {
  const databaseOk = await database.ping();
  const local = await runner.health();
  const list = listWorkers && databaseOk ? await listWorkers() : null;
  sendJson(res, databaseOk ? 200 : 503, {
    ok: databaseOk,
    database: { kind: database.kind, ok: databaseOk },
    queue: list
      ? { workers: list.length, busy: list.filter((w) => w.busy).length, queued: local.queued }
      : { workers: local.workers, busy: local.busy, queued: local.queued },
    training: { backend: local.backend },
    ...(list ? { workers: list.map(({ id, hostname, kind, backend, busy }) => ({ id, hostname, kind, backend, busy })) } : {}),
  });
}

/** An HTTP server for the app, not yet listening. */
export function createServer(deps: ServerDeps): Server {
  const sessionCache = deps.sessionCache ?? new SessionCache();
  const server = createHttpServer(createRequestListener({ ...deps, sessionCache }));
  if (!deps.sessionCache) {
    const log = deps.log ?? ((message, error) => console.error(message, error ?? ''));
    // Until it listens, every request looks its session up, so serving need not wait for it.
    const watching = sessionCache.watch(deps.database).catch((error) => {
      log('[sessions] not keeping sessions in memory: could not listen for their changes:', error);
      return null;
    });
    server.once('close', () => void watching.then((stop) => stop?.()));
  }
  return server;
}
