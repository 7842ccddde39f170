import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  accountOf,
  anonymousWorkOf,
  anyAccountExists,
  bringAnonymousWork,
  changePassword,
  createClassAccounts,
  createTeacherAccount,
  listAccounts,
  resetStudentPassword,
  setAccountRole,
  setTeacherCode,
  signUp,
} from '../../auth/accounts';
import { SESSION_COOKIE } from '../../services/sessions';
import { createTRPCRouter, publicProcedure, type Context } from '../trpc';
import { classIdSchema } from './class';

const text = (what: string, max = 200) => z.string({ error: `must be ${what} as text` }).max(max, { error: `is far too long for ${what}` });

function authOf(ctx: Context) {
  if (!ctx.auth) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Accounts are not set up on this server.' });
  return ctx.auth;
}

/** Procedures for a signed-in account; an anonymous browser user or a visitor is asked to sign in. */
const accountProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user?.username) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first: this needs your account.' });
  return next({ ctx: { user: ctx.user, auth: authOf(ctx) } });
});

/** Ends the browser's anonymous session cookie once its work lives in an account. */
const CLEAR_ANONYMOUS_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

export const accountRouter = createTRPCRouter({
  /** Who is signed in, and what this browser did before signing in (offered to bring into the account). */
  me: publicProcedure.query(async ({ ctx }) => {
    const account = ctx.user?.username ? await accountOf(ctx.db, ctx.user.id) : null;
    const anonymous = ctx.anonymousUser ?? (ctx.user && !ctx.user.username ? ctx.user : null);
    return {
      account,
      anonymousWork: anonymous ? await anonymousWorkOf(ctx.db, anonymous.id) : null,
      /** No account exists yet: the next sign-up becomes the admin. */
      freshInstall: !(await anyAccountExists(ctx.db)),
    };
  }),

  signUp: publicProcedure
    .input(
      z.object({
        username: text('a username', 100),
        password: text('a password', 500),
        displayName: text('your name'),
        joinCode: text('a class code', 40).optional(),
        teacherCode: text('a teacher code', 100).optional(),
        bringWork: z.boolean().optional(),
      }),
    )
    .use(async ({ ctx, input, next }) => {
      await ctx.limit?.('signUp', null, (input as { username: string }).username.trim().toLowerCase());
      return next();
    })
    .mutation(async ({ ctx, input }) => {
      if (ctx.user?.username) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: `You are signed in as ${ctx.user.username}. Sign out first to make another account.` });
      }
      const anonymousId = (ctx.anonymousUser ?? ctx.user)?.id ?? null;
      const result = await signUp(ctx.db, authOf(ctx), input, { anonymousUserId: anonymousId, requestHeaders: ctx.requestHeaders?.() });
      ctx.setCookies?.(result.setCookies);
      if (result.broughtWork) ctx.setCookies?.([CLEAR_ANONYMOUS_COOKIE]);
      return { user: result.user, joinedClass: result.joinedClass, broughtWork: result.broughtWork };
    }),

  /** After signing in: moves this browser's anonymous work into the account. */
  bringAnonymousWork: accountProcedure.mutation(async ({ ctx }) => {
    if (!ctx.anonymousUser) throw new TRPCError({ code: 'NOT_FOUND', message: 'There is no work from before you signed in on this browser.' });
    const moved = await bringAnonymousWork(ctx.db, ctx.anonymousUser.id, ctx.user.id);
    ctx.setCookies?.([CLEAR_ANONYMOUS_COOKIE]);
    return moved;
  }),

  changePassword: accountProcedure
    .input(z.object({ currentPassword: text('your current password', 500), newPassword: text('a new password', 500) }))
    .mutation(async ({ ctx, input }) => {
      const { setCookies } = await changePassword(ctx.auth, ctx.requestHeaders?.() ?? new Headers(), input);
      ctx.setCookies?.(setCookies);
      return { ok: true as const };
    }),

  /** A teacher makes accounts for a list of names in their class; the first passwords come back once, to print. */
  createClassAccounts: accountProcedure
    .input(z.object({ classId: classIdSchema, names: z.array(text('a name'), { error: 'must be a list of names' }).max(200, { error: 'has too many names' }) }))
    .mutation(({ ctx, input }) => createClassAccounts(ctx.db, ctx.auth, ctx.user.id, input)),

  resetStudentPassword: accountProcedure
    .input(z.object({ classId: classIdSchema, studentId: z.uuid({ error: 'must be the id of a student in the class' }) }))
    .mutation(({ ctx, input }) => resetStudentPassword(ctx.db, ctx.auth, ctx.user.id, input)),

  admin: createTRPCRouter({
    list: accountProcedure.query(({ ctx }) => listAccounts(ctx.db, ctx.user.id)),
    setRole: accountProcedure
      .input(z.object({ userId: z.uuid({ error: 'must be the id of an account' }), role: z.enum(['teacher', 'student'], { error: 'must be teacher or student' }) }))
      .mutation(({ ctx, input }) => setAccountRole(ctx.db, ctx.user.id, input)),
    createTeacher: accountProcedure
      .input(z.object({ username: text('a username', 100), displayName: text('a name') }))
      .mutation(({ ctx, input }) => createTeacherAccount(ctx.db, ctx.auth, ctx.user.id, input)),
    setTeacherCode: accountProcedure
      .input(z.object({ code: text('a teacher code', 100).nullable() }))
      .mutation(({ ctx, input }) => setTeacherCode(ctx.db, ctx.user.id, input.code)),
  }),
});
