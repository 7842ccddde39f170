import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import type { GoalResult } from '../../blocks/format/goals';
import type { Cell } from '../../blocks/format/notebook';
import type { Database } from '../../db/client';
import { assignments, classes, feedbackComments, notebooks, submissionFeedback, submissions, users } from '../../db/schema';
import { announceClassActivity } from './class-activity';
import { ServiceError } from './errors';
import { readStoredCells } from './notebooks';
import { networkFromSpec, readGoalResults, type ReviewCurvePoint, type ReviewNetwork } from './class-review';
import { teachesClass } from './class-teacher';
import type { SessionUser } from './sessions';

/**
 * A teacher's feedback on a hand-in: comments on cells (and on blocks), an overall comment
 * and a mark, kept as a draft until the teacher returns the work; only then does the
 * student see it, in their own copy of the notebook. Only the class's own teacher
 * (./class-teacher.ts) reads a submission or writes feedback; to anyone else, an admin
 * included, the submission does not exist.
 */
export const MAX_COMMENT_LENGTH = 2000;
export const MAX_OVERALL_LENGTH = 5000;
export const MAX_MARK_LENGTH = 20;
export const MAX_COMMENTS_PER_SUBMISSION = 200;

type Reviewer = Pick<SessionUser, 'id' | 'role'>;

export const submissionNotFound = () =>
  new ServiceError('NOT_FOUND', 'This hand-in does not exist, or you are not the teacher of its class. Open it from the class view.');

export interface FeedbackComment {
  id: string;
  cellId: string;
  blockId: string | null;
  body: string;
  createdAt: string;
}

export interface Feedback {
  comment: string;
  mark: string | null;
  returnedAt: string | null;
  updatedAt: string | null;
  comments: FeedbackComment[];
}

export interface SubmissionForReview {
  id: string;
  assignmentId: string;
  assignmentTitle: string;
  studentName: string;
  attempt: number;
  /** Every hand-in of this student for the assignment, latest first, to switch between them. */
  attempts: { id: string; attempt: number; submittedAt: string }[];
  submittedAt: string;
  lateBySeconds: number;
  cells: Cell[];
  network: ReviewNetwork | null;
  epochs: ReviewCurvePoint[];
  plannedEpochs: number;
  totalParams: number;
  gradingStatus: string;
  goalResults: GoalResult[];
  testAccuracy: number | null;
  lockedCellIssues: unknown[];
  feedback: Feedback;
}

async function submissionForReviewer(db: Database, user: Reviewer, submissionId: string) {
  const [row] = await db
    .select({ submission: submissions, assignmentTitle: assignments.title, teacherId: classes.teacherId, studentName: users.displayName })
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .innerJoin(users, eq(users.id, submissions.studentId))
    .where(eq(submissions.id, submissionId))
    .limit(1);
  if (!row || !teachesClass(user.id, row)) throw submissionNotFound();
  return row;
}

async function readFeedback(db: Database, submissionId: string): Promise<Feedback> {
  const [overall] = await db.select().from(submissionFeedback).where(eq(submissionFeedback.submissionId, submissionId)).limit(1);
  const comments = await db
    .select()
    .from(feedbackComments)
    .where(eq(feedbackComments.submissionId, submissionId))
    .orderBy(asc(feedbackComments.createdAt), asc(feedbackComments.id));
  return {
    comment: overall?.comment ?? '',
    mark: overall?.mark ?? null,
    returnedAt: overall?.returnedAt?.toISOString() ?? null,
    updatedAt: overall?.updatedAt?.toISOString() ?? null,
    comments: comments.map((c) => ({ id: c.id, cellId: c.cellId, blockId: c.blockId, body: c.body, createdAt: c.createdAt.toISOString() })),
  };
}

