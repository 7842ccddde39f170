import { z } from 'zod';
import { cellsSchema } from '../../../blocks/spec/notebook';
import { createNotebook, deleteNotebook, getNotebook, listNotebooks, saveNotebook } from '../../services/notebooks';
import { seedNewUser } from '../../../db/seed';
import { becomeUser, createTRPCRouter, newcomerProcedure, publicProcedure, rateLimited, userProcedure, visitorProcedure } from '../trpc';

export const notebookIdSchema = z.uuid({ error: 'must be a notebook id from your notebook list' });
const titleSchema = z.string().max(200, { error: 'a title can be at most 200 characters long' });

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

  save: userProcedure
    .use(rateLimited('save'))
    .input(
      z.object({
        id: notebookIdSchema,
        version: z.number().int().min(1),
        title: titleSchema,
        cells: cellsSchema,
      }),
    )
    .mutation(({ ctx, input }) => saveNotebook(ctx.db, ctx.user.id, input)),

  delete: userProcedure
    .input(z.object({ id: notebookIdSchema }))
    .mutation(({ ctx, input }) => deleteNotebook(ctx.db, ctx.user.id, input.id)),
});
