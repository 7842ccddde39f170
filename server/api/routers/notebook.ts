import { z } from 'zod';
import { cellsSchema } from '../../../blocks/format/notebook';
import { createNotebook, deleteNotebook, getNotebook, listNotebooks, saveNotebook } from '../../services/notebooks';
import { createTRPCRouter, userProcedure } from '../trpc';

export const notebookIdSchema = z.uuid({ error: 'must be a notebook id from your notebook list' });
const titleSchema = z.string().max(200, { error: 'a title can be at most 200 characters long' });

export const notebookRouter = createTRPCRouter({
  list: userProcedure.query(({ ctx }) => listNotebooks(ctx.db, ctx.user.id)),

  create: userProcedure
    .input(z.object({ title: titleSchema.optional() }).optional())
    .mutation(({ ctx, input }) => createNotebook(ctx.db, ctx.user.id, { title: input?.title })),

  get: userProcedure
    .input(z.object({ id: notebookIdSchema }))
    .query(({ ctx, input }) => getNotebook(ctx.db, ctx.user.id, input.id)),

  save: userProcedure
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