export async function getSubmissionForReview(db: Database, user: Reviewer, submissionId: string): Promise<SubmissionForReview> {
  const { submission, assignmentTitle, studentName } = await submissionForReviewer(db, user, submissionId);
  const attempts = await db
    .select({ id: submissions.id, attempt: submissions.attempt, submittedAt: submissions.submittedAt })
    .from(submissions)
    .where(and(eq(submissions.assignmentId, submission.assignmentId), eq(submissions.studentId, submission.studentId)))
    .orderBy(desc(submissions.attempt));
  const training = submission.training as { epochs?: unknown } | null;
  return {
    id: submission.id,
    assignmentId: submission.assignmentId,
    assignmentTitle,
    studentName,
    attempt: submission.attempt,
    attempts: attempts.map((a) => ({ id: a.id, attempt: a.attempt, submittedAt: a.submittedAt.toISOString() })),
    submittedAt: submission.submittedAt.toISOString(),
    lateBySeconds: submission.lateBySeconds,
    cells: readStoredCells(submission).cells,
    network: networkFromSpec(submission.spec, 'handed in'),
    epochs: readMetrics(submission.metrics),
    plannedEpochs: typeof training?.epochs === 'number' ? training.epochs : 0,
    totalParams: submission.totalParams,
    gradingStatus: submission.gradingStatus,
    goalResults: readGoalResults(submission.goalResults),
    testAccuracy: submission.testAccuracy,
    lockedCellIssues: submission.lockedCellIssues,
    feedback: await readFeedback(db, submission.id),
  };
}

/** Trims text and says how to fix one that is too long. */
function cleanText(text: string, max: number, what: string): string {
  const trimmed = text.trim();
  if (trimmed.length > max) throw new ServiceError('BAD_REQUEST', `${what} can be at most ${max.toLocaleString('en-US')} characters long; this one has ${trimmed.length.toLocaleString('en-US')}. Shorten it.`);
  return trimmed;
}

export async function saveFeedback(
  db: Database,
  user: Reviewer,
  input: { submissionId: string; comment: string; mark: string | null },
  now = new Date(),
): Promise<Feedback> {
  const { submission } = await submissionForReviewer(db, user, input.submissionId);
  const comment = cleanText(input.comment, MAX_OVERALL_LENGTH, 'The overall comment');
  const mark = input.mark === null ? null : cleanText(input.mark, MAX_MARK_LENGTH, 'A mark') || null;
  await db
    .insert(submissionFeedback)
    .values({ submissionId: input.submissionId, teacherId: user.id, comment, mark, updatedAt: now })
    .onConflictDoUpdate({ target: submissionFeedback.submissionId, set: { teacherId: user.id, comment, mark, updatedAt: now } });
  await announceClassActivity(db, { assignmentId: submission.assignmentId, studentId: submission.studentId, what: 'feedback' });
  return readFeedback(db, input.submissionId);
}

export async function addComment(
  db: Database,
  user: Reviewer,
  input: { submissionId: string; cellId: string; blockId?: string | null; body: string },
): Promise<FeedbackComment> {
  const { submission } = await submissionForReviewer(db, user, input.submissionId);
  const body = cleanText(input.body, MAX_COMMENT_LENGTH, 'A comment');
  if (body === '') throw new ServiceError('BAD_REQUEST', 'Write something in the comment before adding it.');
  // A comment belongs at a cell of what was handed in; ids are stable, so it finds the student's cell later.
  const cells = readStoredCells(submission).cells;
  if (!cells.some((c) => c.id === input.cellId)) {
    throw new ServiceError('BAD_REQUEST', 'That cell is not part of this hand-in. Reload the page and comment on a cell you can see.');
  }
  const existing = await db.select({ id: feedbackComments.id }).from(feedbackComments).where(eq(feedbackComments.submissionId, submission.id));
  if (existing.length >= MAX_COMMENTS_PER_SUBMISSION) {
    throw new ServiceError('BAD_REQUEST', `A hand-in can have at most ${MAX_COMMENTS_PER_SUBMISSION} comments. Put more into the overall comment.`);
  }
  const [row] = await db
    .insert(feedbackComments)
    .values({ submissionId: submission.id, cellId: input.cellId, blockId: input.blockId ?? null, body, authorId: user.id })
    .returning();
  return { id: row!.id, cellId: row!.cellId, blockId: row!.blockId, body: row!.body, createdAt: row!.createdAt.toISOString() };
}

