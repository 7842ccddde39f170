import { z } from 'zod';
import { MAX_CELL_ID_LENGTH } from '../../../blocks/format/notebook';
import { MAX_CHECKING_EXAMPLES, runCheckingExamples } from '../../services/checking-examples';
import { runEvents } from '../../services/run-events';
import { getRun, listRuns } from '../../services/run-store';
import { cancelRun, startRun } from '../../services/runs';
import { createTRPCRouter, rateLimited, userProcedure, visitorProcedure } from '../trpc';
import { notebookIdSchema } from './notebook';

const runIdSchema = z.uuid({ error: 'must be the id of one of your training runs' });
const cellIdSchema = z.string().min(1).max(MAX_CELL_ID_LENGTH);

export const runRouter = createTRPCRouter({
  start: userProcedure
    .use(rateLimited('run'))
    .input(z.object({ notebookId: notebookIdSchema, cellId: cellIdSchema }))
    .mutation(({ ctx, input }) => startRun(ctx.db, ctx.runner, ctx.user.id, input, { maxParams: ctx.maxParams, maxQueuedPerUser: ctx.maxQueuedPerUser })),

  list: visitorProcedure
    .input(z.object({ notebookId: notebookIdSchema, cellId: cellIdSchema.optional() }))
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.user.id, input)),

  get: visitorProcedure
    .input(z.object({ runId: runIdSchema }))
    .query(({ ctx, input }) => getRun(ctx.db, ctx.user.id, input.runId)),

  /**
   * Up to `limit` of the examples this run was checked on, with their classes, for "Where your
   * model goes wrong": from the data it trained on, the rows its validation split held out
   * (else the data's own validation rows; never a test example). The run's owner only.
   */
  checkingExamples: visitorProcedure
    .input(z.object({ runId: runIdSchema, limit: z.number().int().min(1).max(MAX_CHECKING_EXAMPLES).default(MAX_CHECKING_EXAMPLES) }))
    .query(({ ctx, input }) => runCheckingExamples(ctx.db, ctx.user.id, input.runId, input.limit)),

  cancel: userProcedure
    .input(z.object({ runId: runIdSchema }))
    .mutation(({ ctx, input }) => cancelRun(ctx.db, ctx.runner, ctx.user.id, input.runId)),

  events: visitorProcedure
    .input(z.object({ runId: runIdSchema }))
    .subscription(({ ctx, input, signal }) => runEvents(ctx.db, ctx.runner, ctx.user.id, input.runId, signal)),
});
