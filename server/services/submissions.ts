/**
 * Hand-ins: a student picks a finished run of their copy of an assignment, and gets an
 * immutable snapshot (the notebook, the run's settings, curves and weights) that outlives the
 * run and the notebook. Every hand-in is kept; the latest counts. Late is decided here, by
 * this server's clock, never by the browser. Nothing here changes a submission after it is
 * made except its grade (server/services/autograde.ts).
 */
import { and, asc, desc, eq, max } from 'drizzle-orm';
import { secondsLate } from '../../blocks/format/due-date';
import { goalResultsSchema, type GoalResult } from '../../blocks/format/goals';
import type { TrainingSpec } from '../../blocks/format/model-spec';
import { NOTEBOOK_FORMAT_VERSION, type Cell } from '../../blocks/format/notebook';
import { lockedCellIssues, type LockedCellIssue } from '../../blocks/locked-cells';
import type { Database } from '../../db/client';
import { assignments, classes, notebooks, runMetrics, runs, runWeights, submissions, submissionWeights, users, type GradingStatus } from '../../db/schema';
import type { EpochMetrics } from '../training/protocol';
import { assignmentForStudent, assignmentForTeacher, readAssignmentCells } from './assignments';
import { finishGrading, queueGrading } from './autograde';
import { announceClassActivity } from './class-activity';
import { teachesClass } from './class-teacher';
import { ServiceError, isUniqueViolation, notebookNotFound } from './errors';
import { ownedNotebook, readStoredCells } from './notebooks';
import { readRunTraining } from './run-snapshot';
import { studentsOwnRun } from './run-store';
import type { RunQueue } from './runs';

export const submissionNotFound = () =>
  new ServiceError('NOT_FOUND', 'This hand-in does not exist, or it is not yours to see. Open the assignment from your home page.');

/** One hand-in as its student (and their teacher) sees it. */
export interface SubmissionView {
  id: string;
  assignmentId: string;
  studentId: string;
  /** 1 for the first hand-in of this assignment by this student, then 2, 3… */
  attempt: number;
  submittedAt: string;
  /** 0 when on time; otherwise how late, by the server's clock. */
  lateBySeconds: number;
  runId: string;
  /** The training cell (stable id) the run belongs to. */
  cellId: string;
  totalParams: number;
  backend: string | null;
  training: TrainingSpec | null;
  epochs: EpochMetrics[];
  gradingStatus: GradingStatus;
  gradingError: string | null;
  goalResults: GoalResult[];
  /** On the assignment's hidden test split. */
  testAccuracy: number | null;
  gradedAt: string | null;
  /** Locked cells the snapshot changed or lost (flagged, never fatal). */
  lockedCellIssues: LockedCellIssue[];
}

/** A hand-in with its notebook snapshot, for reading it back (the student's own, or their teacher). */
export interface SubmissionDetails extends SubmissionView {
  studentName: string;
  assignmentTitle: string;
  cells: Cell[];
}

/**
 * Hands in a finished run of the student's copy. The copy must still be theirs and the
 * assignment one of their class; the run must be theirs, of this copy, of a training cell, and
 * finished with weights. Then everything is copied, so later edits and deletions change nothing.
 */
export async function handIn(
  db: Database,
  queue: RunQueue,
  studentId: string,
  input: { notebookId: string; runId: string },
  now: Date = new Date(),
): Promise<SubmissionView> {
  const [copy] = await db
    .select({ id: notebooks.id, assignmentId: notebooks.assignmentId, cells: notebooks.cells, formatVersion: notebooks.formatVersion })
    .from(notebooks)
    .where(ownedNotebook(studentId, input.notebookId))
    .limit(1);
  if (!copy) throw notebookNotFound();
  if (!copy.assignmentId) {
    throw new ServiceError('BAD_REQUEST', 'This notebook is not an assignment, so there is nothing to hand in. Open the assignment from your home page and work in that copy.');
  }
  const assignment = await assignmentForStudent(db, studentId, copy.assignmentId);

  const [run] = await db
    .select()
    .from(runs)
    // A grading run is the server's measurement, never the student's work to hand in.
    .where(and(eq(runs.id, input.runId), eq(runs.ownerId, studentId), eq(runs.notebookId, copy.id), studentsOwnRun))
    .limit(1);
  if (!run) throw new ServiceError('NOT_FOUND', 'This run is not one of this notebook’s runs. Pick a finished run from the list.');
  const { cells } = readStoredCells(copy);
  const cell = cells.find((c) => c.id === run.cellId);
  if (!cell || cell.type !== 'training') {
    throw new ServiceError('BAD_REQUEST', 'This run’s training cell is no longer in the notebook. Pick a run of a training cell that is still there.');
  }
  if (run.status !== 'succeeded') {
    throw new ServiceError('BAD_REQUEST', 'Only a finished run can be handed in. Wait until it says "finished", or pick another run.');
  }
  const [weights] = await db.select().from(runWeights).where(eq(runWeights.runId, run.id));
  if (!weights) throw new ServiceError('BAD_REQUEST', 'This run’s trained model was not saved, so it cannot be handed in. Press Train to train it again.');
  const metrics = await db.select().from(runMetrics).where(eq(runMetrics.runId, run.id)).orderBy(asc(runMetrics.epoch));

  const issues = lockedCellIssues(readAssignmentCells(assignment), assignment.lockedCellIds, cells);
  const lateBySeconds = secondsLate(now, assignment.dueAt);

  const submissionId = await db.transaction(async (tx) => {
    const [last] = await tx
      .select({ attempt: max(submissions.attempt) })
      .from(submissions)
      .where(and(eq(submissions.assignmentId, assignment.id), eq(submissions.studentId, studentId)));
    const [row] = await tx
      .insert(submissions)
      .values({
        assignmentId: assignment.id,
        studentId,
        notebookId: copy.id,
        attempt: (last?.attempt ?? 0) + 1,
        cells,
        formatVersion: NOTEBOOK_FORMAT_VERSION,
        runId: run.id,
        cellId: run.cellId,
        spec: run.spec,
        training: run.training,
        metrics: metrics.map(({ runId: _runId, ...m }) => m),
        totalParams: run.totalParams,
        backend: run.backend,
        lockedCellIssues: issues,
        submittedAt: now,
        lateBySeconds,
      })
      .returning({ id: submissions.id });
    await tx.insert(submissionWeights).values({ submissionId: row!.id, modelTopology: weights.modelTopology, weightSpecs: weights.weightSpecs, weightData: weights.weightData });
    return row!.id;
  }).catch((error: unknown) => {
    // Two hand-ins in the same instant: the unique (assignment, student, attempt) index lets one through.
    if (isUniqueViolation(error)) throw new ServiceError('CONFLICT', 'You handed in twice at the same moment; one of them counted. Reload the page to see it.');
    throw error;
  });

  await announceClassActivity(db, { assignmentId: assignment.id, studentId, what: 'handed-in' });
  await queueGrading(db, queue, submissionId);
  return (await readSubmissions(db, and(eq(submissions.id, submissionId))))[0]!;
}

