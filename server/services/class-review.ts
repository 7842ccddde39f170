import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { compileCell, compileSpec, WITHOUT_MEMORY_CHECK, type CompiledLayer } from '../../blocks/compile';
import { goalResultsSchema, describeGoal, type GoalResult } from '../../blocks/format/goals';
import { migrateSpec } from '../../blocks/format/migrations';
import type { LayerNode } from '../../blocks/format/model-spec';
import { getLayer } from '../../blocks/catalog';
import type { Database } from '../../db/client';
import { assignments, classes, classMembers, notebooks, runMetrics, runs, submissionFeedback, submissions, users, type RunStatus } from '../../db/schema';
import { readGoals } from './assignments';
import { teachesClass } from './class-teacher';
import { ServiceError } from './errors';
import { readStoredCells } from './notebooks';
import { readRunTraining } from './run-snapshot';
import { studentsOwnRun } from './run-store';
import type { SessionUser } from './sessions';

/**
 * The teacher's view of a class's work on one assignment: every student's progress, goals,
 * best accuracy, network and curves, in one read. Only the class's own teacher may see it
 * (./class-teacher.ts); to anyone else, an admin included, the assignment does not exist.
 */
export type ReviewProgress = 'not started' | 'working' | 'handed in' | 'late';

export interface ReviewCurvePoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface ReviewNetwork {
  /** The graph (ids, types, settings, inputs), for the picture's branches. */
  layers: LayerNode[];
  /** Shapes and parameters per layer from the shape checker. */
  compiled: CompiledLayer[];
  /** Where it comes from, in words: "handed in", "run of 14:02", "current blocks". */
  source: string;
}

export interface ReviewRun {
  id: string;
  status: RunStatus;
  /** Epochs the run was set to train, so the chart keeps room for the rest while it trains. */
  plannedEpochs: number;
  epochs: ReviewCurvePoint[];
  testAccuracy: number | null;
  createdAt: string;
  /** True for the run shown because it trains right now (it may not be the best yet). */
  live: boolean;
}

export interface ReviewSubmission {
  id: string;
  attempt: number;
  submittedAt: string;
  lateBySeconds: number;
  gradingStatus: string;
  goalResults: GoalResult[];
  testAccuracy: number | null;
  totalParams: number;
  /** How many locked cells the hand-in changed or lost (flagged for the teacher, never refused). */
  lockedCellIssues: number;
  /** The teacher's mark, and when the feedback was returned (null: a draft, or none yet). */
  mark: string | null;
  returnedAt: string | null;
}

export interface ReviewStudent {
  studentId: string;
  displayName: string;
  progress: ReviewProgress;
  notebookId: string | null;
  submission: ReviewSubmission | null;
  submissionCount: number;
  runCount: number;
  /** The autograder's figure on the hidden test set when handed in and graded; otherwise the best run's own test accuracy. */
  bestTestAccuracy: number | null;
  params: number | null;
  lastActivity: string | null;
  network: ReviewNetwork | null;
  run: ReviewRun | null;
}

export interface ClassReview {
  assignment: { id: string; title: string; dueAt: string; classId: string; className: string; goals: { id: string; text: string }[] };
  students: ReviewStudent[];
}

export const reviewNotFound = () =>
  new ServiceError('NOT_FOUND', 'This assignment does not exist, or you are not the teacher of its class. Open it from your Classes page.');

/** The assignment and its class when `user` teaches that class; NOT_FOUND otherwise. */
export async function assignmentForReviewer(db: Database, user: Pick<SessionUser, 'id' | 'role'>, assignmentId: string) {
  const [row] = await db
    .select({ assignment: assignments, className: classes.name, teacherId: classes.teacherId })
    .from(assignments)
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .where(eq(assignments.id, assignmentId))
    .limit(1);
  if (!row || !teachesClass(user.id, row)) throw reviewNotFound();
  return row;
}

