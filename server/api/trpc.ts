import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, flattenError } from 'zod';
import type { NotebookLimits } from '../../blocks/format/notebook-limits';
import type { Database } from '../../db/client';
import { ServiceError } from '../services/errors';
import type { RunQueue } from '../services/runs';
import { RateLimitedError, type TryToCount } from '../rate-limit/limiter';
import type { LimitedAction } from '../rate-limit/rules';
import { VISITOR, type NewSession, type SessionUser } from '../services/sessions';
import type { Auth } from '../auth/better-auth';

/**
 * Everything a procedure may use. `user` comes from the session cookie, resolved by the
 * HTTP server before the request reaches tRPC; input never names the owner. A visitor
 * without a session has none until they do something that needs one.
 */
export interface Context {
  db: Database;
  runner: RunQueue;
  user: SessionUser | null;
  /**
   * This browser's anonymous user (cookie `lb_session`), also while an account is signed in,
   * so its work can be brought into the account. Equal to `user` when nobody is signed in.
   */
  anonymousUser?: SessionUser | null;
  /** Accounts (better-auth); absent for direct callers that do not test accounts. */
  auth?: Auth;
  /** The request's headers, for better-auth calls that read the session cookie; copied only when asked, not for every save. */
  requestHeaders?: () => Headers;
  /** Sends better-auth's Set-Cookie headers with the response (Secure when https). */
  setCookies?: (setCookieHeaders: string[]) => void;
  maxParams: number;
  /** Runs one user may have waiting at once; the run service's default when absent. */
  maxQueuedPerUser?: number;
  /**
   * Makes the visitor a user (session cookie, starter notebook), itself rate-limited per
   * address. Absent for direct callers, who must bring a user.
   */
  startSession?: () => Promise<NewSession>;
  /** Counts one try of a limited action by this client (and user); throws RateLimitedError past the limit. */
  limit?: (action: LimitedAction, userId: string | null, username?: string | null) => Promise<void>;
  /** Counts a notebook save, or says what the save's statement must count (RateLimits.countSave). */
  countSave?: (userId: string) => Promise<TryToCount | null>;
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
  if (result.ok) {
    // A subscription's checks (may this user see that run?) run as its stream starts, after
    // this middleware returned: its ServiceErrors are translated as they come out of the stream.
    return isAsyncIterable(result.data) ? { ...result, data: withReadableErrors(result.data) } : result;
  }
  const cause = result.error.cause;
  if (cause instanceof ServiceError) {
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  // The HTTP layer reads the wait from the cause for Retry-After.
  if (cause instanceof RateLimitedError) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: cause.message, cause });
  }
  if (cause instanceof ZodError && result.error.code === 'BAD_REQUEST') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: describeInputIssues(cause.issues), cause });
  }
  return result;
});

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

async function* withReadableErrors<T>(stream: AsyncIterable<T>): AsyncGenerator<T, void, unknown> {
  try {
    yield* stream;
  } catch (error) {
    if (error instanceof ServiceError) throw new TRPCError({ code: error.code, message: error.message, cause: error });
    throw error;
  }
}

export const publicProcedure = t.procedure.use(readableErrors);

/**
 * Reading only: a visitor without a session is answered as a user who has nothing yet (no
 * notebooks, no classes), and nothing is written for them.
 */
export const visitorProcedure = publicProcedure.use(({ ctx, next }) => next({ ctx: { user: ctx.user ?? VISITOR } }));

/** Changing something the user already has: without a session there is nothing of theirs to change. */
export const userProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) {
    throw new TRPCError({
      code: 'UNAUTHORIZED',
      message: 'Your browser has no Layerbook session. Allow cookies for this site and reload the page.',
    });
  }
  return next({ ctx: { user: ctx.user } });
});

/**
 * The first things a newcomer does (open the starter notebook, make a notebook, make or
 * join a class) make them a user: this is where a visitor's session is created, and
 * `newSession` tells the procedure it just was.
 */
export const becomeUser = t.middleware(async ({ ctx, next }) => {
  if (ctx.user) return next({ ctx: { user: ctx.user, newSession: null as NewSession | null } });
  if (!ctx.startSession) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your browser has no Layerbook session. Allow cookies for this site and reload the page.' });
  }
  const session = await ctx.startSession();
  return next({ ctx: { user: session.user, newSession: session as NewSession | null } });
});

export const newcomerProcedure = publicProcedure.use(becomeUser);

/** Counts one try of `action` for this client and user before the procedure runs (429 past the limit). */
export function rateLimited(action: LimitedAction) {
  return t.middleware(async ({ ctx, next }) => {
    await ctx.limit?.(action, ctx.user?.id ?? null);
    return next();
  });
}
