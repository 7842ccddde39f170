import { sql } from 'drizzle-orm';
import { RateLimiterDrizzle, RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Database, DatabaseKind } from '../../db/client';
import { rateLimits } from '../../db/schema';
import { DEFAULT_RATE_LIMITS, tooManyTriesMessage, type LimitedAction, type RateLimitSettings, type RateRule } from './rules';

/** Refused because of a rate limit; the HTTP layer answers 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(
    readonly action: LimitedAction,
    readonly retryAfterSeconds: number,
  ) {
    super(tooManyTriesMessage(action, retryAfterSeconds));
    this.name = 'RateLimitedError';
  }
}

/** Who is acting: the client's address always, the user once there is one (for sign-in and sign-up: the username tried). */
export interface Actor {
  ip: string;
  userId?: string | null;
  username?: string | null;
}

export interface RateLimits {
  /** Counts one try of `action`; throws RateLimitedError when the address or the user is over its limit. */
  consume(action: LimitedAction, actor: Actor): Promise<void>;
  /**
   * Counts one save by `userId`. Saves are the most frequent request, and with the counts in
   * the database a counting statement of its own was a second round trip and a second commit
   * for every save; so there the save's own statement counts it (countTryStep), and this only
   * says what to count. Where the counts are in memory it counts here, like consume, and
   * answers null.
   */
  countSave(userId: string): Promise<TryToCount | null>;
}

/** Limits that never refuse: for direct callers (tests of other things, scripts). */
export const NO_RATE_LIMITS: RateLimits = { consume: async () => {}, countSave: async () => null };

/** A try that a caller's own statement counts in the rate_limits table, through countTryStep. */
export interface TryToCount {
  action: LimitedAction;
  /** The same key RateLimiterDrizzle uses for this action and actor, so the two count together. */
  key: string;
  limit: number;
  /** The window a first try opens; a later try within it adds to the count. */
  durationMs: number;
}

/** The values of countTryStep's placeholders for one try, read at the moment of the try. */
export function tryPlaceholders(count: TryToCount, now = new Date()): Record<'tryKey' | 'tryNow' | 'tryExpire' | 'tryLimit', string | number> {
  return { tryKey: count.key, tryNow: now.toISOString(), tryExpire: new Date(now.getTime() + count.durationMs).toISOString(), tryLimit: count.limit };
}

/**
 * The step of a prepared statement that counts one try: RateLimiterDrizzle's own upsert (a
 * fixed window that restarts once `expire` has passed, the server's clock as in the library),
 * so counts made here and by consume() for the same key add up. Its placeholders come from
 * tryPlaceholders; it selects the count so far and the end of the window, for refusedTry.
 * A later step of the same statement can make its change only while within the limit:
 * `(select points from counted_try) <= tryLimit`.
 */
export function countTryStep(db: Database) {
  const now = sql`${sql.placeholder('tryNow')}::timestamptz`;
  return db.$with('counted_try', { points: sql<number>`points`.mapWith(Number).as('points'), expire: sql<Date>`expire`.mapWith(rateLimits.expire).as('expire') }).as(sql`
    insert into ${rateLimits} (key, points, expire) values (${sql.placeholder('tryKey')}, 1, ${sql.placeholder('tryExpire')}::timestamptz)
    on conflict (key) do update set
      points = case when ${rateLimits.expire} <= ${now} then 1 else ${rateLimits.points} + 1 end,
      expire = case when ${rateLimits.expire} <= ${now} then excluded.expire else ${rateLimits.expire} end
    returning points, expire`);
}

/** The refusal for a try that countTryStep counted past its limit; null within it. */
export function refusedTry(count: TryToCount, counted: { points: number; expire: Date | null }): RateLimitedError | null {
  if (counted.points <= count.limit) return null;
  const waitMs = counted.expire ? counted.expire.getTime() - Date.now() : count.durationMs;
  return new RateLimitedError(count.action, Math.max(1, Math.ceil(waitMs / 1000)));
}

export interface RateLimitOptions {
  settings?: Partial<RateLimitSettings>;
  /**
   * 'database': counters in the rate_limits table, shared by every web server on that database.
   * 'memory': counters in this process only: the embedded PGlite's server (rateLimitStoreFor),
   * unit tests of callers.
   */
  store?: 'database' | 'memory';
}