export async function classReview(db: Database, user: Pick<SessionUser, 'id' | 'role'>, assignmentId: string): Promise<ClassReview> {
  const { assignment, className } = await assignmentForReviewer(db, user, assignmentId);

  const members = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(classMembers)
    .innerJoin(users, eq(users.id, classMembers.userId))
    .where(eq(classMembers.classId, assignment.classId))
    .orderBy(asc(users.displayName));
  const memberIds = members.map((m) => m.id);

  const copies = memberIds.length
    ? await db
        .select({ id: notebooks.id, ownerId: notebooks.ownerId, cells: notebooks.cells, formatVersion: notebooks.formatVersion, updatedAt: notebooks.updatedAt })
        .from(notebooks)
        .where(and(eq(notebooks.assignmentId, assignment.id), inArray(notebooks.ownerId, memberIds)))
    : [];
  const copyByOwner = new Map(copies.map((c) => [c.ownerId, c]));

  const handIns = memberIds.length
    ? await db
        .select()
        .from(submissions)
        .where(and(eq(submissions.assignmentId, assignment.id), inArray(submissions.studentId, memberIds)))
        .orderBy(desc(submissions.attempt))
    : [];
  const handInsByStudent = groupBy(handIns, (s) => s.studentId);
  const latestIds = [...handInsByStudent.values()].map((list) => list[0]!.id);
  const feedbackRows = latestIds.length
    ? await db
        .select({ submissionId: submissionFeedback.submissionId, mark: submissionFeedback.mark, returnedAt: submissionFeedback.returnedAt })
        .from(submissionFeedback)
        .where(inArray(submissionFeedback.submissionId, latestIds))
    : [];
  const feedbackBySubmission = new Map(feedbackRows.map((f) => [f.submissionId, f]));

  const copyIds = copies.map((c) => c.id);
  const copyRuns = copyIds.length
    ? await db
        .select({
          id: runs.id,
          notebookId: runs.notebookId,
          status: runs.status,
          testAccuracy: runs.testAccuracy,
          totalParams: runs.totalParams,
          createdAt: runs.createdAt,
          finishedAt: runs.finishedAt,
        })
        .from(runs)
        // The autograder's runs sit on the copy too, under no cell: they are not the student's work.
        .where(and(inArray(runs.notebookId, copyIds), studentsOwnRun))
        .orderBy(desc(runs.createdAt))
    : [];
  const runsByNotebook = groupBy(copyRuns, (r) => r.notebookId);

  // One run per student gets its curves: the one training now, else the best finished one.
  const shown = new Map<string, (typeof copyRuns)[number]>();
  for (const copy of copies) {
    const list = runsByNotebook.get(copy.id) ?? [];
    const live = list.find((r) => r.status === 'running' || r.status === 'queued');
    const best = list
      .filter((r) => r.status === 'succeeded')
      .reduce<(typeof list)[number] | null>((a, b) => (a === null || (b.testAccuracy ?? -1) > (a.testAccuracy ?? -1) ? b : a), null);
    const chosen = live ?? best ?? list[0];
    if (chosen) shown.set(copy.ownerId, chosen);
  }
  const shownIds = [...shown.values()].map((r) => r.id);
  // Specs and settings only of the runs on screen: this is read every few seconds during a lesson.
  const snapshots = shownIds.length
    ? await db.select({ id: runs.id, spec: runs.spec, training: runs.training }).from(runs).where(inArray(runs.id, shownIds))
    : [];
  const snapshotById = new Map(snapshots.map((r) => [r.id, r]));
  const metrics = shownIds.length
    ? await db.select().from(runMetrics).where(inArray(runMetrics.runId, shownIds)).orderBy(asc(runMetrics.epoch))
    : [];
  const metricsByRun = groupBy(metrics, (m) => m.runId);

  const goals = readGoals(assignment.goals);
  const students: ReviewStudent[] = members.map((member) => {
    const copy = copyByOwner.get(member.id) ?? null;
    const mine = handInsByStudent.get(member.id) ?? [];
    const latest = mine[0] ?? null;
    const myRuns = copy ? (runsByNotebook.get(copy.id) ?? []) : [];
    const run = shown.get(member.id) ?? null;
    const bestRunAccuracy = maxOrNull(myRuns.map((r) => r.testAccuracy));
    const submission: ReviewSubmission | null = latest
      ? {
          id: latest.id,
          attempt: latest.attempt,
          submittedAt: latest.submittedAt.toISOString(),
          lateBySeconds: latest.lateBySeconds,
          gradingStatus: latest.gradingStatus,
          goalResults: readGoalResults(latest.goalResults),
          testAccuracy: latest.testAccuracy,
          totalParams: latest.totalParams,
          lockedCellIssues: Array.isArray(latest.lockedCellIssues) ? latest.lockedCellIssues.length : 0,
          mark: feedbackBySubmission.get(latest.id)?.mark ?? null,
          returnedAt: feedbackBySubmission.get(latest.id)?.returnedAt?.toISOString() ?? null,
        }
      : null;
    const activity = [copy?.updatedAt, ...myRuns.flatMap((r) => [r.createdAt, r.finishedAt]), latest?.submittedAt].filter((d): d is Date => d instanceof Date);
    return {
      studentId: member.id,
      displayName: member.displayName,
      progress: latest ? (latest.lateBySeconds > 0 ? 'late' : 'handed in') : copy ? 'working' : 'not started',
      notebookId: copy?.id ?? null,
      submission,
      submissionCount: mine.length,
      runCount: myRuns.length,
      bestTestAccuracy: submission?.testAccuracy ?? bestRunAccuracy,
      params: submission?.totalParams ?? run?.totalParams ?? null,
      lastActivity: activity.length ? new Date(Math.max(...activity.map((d) => d.getTime()))).toISOString() : null,
      network: latest ? networkFromSpec(latest.spec, 'handed in') : run && snapshotById.has(run.id) ? networkFromSpec(snapshotById.get(run.id)!.spec, 'trained') : copy ? networkFromCells(copy.cells, copy.formatVersion) : null,
      run: run
        ? {
            id: run.id,
            status: run.status,
            plannedEpochs: readRunTraining(snapshotById.get(run.id)?.training)?.epochs ?? 0,
            epochs: (metricsByRun.get(run.id) ?? []).map((m) => ({ epoch: m.epoch, loss: m.loss, accuracy: m.accuracy, valLoss: m.valLoss, valAccuracy: m.valAccuracy })),
            testAccuracy: run.testAccuracy,
            createdAt: run.createdAt.toISOString(),
            live: run.status === 'running' || run.status === 'queued',
          }
        : null,
    };
  });

  return {
    assignment: {
      id: assignment.id,
      title: assignment.title,
      dueAt: assignment.dueAt.toISOString(),
      classId: assignment.classId,
      className,
      goals: goals.map((g) => ({ id: g.id, text: describeGoal(g, (key) => getLayer(key)?.label ?? key) })),
    },
    students,
  };
}