/** The student's own hand-ins of an assignment, latest first; grades that finished meanwhile are recorded on the way. */
export async function listMySubmissions(db: Database, studentId: string, assignmentId: string): Promise<SubmissionView[]> {
  await assignmentForStudent(db, studentId, assignmentId);
  const where = and(eq(submissions.assignmentId, assignmentId), eq(submissions.studentId, studentId));
  let list = await readSubmissions(db, where);
  if (await finishPendingGrades(db, list)) list = await readSubmissions(db, where);
  return list;
}

/**
 * One hand-in with its notebook snapshot: its student may read it while they are in the class,
 * and the class's own teacher (./class-teacher.ts); anyone else, an admin included, gets NOT_FOUND.
 */
export async function getSubmission(db: Database, userId: string, submissionId: string): Promise<SubmissionDetails> {
  const [row] = await db
    .select({ studentId: submissions.studentId, assignmentId: submissions.assignmentId, teacherId: classes.teacherId })
    .from(submissions)
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .where(eq(submissions.id, submissionId))
    .limit(1);
  if (!row) throw submissionNotFound();
  try {
    if (teachesClass(userId, row)) await assignmentForTeacher(db, userId, row.assignmentId);
    else if (row.studentId === userId) await assignmentForStudent(db, userId, row.assignmentId);
    else throw submissionNotFound();
  } catch {
    throw submissionNotFound();
  }
  let [view] = await readSubmissions(db, eq(submissions.id, submissionId));
  if (await finishPendingGrades(db, [view!])) [view] = await readSubmissions(db, eq(submissions.id, submissionId));
  const [extra] = await db
    .select({ cells: submissions.cells, formatVersion: submissions.formatVersion, studentName: users.displayName, assignmentTitle: assignments.title })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.studentId))
    .innerJoin(assignments, eq(assignments.id, submissions.assignmentId))
    .where(eq(submissions.id, submissionId));
  return { ...view!, studentName: extra!.studentName, assignmentTitle: extra!.assignmentTitle, cells: readStoredCells(extra!).cells };
}

async function finishPendingGrades(db: Database, list: readonly SubmissionView[]): Promise<boolean> {
  let changed = false;
  for (const s of list) {
    if (s.gradingStatus === 'queued' || s.gradingStatus === 'running') changed = (await finishGrading(db, s.id)) || changed;
  }
  return changed;
}

/** Submissions as views, latest first. The one place that reads their jsonb (parsed, never trusted). */
export async function readSubmissions(db: Database, where: ReturnType<typeof and>): Promise<SubmissionView[]> {
  const rows = await db
    .select({
      id: submissions.id,
      assignmentId: submissions.assignmentId,
      studentId: submissions.studentId,
      attempt: submissions.attempt,
      submittedAt: submissions.submittedAt,
      lateBySeconds: submissions.lateBySeconds,
      runId: submissions.runId,
      cellId: submissions.cellId,
      totalParams: submissions.totalParams,
      backend: submissions.backend,
      training: submissions.training,
      metrics: submissions.metrics,
      gradingStatus: submissions.gradingStatus,
      gradingError: submissions.gradingError,
      goalResults: submissions.goalResults,
      testAccuracy: submissions.testAccuracy,
      gradedAt: submissions.gradedAt,
      lockedCellIssues: submissions.lockedCellIssues,
    })
    .from(submissions)
    .where(where)
    .orderBy(desc(submissions.submittedAt), desc(submissions.attempt));
  return rows.map(({ metrics, ...r }) => {
    const goals = goalResultsSchema.safeParse(r.goalResults);
    return {
      ...r,
      submittedAt: r.submittedAt.toISOString(),
      gradedAt: r.gradedAt?.toISOString() ?? null,
      training: readRunTraining(r.training),
      epochs: metrics as EpochMetrics[],
      goalResults: goals.success ? goals.data : [],
      lockedCellIssues: r.lockedCellIssues as LockedCellIssue[],
    };
  });
}