/**
 * Where a server keeps its counts. Several web servers can share a PostgreSQL server, so their
 * counts live in it. PGlite can only be opened by one process, so behind it there is exactly one
 * web server, and this process's memory already is the one place every request is counted:
 * rate-limiter-flexible's memory store there saves a database round trip per limited request
 * (PGlite runs one statement at a time, so each one delays every request behind it). A
 * restart forgets the counts, which nobody outside can cause.
 */
export function rateLimitStoreFor(kind: DatabaseKind): 'database' | 'memory' {
  return kind === 'pglite' ? 'memory' : 'database';
}

/** rate-limiter-flexible keys a count `${keyPrefix}:${key}`; countSave's statement writes the same rows. */
const SAVE_KEY_PREFIX = 'save_user';

/**
 * Rate limits on rate-limiter-flexible's drizzle store, which runs an atomic upsert through
 * the app's own drizzle client and so works the same on PGlite and on a PostgreSQL server.
 * If the database cannot answer, each limiter falls back to counting in memory (the
 * library's insurance limiter) rather than refusing everyone or letting everyone through.
 */
export function createRateLimits(db: Database, options: RateLimitOptions = {}): RateLimits {
  const settings = { ...DEFAULT_RATE_LIMITS, ...options.settings };
  const store = options.store ?? 'database';

  let made = 0;
  const make = (keyPrefix: string, rule: RateRule): RateLimiterAbstract => {
    const base = { keyPrefix, points: rule.points, duration: rule.durationSeconds };
    if (store === 'memory') return new RateLimiterMemory(base);
    // Every limiter deletes the whole table's expired rows every 5 minutes; one doing it is enough.
    const clearExpiredByTimeout = made++ === 0;
    return new RateLimiterDrizzle({ ...base, storeClient: db, schema: rateLimits, clearExpiredByTimeout, insuranceLimiter: new RateLimiterMemory(base) });
  };

  const limiters: Record<LimitedAction, { ip: RateLimiterAbstract | null; user: RateLimiterAbstract | null }> = {
    session: { ip: make('session_ip', settings.sessionPerIp), user: null },
    join: { ip: make('join_ip', settings.joinPerIp), user: make('join_user', settings.joinPerUser) },
    run: { ip: make('run_ip', settings.runPerIp), user: make('run_user', settings.runPerUser) },
    upload: { ip: make('upload_ip', settings.uploadPerIp), user: make('upload_user', settings.uploadPerUser) },
    // Per user only. A save overwrites a notebook its user already has: it makes nothing that
    // lasts, and costs one UPDATE, less than reads (notebook.get) that no limit counts, so an
    // address's share would bound no cost that matters. What it would bound, many users of one
    // address saving, is bounded already: users are made at sessionPerIp (and sign-ups at
    // signUpPerIp) per address, and each saves at savePerUser. Notebook saves are counted by
    // countSave; this limiter counts the other saves (a teacher's comments).
    save: { ip: null, user: make(SAVE_KEY_PREFIX, settings.savePerUser) },
    signIn: { ip: make('signin_ip', settings.signInPerIp), user: make('signin_name', settings.signInPerUsername) },
    signUp: { ip: make('signup_ip', settings.signUpPerIp), user: make('signup_name', settings.signUpPerUsername) },
    handIn: { ip: make('hand_in_ip', settings.handInPerIp), user: make('hand_in_user', settings.handInPerUser) },
  };

  const consumeOne = async (action: LimitedAction, limiter: RateLimiterAbstract, key: string) => {
    try {
      await limiter.consume(key);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) throw new RateLimitedError(action, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  };

  const consume: RateLimits['consume'] = async (action, actor) => {
    const { ip, user } = limiters[action];
    // The user first: one student over their own limit should not use up their class's shared address.
    const who = action === 'signIn' || action === 'signUp' ? actor.username?.toLowerCase() : actor.userId;
    if (user && who) await consumeOne(action, user, who);
    if (ip) await consumeOne(action, ip, actor.ip);
  };

  return {
    consume,
    async countSave(userId) {
      if (store === 'memory') {
        // Saves are counted per user only, so the address is not read.
        await consume('save', { ip: '', userId });
        return null;
      }
      return { action: 'save', key: `${SAVE_KEY_PREFIX}:${userId}`, limit: settings.savePerUser.points, durationMs: settings.savePerUser.durationSeconds * 1000 };
    },
  };
}
