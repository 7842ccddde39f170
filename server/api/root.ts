import { accountRouter } from './routers/account';
import { assignmentRouter, submissionRouter } from './routers/assignment';
import { classRouter } from './routers/class';
import { datasetRouter } from './routers/dataset';
import { notebookRouter } from './routers/notebook';
import { reviewRouter } from './routers/review';
import { runRouter } from './routers/run';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  notebook: notebookRouter,
  dataset: datasetRouter,
  run: runRouter,
  class: classRouter,
  account: accountRouter,
  assignment: assignmentRouter,
  submission: submissionRouter,
  review: reviewRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
