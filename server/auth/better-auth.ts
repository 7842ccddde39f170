import { randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { runWithAdapter } from '@better-auth/core/context';
import { admin, username } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements, userAc } from 'better-auth/plugins/admin/access';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { authAccounts, authSessions, authVerifications, siteSettings, users } from '../../db/schema';

/** Cookies are `lb.session_token` (signed); the anonymous browser's stays `lb_session`. */
export const AUTH_COOKIE_PREFIX = 'lb';
export const AUTH_SESSION_COOKIE = `${AUTH_COOKIE_PREFIX}.session_token`;
export const AUTH_BASE_PATH = '/api/auth';
/** A school term's week off does not sign anyone out; a lost laptop's session still ends. */
export const AUTH_SESSION_DAYS = 30;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 128;

// The roles as the admin plugin sees them: only `admin` may use its endpoints.
const ac = createAccessControl(defaultStatements);
const roles = { admin: ac.newRole(adminAc.statements), teacher: ac.newRole(userAc.statements), student: ac.newRole(userAc.statements) };

export interface AuthOptions {
  /** Signs cookies; from LAYERBOOK_AUTH_SECRET or kept in site_settings (authSecret). */
  secret: string;
  /** Same-origin check: the origins a request may come from (the guards' own list for it). */
  trustedOrigins: (request?: Request) => string[];
}

/**
 * better-auth on the app's own tables: `users` is its user model (display_name is its
 * `name`), ids are the database's uuids. Passwords are hashed with its scrypt. Its own rate
 * limit is off because it cannot see client addresses here; server/rate-limit counts tries.
 */
function adapterOn(db: Database) {
  return drizzleAdapter(db, { provider: 'pg', schema: { users, authSessions, authAccounts, authVerifications } });
}

export function createAuth(db: Database, options: AuthOptions) {
  return betterAuth({
    appName: 'Layerbook',
    basePath: AUTH_BASE_PATH,
    secret: options.secret,
    trustedOrigins: (request) => options.trustedOrigins(request),
    database: adapterOn(db),
    user: { modelName: 'users', fields: { name: 'displayName' } },
    session: { modelName: 'authSessions', expiresIn: AUTH_SESSION_DAYS * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    account: { modelName: 'authAccounts' },
    verification: { modelName: 'authVerifications' },
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: MAX_PASSWORD_LENGTH },
    plugins: [
      username({ minUsernameLength: 3, maxUsernameLength: 30 }),
      admin({ ac, roles, defaultRole: 'student', adminRoles: ['admin'] }),
    ],
    rateLimit: { enabled: false },
    // Wrong passwords are a student's typo, not a server problem; real failures still show.
    logger: { level: 'error' },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: AUTH_COOKIE_PREFIX,
      // The HTTP layer adds Secure exactly when server/cookies.ts says the browser used https.
      useSecureCookies: false,
      database: { generateId: 'uuid' },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * Runs `work` with better-auth's internal adapter writing on the caller's transaction `tx`, so
 * that better-auth's own writes (its field mapping and its plugins' hooks: the username rules,
 * the default role) commit or roll back together with the app's rows that belong to the same
 * account (role, class, brought work). better-auth finds the adapter of the moment through
 * its async context, as its own transactions do.
 */
export async function withAuthWritesIn<T>(auth: Auth, tx: Database, work: (writes: AuthContext['internalAdapter']) => Promise<T>): Promise<T> {
  const context = await auth.$context;
  return runWithAdapter(adapterOn(tx)(context.options), () => work(context.internalAdapter));
}

type AuthContext = Awaited<Auth['$context']>;

const SECRET_KEY = 'auth_secret';

/**
 * The cookie-signing secret: LAYERBOOK_AUTH_SECRET when set, else one made on first start and
 * kept in the database, so restarts and every server on one database sign alike.
 */
export async function loadAuthSecret(db: Database, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv;
  await db.insert(siteSettings).values({ key: SECRET_KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, SECRET_KEY));
  return row!.value;
}
