import { z } from 'zod';
import { dataSourceSchema } from '../../../blocks/format/datasets';
import { goalsSchema } from '../../../blocks/format/goals';
import { MAX_CELL_ID_LENGTH } from '../../../blocks/format/notebook';
import {
  createAssignment,
  deleteAssignment,
  listClassAssignments,
  listMyAssignments,
  notebookAssignment,
  openAssignment,
} from '../../services/assignments';
import { changeAssignment } from '../../services/assignment-changes';
import { getSubmission, handIn, listMySubmissions } from '../../services/submissions';
import { createTRPCRouter, rateLimited, userProcedure, visitorProcedure } from '../trpc';
import { classIdSchema } from './class';
import { notebookIdSchema } from './notebook';

export const assignmentIdSchema = z.uuid({ error: 'must be the id of an assignment from your home page' });
const submissionIdSchema = z.uuid({ error: 'must be the id of one of your hand-ins' });
// Lengths only turn away absurd input; the service trims and explains the real limits.
const title = z.string({ error: 'must be the title as text' }).max(500, { error: 'is far too long for a title' });
const dueAt = z.iso.datetime({ offset: true, error: 'must be a date and time, such as 2026-12-24T15:00:00Z' });
const lockedCellIds = z.array(z.string().min(1).max(MAX_CELL_ID_LENGTH)).max(500);

export const assignmentRouter = createTRPCRouter({
  /** A teacher turns one of their notebooks into an assignment for a class they teach. */
  create: userProcedure
    .input(
      z.object({
        notebookId: notebookIdSchema,
        classId: classIdSchema,
        title,
        dueAt,
        lockedCellIds,
        goals: goalsSchema,
        testDataset: dataSourceSchema.nullish(),
      }),
    )
    .mutation(({ ctx, input }) => createAssignment(ctx.db, ctx.user.id, input)),

  /** The teacher changes it; hand-ins follow (late again by the new due date, locked cells flagged again by new locks, judged again on new goals or test data). `testDataset` null: grade on the test split of the notebook's data again. */
  update: userProcedure
    .input(
      z.object({
        id: assignmentIdSchema,
        title: title.optional(),
        dueAt: dueAt.optional(),
        lockedCellIds: lockedCellIds.optional(),
        goals: goalsSchema.optional(),
        testDataset: dataSourceSchema.nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) => changeAssignment(ctx.db, ctx.runner, ctx.user.id, input)),

  delete: userProcedure.input(z.object({ id: assignmentIdSchema })).mutation(({ ctx, input }) => deleteAssignment(ctx.db, ctx.user.id, input.id)),

  /** A class's assignments, for its teacher only. */
  listForClass: userProcedure.input(z.object({ classId: classIdSchema })).query(({ ctx, input }) => listClassAssignments(ctx.db, ctx.user.id, input.classId)),

  /** The assignments of the classes the caller is in, with their progress (a visitor has none). */
  mine: visitorProcedure.query(({ ctx }) => listMyAssignments(ctx.db, ctx.user.id)),

  /** The student's own copy: made the first time, the same one every later time. */
  open: userProcedure.input(z.object({ id: assignmentIdSchema })).mutation(({ ctx, input }) => openAssignment(ctx.db, ctx.user.id, input.id)),

  /** The assignment a notebook of the caller's is a copy of (locked cells, goals, due date), or null. */
  forNotebook: visitorProcedure.input(z.object({ notebookId: notebookIdSchema })).query(({ ctx, input }) => notebookAssignment(ctx.db, ctx.user.id, input.notebookId)),
});

export const submissionRouter = createTRPCRouter({
  /** Hands in a finished run of the student's copy; counted, since each one copies weights and queues a grading run. */
  handIn: userProcedure
    .use(rateLimited('handIn'))
    .input(z.object({ notebookId: notebookIdSchema, runId: z.uuid({ error: 'must be the id of one of your finished runs' }) }))
    .mutation(({ ctx, input }) => handIn(ctx.db, ctx.runner, ctx.user.id, input)),

  /** The caller's own hand-ins of an assignment, latest first. */
  mine: visitorProcedure.input(z.object({ assignmentId: assignmentIdSchema })).query(({ ctx, input }) => listMySubmissions(ctx.db, ctx.user.id, input.assignmentId)),

  /** One hand-in with its notebook: its student's or their teacher's. */
  get: visitorProcedure.input(z.object({ id: submissionIdSchema })).query(({ ctx, input }) => getSubmission(ctx.db, ctx.user.id, input.id)),
});