/** A stored spec (a run's or a hand-in's snapshot) as a picture's input; null when it is damaged. */
export function networkFromSpec(stored: unknown, source: string): ReviewNetwork | null {
  try {
    const spec = migrateSpec(stored);
    return { layers: spec.layers, compiled: compileSpec(spec, WITHOUT_MEMORY_CHECK).layers, source };
  } catch {
    return null;
  }
}

/** A student's current blocks, before any run: the first model cell, compiled as the notebook would. */
export function networkFromCells(stored: unknown, formatVersion: number): ReviewNetwork | null {
  try {
    const model = readStoredCells({ cells: stored, formatVersion }).cells.find((c) => c.type === 'model');
    if (!model) return null;
    const result = compileCell(model.workspace, WITHOUT_MEMORY_CHECK);
    if (result.layers.length === 0) return null;
    // With problems there is no spec: draw the layers as the chain the table shows.
    const layers: LayerNode[] = result.spec?.layers ?? result.layers.map((l, i, all) => ({ id: l.id, type: l.type, args: {}, inputs: i === 0 ? [] : [all[i - 1]!.id] }));
    return { layers, compiled: result.layers, source: 'current blocks' };
  } catch {
    return null;
  }
}

export function readGoalResults(stored: unknown): GoalResult[] {
  const parsed = goalResultsSchema.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

function maxOrNull(values: readonly (number | null)[]): number | null {
  const numbers = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return numbers.length ? Math.max(...numbers) : null;
}
