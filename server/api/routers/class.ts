import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { ONLY_TEACHERS_MAKE_CLASSES } from '../../services/roles';
import { createClass, deleteClass, joinClass, leaveClass, listMyClasses, removeMember, renameClass } from '../../services/classes';
import { becomeUser, createTRPCRouter, publicProcedure, rateLimited, userProcedure, visitorProcedure } from '../trpc';

export const classIdSchema = z.uuid({ error: 'must be the id of a class from your Classes page' });
// Lengths are checked here only to turn away absurd input; the service trims and explains the real limits.
const className = z.string({ error: 'must be the class name as text' }).max(500, { error: 'is far too long for a class name' });
const personName = z.string({ error: 'must be a name as text' }).max(500, { error: 'is far too long for a name' });

export const classRouter = createTRPCRouter({
  /** Classes the user teaches (with members and join codes) and classes they have joined. */
  list: visitorProcedure.query(({ ctx }) => listMyClasses(ctx.db, ctx.user.id)),

  // Only teachers make classes, and a visitor without a session is nobody's teacher: no user is made for them.
  create: publicProcedure
    .input(z.object({ name: className, teacherName: personName.optional() }))
    .use(({ ctx, next }) => {
      if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: `Sign in first. ${ONLY_TEACHERS_MAKE_CLASSES}` });
      return next({ ctx: { user: ctx.user } });
    })
    .mutation(({ ctx, input }) => createClass(ctx.db, ctx.user.id, input)),

  // Counted before a visitor becomes a user, so guessing codes without a cookie is limited too.
  join: publicProcedure
    .use(rateLimited('join'))
    .input(z.object({ code: z.string({ error: 'must be the class code as text' }).max(40, { error: 'is too long for a class code (they look like K7Q-M4P)' }), displayName: personName }))
    .use(becomeUser)
    .mutation(({ ctx, input }) => joinClass(ctx.db, ctx.user.id, input)),

  leave: userProcedure.input(z.object({ classId: classIdSchema })).mutation(({ ctx, input }) => leaveClass(ctx.db, ctx.user.id, input.classId)),

  removeMember: userProcedure
    .input(z.object({ classId: classIdSchema, userId: z.uuid({ error: 'must be the id of a student in the class' }) }))
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.user.id, input)),

  rename: userProcedure
    .input(z.object({ classId: classIdSchema, name: className }))
    .mutation(({ ctx, input }) => renameClass(ctx.db, ctx.user.id, input)),

  delete: userProcedure.input(z.object({ classId: classIdSchema })).mutation(({ ctx, input }) => deleteClass(ctx.db, ctx.user.id, input.classId)),
});