export async function deleteComment(db: Database, user: Reviewer, commentId: string): Promise<{ ok: true }> {
  const [comment] = await db.select({ submissionId: feedbackComments.submissionId }).from(feedbackComments).where(eq(feedbackComments.id, commentId)).limit(1);
  if (!comment) throw submissionNotFound();
  await submissionForReviewer(db, user, comment.submissionId);
  await db.delete(feedbackComments).where(eq(feedbackComments.id, commentId));
  return { ok: true };
}

/** Makes the feedback visible to the student; returning again after more edits shows them the new version. */
export async function returnSubmission(db: Database, user: Reviewer, submissionId: string, now = new Date()): Promise<Feedback> {
  const { submission } = await submissionForReviewer(db, user, submissionId);
  await db
    .insert(submissionFeedback)
    .values({ submissionId, teacherId: user.id, comment: '', returnedAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: submissionFeedback.submissionId, set: { returnedAt: now, updatedAt: now } });
  await announceClassActivity(db, { assignmentId: submission.assignmentId, studentId: submission.studentId, what: 'feedback' });
  return readFeedback(db, submissionId);
}

export interface StudentFeedback {
  submissionId: string;
  attempt: number;
  comment: string;
  mark: string | null;
  returnedAt: string;
  comments: { id: string; cellId: string; blockId: string | null; body: string }[];
}

/**
 * The returned feedback a student sees in their copy of an assignment: that of their latest
 * returned hand-in. Null when nothing is returned yet. Only the copy's owner gets it; the
 * teacher's drafts stay hidden until returned.
 */
export async function feedbackForMyCopy(db: Database, user: Pick<SessionUser, 'id'>, notebookId: string): Promise<StudentFeedback | null> {
  const [copy] = await db
    .select({ assignmentId: notebooks.assignmentId })
    .from(notebooks)
    .where(and(eq(notebooks.id, notebookId), eq(notebooks.ownerId, user.id)))
    .limit(1);
  if (!copy) throw new ServiceError('NOT_FOUND', 'This notebook does not exist, or it belongs to someone else. Go back to your notebook list and open one from there.');
  if (!copy.assignmentId) return null;
  const [returned] = await db
    .select({ submissionId: submissions.id, attempt: submissions.attempt, comment: submissionFeedback.comment, mark: submissionFeedback.mark, returnedAt: submissionFeedback.returnedAt })
    .from(submissions)
    .innerJoin(submissionFeedback, eq(submissionFeedback.submissionId, submissions.id))
    .where(and(eq(submissions.assignmentId, copy.assignmentId), eq(submissions.studentId, user.id), isNotNull(submissionFeedback.returnedAt)))
    .orderBy(desc(submissions.attempt))
    .limit(1);
  if (!returned) return null;
  const comments = await db
    .select({ id: feedbackComments.id, cellId: feedbackComments.cellId, blockId: feedbackComments.blockId, body: feedbackComments.body })
    .from(feedbackComments)
    .where(eq(feedbackComments.submissionId, returned.submissionId))
    .orderBy(asc(feedbackComments.createdAt), asc(feedbackComments.id));
  return { submissionId: returned.submissionId, attempt: returned.attempt, comment: returned.comment, mark: returned.mark, returnedAt: returned.returnedAt!.toISOString(), comments };
}

function readMetrics(stored: unknown): ReviewCurvePoint[] {
  if (!Array.isArray(stored)) return [];
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return stored
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null && typeof (m as { epoch?: unknown }).epoch === 'number')
    .map((m) => ({ epoch: m.epoch as number, loss: num(m.loss) ?? Number.NaN, accuracy: num(m.accuracy) ?? Number.NaN, valLoss: num(m.valLoss), valAccuracy: num(m.valAccuracy) }))
    .sort((a, b) => a.epoch - b.epoch);
}
