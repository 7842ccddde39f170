import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, flattenError } from 'zod';
import type { NotebookLimits } from '../../blocks/format/notebook-limits';
import type { Database } from '../../db/client';
import { ServiceError } from '../services/errors';
import type { RunQueue } from '../services/runs';
import type { SessionUser } from '../services/sessions';

/**
 * Everything a procedure may use. `user` comes from the session cookie, resolved by the
 * HTTP server before the request reaches tRPC; input never names the owner.
 */
export interface Context {
  db: Database;
  runner: RunQueue;
  user: SessionUser | null;
  maxParams: number;
  /** Runs one user may have waiting at once; the run service's default when absent. */
  maxQueuedPerUser?: number;
  /** How many cells, and how big, a saved notebook may have; DEFAULT_NOTEBOOK_LIMITS when absent. */
  notebookLimits?: NotebookLimits;
}

interface InputIssue {
  path: PropertyKey[];
  message: string;
}

/** "title: Expected string, received number" — the field first, so the fix is obvious. */
export function describeInputIssues(issues: readonly InputIssue[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `Invalid input. ${parts.join('; ')}${more}`;
}

const t = initTRPC.context<Context>().create({
  // Stack traces name server files; only a developer running `npm run dev` should see them.
  isDev: process.env.LAYERBOOK_DEV === '1',
  // Progress streams can be quiet for a while (a slow epoch); pings keep proxies from closing them.
  sse: { ping: { enabled: true, intervalMs: 15_000 } },
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      data: {
        ...shape.data,
        zodError: zodError ? flattenError(zodError) : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Gives every failure a message a student can act on: a service's ServiceError keeps its
 * code and words, and invalid input names the field. Registered before `.input()`, so it
 * also sees input validation failures (direct callers never pass through errorFormatter).
 */
const readableErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof ServiceError) {
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  if (cause instanceof ZodError && result.error.code === 'BAD_REQUEST') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: describeInputIssues(cause.issues), cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(readableErrors);

export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Your browser has no Layerbook session. Allow cookies for this site and reload the page.',
    });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});
