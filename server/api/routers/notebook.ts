import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { cellsSchema } from '../../../blocks/format/notebook';
import { DEFAULT_NOTEBOOK_LIMITS, notebookLimitProblem } from '../../../blocks/format/notebook-limits';
import { createNotebook, deleteNotebook, getNotebook, listNotebooks, saveNotebook } from '../../services/notebooks';
import { seedNewUser } from '../../services/seed';
import { becomeUser, createTRPCRouter, newcomerProcedure, publicProcedure, userProcedure, visitorProcedure } from '../trpc';

export const notebookIdSchema = z.uuid({ error: 'must be a notebook id from your notebook list' });
const titleSchema = z.string().max(200, { error: 'a title can be at most 200 characters long' });

/**
 * The raw input is checked before `.input()` parses it: a notebook too big or too deep is
 * refused after one bounded walk, before the schema or anything else spends time on it.
 */
const withinNotebookLimits = userProcedure.use(async ({ ctx, getRawInput, next }) => {
  const raw = await getRawInput();
  const cells = typeof raw === 'object' && raw !== null ? (raw as { cells?: unknown }).cells : undefined;
  const problem = notebookLimitProblem(cells, ctx.notebookLimits ?? DEFAULT_NOTEBOOK_LIMITS);
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: problem });
  return next();
});

export const notebookRouter = createTRPCRouter({
  list: visitorProcedure.query(({ ctx }) => listNotebooks(ctx.db, ctx.user.id)),

  // The session is started after the input is checked, so a malformed call makes no user.
  create: publicProcedure
    .input(z.object({ title: titleSchema.optional() }).optional())
    .use(becomeUser)
    .mutation(({ ctx, input }) => createNotebook(ctx.db, ctx.user.id, { title: input?.title })),

  get: visitorProcedure
    .input(z.object({ id: notebookIdSchema }))
    .query(({ ctx, input }) => getNotebook(ctx.db, ctx.user.id, input.id)),

  /**
   * Opens "Your first neural network" from the home page: a visitor becomes a user here, with
   * it as their first notebook; someone who already has a session gets a fresh copy.
   */
  openStarter: newcomerProcedure.mutation(async ({ ctx }) => ({
    id: ctx.newSession?.starterNotebookId ?? (await seedNewUser(ctx.db, ctx.user.id)).notebookId,
  })),

  save: withinNotebookLimits
    .input(
      z.object({
        id: notebookIdSchema,
        version: z.number().int().min(1),
        title: titleSchema,
        cells: cellsSchema,
      }),
    )
    // Counted (rate limit) when it reaches the database, by the save's own statement where
    // the counts are kept there: a save refused before it (limits, schema) wrote nothing.
    .mutation(async ({ ctx, input }) => saveNotebook(ctx.db, ctx.user.id, input, (await ctx.countSave?.(ctx.user.id)) ?? null)),

  delete: userProcedure
    .input(z.object({ id: notebookIdSchema }))
    .mutation(({ ctx, input }) => deleteNotebook(ctx.db, ctx.user.id, input.id)),
});
