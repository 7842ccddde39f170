import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { NotebookLimits } from '../blocks/format/notebook-limits';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { OpenedDatabase } from '../db/client';
import { appRouter } from './api/root';
import type { Context } from './api/trpc';
import type { WorkerSummary } from './queue/workers';
import type { RunQueue } from './services/runs';
import { handleRunDownload, isRunDownloadPath } from './downloads';
import { DEFAULT_MAX_IDX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES } from './env';
import { handleUpload, isUploadPath } from './uploads';
import {
  SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  createAnonymousSession,
  findSessionUser,
  type SessionUser,
} from './services/sessions';

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
  log?: (message: string, error?: unknown) => void;
}

/** The user resolved for a request, handed from the session step to tRPC's context. */
const requestUsers = new WeakMap<IncomingMessage, SessionUser>();

/**
 * One request listener for the whole app: health, the tRPC API (with SSE subscriptions),
 * and every other path to Next. Sessions are settled first so that the very first page
 * load already belongs to a user with a starter notebook.
 */
export function createRequestListener(deps: ServerDeps): RequestListener {
  const { database, runner, maxParams, maxQueuedPerUser, notebookLimits, nextHandler } = deps;
  const log = deps.log ?? ((message, error) => console.error(message, error ?? ''));
  const uploadLimits = { maxUploadBytes: deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES, maxIdxUploadBytes: deps.maxIdxUploadBytes ?? DEFAULT_MAX_IDX_UPLOAD_BYTES };

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: '/api/trpc/',
    createContext: ({ req }): Context => ({
      db: database.db,
      runner,
      maxParams,
      maxQueuedPerUser,
      notebookLimits,
      user: requestUsers.get(req) ?? null,
    }),
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') log(`tRPC ${path ?? '?'} failed:`, error);
    },
  });

  return async (req, res) => {
    try {
      const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (pathname === '/api/health') return await sendHealth(res, deps);

      // A download only reads an existing session: a visitor without one owns no runs.
      if (isRunDownloadPath(pathname)) {
        const token = readCookie(req.headers.cookie, SESSION_COOKIE);
        const user = token ? await findSessionUser(database.db, token) : null;
        return await handleRunDownload(req, res, { db: database.db, userId: user?.id ?? null });
      }
      if (needsSession(pathname)) await attachSession(req, res, database);

      if (pathname.startsWith('/api/trpc/')) return trpcHandler(req, res);
      if (isUploadPath(pathname)) {
        return await handleUpload(req, res, { db: database.db, userId: requestUsers.get(req)?.id ?? null, ...uploadLimits });
      }
      if (nextHandler) return await nextHandler(req, res);
      sendJson(res, 404, { error: `Nothing here: ${pathname}` });
    } catch (error) {
      log(`Request ${req.method} ${req.url} failed:`, error);
      if (!res.headersSent) sendJson(res, 500, { error: 'Something went wrong on the server. Try again in a moment.' });
      else res.end();
    }
  };
}

/** Static files and Next's own assets never need a user; creating one for each would fill the table. */
function needsSession(pathname: string): boolean {
  if (pathname.startsWith('/_next/') || pathname.startsWith('/api/health')) return false;
  const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
  return pathname.startsWith('/api/trpc/') || !lastSegment.includes('.');
}

async function attachSession(req: IncomingMessage, res: ServerResponse, database: OpenedDatabase): Promise<void> {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  const existing = token ? await findSessionUser(database.db, token) : null;
  if (existing) {
    requestUsers.set(req, existing);
    return;
  }
  const session = await createAnonymousSession(database.db);
  requestUsers.set(req, session.user);
  res.appendHeader(
    'Set-Cookie',
    `${SESSION_COOKIE}=${session.token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_AGE_SECONDS}`,
  );
  // Server-rendered pages read cookies from the request; give them the new one right away.
  const others = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !c.startsWith(`${SESSION_COOKIE}=`));
  req.headers.cookie = [...others, `${SESSION_COOKIE}=${session.token}`].join('; ');
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

/** An HTTP server for the app, not yet listening. */
export function createServer(deps: ServerDeps): Server {
  return createHttpServer(createRequestListener(deps));
}
