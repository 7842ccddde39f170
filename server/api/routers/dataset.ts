import { z } from 'zod';
import { builtInSourceSchema } from '../../../blocks/spec/datasets';
import { builtInPreview } from '../../data/preview';
import { deleteDataset, getDataset, listDatasets } from '../../services/datasets';
import { createTRPCRouter, userProcedure } from '../trpc';

const datasetIdSchema = z.uuid({ error: 'must be the id of one of your datasets' });

export const datasetRouter = createTRPCRouter({
  /** The user's uploaded datasets, newest first (uploading itself is POST /api/datasets/csv). */
  list: userProcedure.query(({ ctx }) => listDatasets(ctx.db, ctx.user.id)),

  get: userProcedure.input(z.object({ id: datasetIdSchema })).query(({ ctx, input }) => getDataset(ctx.db, ctx.user.id, input.id)),

  delete: userProcedure.input(z.object({ id: datasetIdSchema })).mutation(({ ctx, input }) => deleteDataset(ctx.db, ctx.user.id, input.id)),

  /** What a data cell shows for a built-in set: sample images, rows or points, and how many examples each class has. */
  preview: userProcedure.input(z.object({ source: builtInSourceSchema })).query(({ input }) => builtInPreview(input.source)),
});
