import { z } from 'zod';
import { classLiveEvents } from '../../services/class-live';
import { classReview } from '../../services/class-review';
import { addComment, deleteComment, feedbackForMyCopy, getSubmissionForReview, returnSubmission, saveFeedback } from '../../services/feedback';
import { createTRPCRouter, rateLimited, visitorProcedure } from '../trpc';

const assignmentId = z.uuid({ error: 'must be the id of an assignment from your Classes page' });
const submissionId = z.uuid({ error: 'must be the id of a hand-in from the class view' });
// Lengths here only turn away absurd input; the service trims and explains the real limits.
const text = (what: string) => z.string({ error: `must be ${what} as text` }).max(50_000, { error: `is far too long for ${what}` });

/**
 * The teacher's view of a class's work and their feedback. Every procedure checks in the
 * service that the caller teaches the class (or owns the copy, for myFeedback); a visitor or
 * anyone else gets NOT_FOUND, so it answers like an id that does not exist.
 */
export const reviewRouter = createTRPCRouter({
  classView: visitorProcedure.input(z.object({ assignmentId })).query(({ ctx, input }) => classReview(ctx.db, ctx.user, input.assignmentId)),

  /** The class view live: a full view first (and after every reconnect), then each change as it happens. */
  classLive: visitorProcedure
    .input(z.object({ assignmentId }))
    .subscription(({ ctx, input, signal }) => classLiveEvents(ctx.db, ctx.runner, ctx.user, input.assignmentId, signal)),

  submission: visitorProcedure.input(z.object({ submissionId })).query(({ ctx, input }) => getSubmissionForReview(ctx.db, ctx.user, input.submissionId)),

  saveFeedback: visitorProcedure
    .use(rateLimited('save'))
    .input(z.object({ submissionId, comment: text('a comment'), mark: text('a mark').nullable() }))
    .mutation(({ ctx, input }) => saveFeedback(ctx.db, ctx.user, input)),

  addComment: visitorProcedure
    .use(rateLimited('save'))
    .input(
      z.object({
        submissionId,
        cellId: z.string({ error: 'must be the id of a cell' }).min(1).max(200),
        blockId: z.string({ error: 'must be the id of a block' }).min(1).max(200).nullable().optional(),
        body: text('a comment'),
      }),
    )
    .mutation(({ ctx, input }) => addComment(ctx.db, ctx.user, input)),

  deleteComment: visitorProcedure
    .input(z.object({ commentId: z.uuid({ error: 'must be the id of a comment' }) }))
    .mutation(({ ctx, input }) => deleteComment(ctx.db, ctx.user, input.commentId)),

  returnSubmission: visitorProcedure.input(z.object({ submissionId })).mutation(({ ctx, input }) => returnSubmission(ctx.db, ctx.user, input.submissionId)),

  /** The returned feedback on the caller's own copy of an assignment (null when none is returned yet). */
  myFeedback: visitorProcedure
    .input(z.object({ notebookId: z.uuid({ error: 'must be the id of a notebook' }) }))
    .query(({ ctx, input }) => feedbackForMyCopy(ctx.db, ctx.user, input.notebookId)),
});
