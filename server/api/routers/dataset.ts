import { z } from 'zod';
import { builtInSourceSchema } from '../../../blocks/format/datasets';
import { builtInPreview } from '../../data/preview';
import { DATASET_VISIBILITIES } from '../../../db/schema';
import { setDatasetVisibility, shareDataset, unshareDataset } from '../../services/dataset-access';
import { deleteDataset, getDataset, listDatasets } from '../../services/datasets';
import { classIdSchema } from './class';
import { createTRPCRouter, userProcedure, visitorProcedure } from '../trpc';

const datasetIdSchema = z.uuid({ error: 'must be the id of one of your datasets' });
const shareInput = z.object({ id: datasetIdSchema, classId: classIdSchema });

export const datasetRouter = createTRPCRouter({
  /** Datasets the user may use, newest first, each saying where it comes from (uploading itself is POST /api/datasets/csv). */
  list: visitorProcedure.query(({ ctx }) => listDatasets(ctx.db, ctx.user.id)),

  get: visitorProcedure.input(z.object({ id: datasetIdSchema })).query(({ ctx, input }) => getDataset(ctx.db, ctx.user.id, input.id)),

  delete: userProcedure.input(z.object({ id: datasetIdSchema })).mutation(({ ctx, input }) => deleteDataset(ctx.db, ctx.user.id, input.id)),

  /** Lets a class the user teaches use one of the user's datasets. */
  share: userProcedure
    .input(shareInput)
    .mutation(({ ctx, input }) => shareDataset(ctx.db, ctx.user.id, { datasetId: input.id, classId: input.classId })),

  unshare: userProcedure
    .input(shareInput)
    .mutation(({ ctx, input }) => unshareDataset(ctx.db, ctx.user.id, { datasetId: input.id, classId: input.classId })),

  /** 'school': every user of this server may use it (teachers only); 'private': the owner and the classes it is shared with. */
  setVisibility: userProcedure
    .input(z.object({ id: datasetIdSchema, visibility: z.enum(DATASET_VISIBILITIES, { error: "must be 'private' or 'school'" }) }))
    .mutation(({ ctx, input }) => setDatasetVisibility(ctx.db, ctx.user.id, { datasetId: input.id, visibility: input.visibility })),

  /** What a data cell shows for a built-in set: sample images, rows or points, and how many examples each class has. */
  preview: visitorProcedure.input(z.object({ source: builtInSourceSchema })).query(({ input }) => builtInPreview(input.source)),

});
