/**
 * Assignments: a teacher's notebook turned into work for a class they teach, and each
 * student's own copy of it. Who may do what is decided here, never by the role alone:
 * "teaches this class" is classes.teacher_id, "in this class" is class_members. Anyone else
 * gets NOT_FOUND and nothing changes.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { dataSourceSchema, hiddenTestSetProblem, inputColumnsOf, sourceInfo, testSetMismatch, type DataSource, type TestSetFacts } from '../../blocks/format/datasets';
import { getLayer } from '../../blocks/catalog';
import { describeGoal, goalsSchema, type Goal } from '../../blocks/format/goals';
import { NOTEBOOK_FORMAT_VERSION, notebookDataOf, trainingDataOf, type Cell, type NotebookData } from '../../blocks/format/notebook';
import { lockChoiceLabel } from '../../blocks/locked-cells';
import type { Database } from '../../db/client';
import { assignments, classes, classMembers, datasets, datasetShares, notebooks, submissions } from '../../db/schema';
import { announceClassActivity } from './class-activity';
import { assertTeachesClass } from './classes';
import { taughtBy } from './class-teacher';
import { ServiceError, notebookNotFound } from './errors';
import { getNotebook, readStoredCells } from './notebooks';

export const MAX_ASSIGNMENT_TITLE_LENGTH = 120;
/** A class rarely has more in a year; keeps one teacher from filling the table. */
export const MAX_ASSIGNMENTS_PER_CLASS = 200;

export const assignmentNotFound = () =>
  new ServiceError('NOT_FOUND', 'This assignment does not exist, or it is not for a class you are in. Open your home page and pick an assignment from there.');

/** What a student's status on an assignment is, by the server's clock. */
export type AssignmentProgress = 'not started' | 'working' | 'handed in' | 'late';

/** An assignment as its class's teacher sees it in the list. */
export interface TeacherAssignment {
  id: string;
  classId: string;
  className: string;
  title: string;
  dueAt: string;
  goals: Goal[];
  /** Each goal in words ("At most 5,000 parameters"), in the goals' order. */
  goalTexts: string[];
  lockedCellIds: string[];
  /** The assignment notebook's cells in order, each named as where its locks are chosen ("Cell 2 · Model"). */
  cells: { id: string; label: string }[];
  /** The test data's name ("MNIST", an upload's name), or null when no test set is set. */
  testDatasetName: string | null;
  /** The teacher's uploaded hidden test set, all of whose examples grade; null when hand-ins are graded on the test split of the notebook's data. */
  hiddenTestSetId: string | null;
  /** The data the assignment's notebook trains on, which a hidden test set must read like; null when it has none. */
  notebookData: NotebookData | null;
  createdAt: string;
  /** Students who handed in at least once. */
  handedIn: number;
  memberCount: number;
}

/** An assignment as a student of the class sees it on their home page. */
export interface StudentAssignment {
  id: string;
  classId: string;
  className: string;
  title: string;
  dueAt: string;
  goals: Goal[];
  /** Each goal in words, in the goals' order. */
  goalTexts: string[];
  /** Their own copy, once they opened the assignment. */
  notebookId: string | null;
  progress: AssignmentProgress;
  /** Their latest hand-in, if any. */
  latestSubmission: { id: string; submittedAt: string; lateBySeconds: number; gradingStatus: string; goalsMet: number; goalCount: number } | null;
}

/** What the notebook page needs to know about a notebook that belongs to an assignment. */
export interface NotebookAssignmentInfo {
  id: string;
  title: string;
  className: string;
  dueAt: string;
  goals: Goal[];
  /** Each goal in words, in the goals' order. */
  goalTexts: string[];
  lockedCellIds: string[];
  /**
   * The teacher's version of each locked cell, in the assignment's order: a page that learns a
   * cell it holds is now locked puts this version back, so its saves are taken again.
   */
  lockedCells: Cell[];
}

export interface CreateAssignmentInput {
  notebookId: string;
  classId: string;
  title: string;
  /** ISO date-time. */
  dueAt: string;
  lockedCellIds: string[];
  goals: Goal[];
  /** The data whose test split grades hand-ins; missing: the dataset of the notebook's first training cell. */
  testDataset?: DataSource | null;
}

export interface UpdateAssignmentInput {
  id: string;
  title?: string;
  dueAt?: string;
  lockedCellIds?: string[];
  goals?: Goal[];
  /** Another hidden test set; null: the test split of the notebook's data. Hand-ins already graded keep their grades. */
  testDataset?: DataSource | null;
}

export function cleanAssignmentTitle(title: string): string {
  const trimmed = title.trim().replace(/\s+/g, ' ');
  if (trimmed === '') throw new ServiceError('BAD_REQUEST', 'Give the assignment a title, such as “Recognise handwritten digits”.');
  if (trimmed.length > MAX_ASSIGNMENT_TITLE_LENGTH) {
    throw new ServiceError('BAD_REQUEST', `An assignment title can be at most ${MAX_ASSIGNMENT_TITLE_LENGTH} characters long; this one has ${trimmed.length}. Use a shorter title.`);
  }
  return trimmed;
}

function parseDueAt(dueAt: string, now: Date): Date {
  const date = new Date(dueAt);
  if (Number.isNaN(date.getTime())) throw new ServiceError('BAD_REQUEST', 'The due date is not a date. Pick a day and a time in the due date field.');
  if (date.getTime() <= now.getTime()) throw new ServiceError('BAD_REQUEST', 'The due date has already passed. Pick a day and time in the future.');
  return date;
}

function checkLockedCells(cells: readonly Cell[], lockedCellIds: readonly string[]): string[] {
  const ids = new Set(cells.map((c) => c.id));
  const unique = [...new Set(lockedCellIds)];
  const unknown = unique.find((id) => !ids.has(id));
  if (unknown !== undefined) {
    throw new ServiceError('BAD_REQUEST', `The notebook has no cell with the id "${unknown}" to lock. Reload the page and tick the cells to lock again.`);
  }
  return unique;
}

function checkGoals(goals: readonly Goal[]): Goal[] {
  const parsed = goalsSchema.safeParse(goals);
  if (!parsed.success) throw new ServiceError('BAD_REQUEST', `The goals are not valid: ${parsed.error.issues[0]?.message ?? 'check each goal'}.`);
  const ids = new Set<string>();
  for (const goal of parsed.data) {
    if (ids.has(goal.id)) throw new ServiceError('BAD_REQUEST', `Two goals have the same id "${goal.id}". Reload the page and set the goals again.`);
    ids.add(goal.id);
  }
  return parsed.data;
}

const sameSource = (a: DataSource, b: DataSource) =>
  a.kind === 'upload' ? b.kind === 'upload' && a.datasetId === b.datasetId : b.kind === 'builtIn' && a.id === b.id;

/** What a hidden test set is compared on, read from the stored dataset for an upload (never from what the page sent). */
async function testSetFacts(db: Database, source: DataSource): Promise<TestSetFacts | null> {
  if (source.kind === 'builtIn') return sourceInfo(source);
  const [row] = await db
    .select({ name: datasets.name, inputShape: datasets.inputShape, classes: datasets.classes, encodings: datasets.encodings })
    .from(datasets)
    .where(eq(datasets.id, source.datasetId))
    .limit(1);
  return row ? { name: row.name, inputShape: row.inputShape, classes: row.classes, inputColumns: inputColumnsOf(row.encodings) } : null;
}

/**
 * The data hand-ins are graded on: the test split of the notebook's training data when the
 * teacher picks nothing, or a dataset of their own that every example of grades. A picked one
 * stays hidden: it must be private (no class it is shared with, not a school dataset) and in
 * none of the notebook's cells, since students get a copy of every cell; and it must read
 * like the training data (testSetMismatch). Refused picks say what to change.
 */
async function chooseTestDataset(db: Database, teacherId: string, cells: readonly Cell[], given: DataSource | null | undefined): Promise<DataSource | null> {
  const training = trainingDataOf(cells);
  if (!given || (training && sameSource(given, training) && given.kind === 'builtIn')) return training;
  const trainingFacts = training ? await testSetFacts(db, training) : null;
  if (given.kind === 'builtIn') {
    const problem = trainingFacts && testSetMismatch(trainingFacts, sourceInfo(given));
    if (problem) throw new ServiceError('BAD_REQUEST', problem);
    return given;
  }
  const [found] = await db
    .select({ name: datasets.name, ownerId: datasets.ownerId, visibility: datasets.visibility, inputShape: datasets.inputShape, classes: datasets.classes })
    .from(datasets)
    .where(eq(datasets.id, given.datasetId))
    .limit(1);
  if (!found || found.ownerId !== teacherId) {
    throw new ServiceError('BAD_REQUEST', `“${given.name}” is not one of your datasets. A hidden test set must be one you uploaded yourself: upload it, then pick it here.`);
  }
  const sharedWith = await db
    .select({ name: classes.name })
    .from(datasetShares)
    .innerJoin(classes, eq(classes.id, datasetShares.classId))
    .where(eq(datasetShares.datasetId, given.datasetId))
    .orderBy(asc(classes.name));
  const problem = hiddenTestSetProblem(trainingFacts, {
    ...(await testSetFacts(db, given))!,
    visibility: found.visibility,
    sharedWith: sharedWith.map((c) => c.name),
    usedByNotebook: cells.some((c) => c.type === 'data' && c.source.kind === 'upload' && c.source.datasetId === given.datasetId),
  });
  if (problem) throw new ServiceError('BAD_REQUEST', problem);
  const name = found.name;
  return { kind: 'upload', datasetId: given.datasetId, name, inputShape: found.inputShape, classes: found.classes };
}

function requireTestDataset(goals: readonly Goal[], testDataset: DataSource | null): void {
  if (testDataset === null && goals.some((g) => g.kind === 'testAccuracy')) {
    throw new ServiceError('BAD_REQUEST', 'A test accuracy goal needs test data: add a training cell with a dataset to the notebook, or remove the goal.');
  }
}

/** Turns one of the teacher's notebooks into an assignment for a class they teach. */
export async function createAssignment(db: Database, teacherId: string, input: CreateAssignmentInput, now = new Date()): Promise<{ id: string }> {
  await assertTeachesClass(db, teacherId, input.classId);
  const notebook = await getNotebook(db, teacherId, input.notebookId);
  const title = cleanAssignmentTitle(input.title);
  const dueAt = parseDueAt(input.dueAt, now);
  const lockedCellIds = checkLockedCells(notebook.cells, input.lockedCellIds);
  const goals = checkGoals(input.goals);
  const testDataset = await chooseTestDataset(db, teacherId, notebook.cells, input.testDataset ? dataSourceSchema.parse(input.testDataset) : null);
  requireTestDataset(goals, testDataset);

  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(assignments).where(eq(assignments.classId, input.classId));
  if ((count?.n ?? 0) >= MAX_ASSIGNMENTS_PER_CLASS) {
    throw new ServiceError('TOO_MANY_REQUESTS', `This class already has ${MAX_ASSIGNMENTS_PER_CLASS} assignments. Delete old ones before making more.`);
  }
  const [row] = await db
    .insert(assignments)
    .values({
      classId: input.classId,
      teacherId,
      sourceNotebookId: notebook.id,
      title,
      cells: notebook.cells,
      formatVersion: NOTEBOOK_FORMAT_VERSION,
      lockedCellIds,
      goals,
      testDataset,
      dueAt,
    })
    .returning({ id: assignments.id });
  return { id: row!.id };
}

/**
 * The assignment, if the caller teaches its class (./class-teacher.ts: never by role, so not
 * for an admin either); NOT_FOUND otherwise. Other services (the class view, feedback) start from here.
 */
export async function assignmentForTeacher(db: Database, teacherId: string, assignmentId: string) {
  const [row] = await db
    .select({ assignment: assignments, className: classes.name })
    .from(assignments)
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .where(and(eq(assignments.id, assignmentId), taughtBy(teacherId)))
    .limit(1);
  if (!row) throw assignmentNotFound();
  return { ...row.assignment, className: row.className };
}

/** The assignment, if the caller is a member (student) of its class; NOT_FOUND otherwise. */
export async function assignmentForStudent(db: Database, studentId: string, assignmentId: string) {
  const [row] = await db
    .select({ assignment: assignments, className: classes.name })
    .from(assignments)
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .innerJoin(classMembers, and(eq(classMembers.classId, assignments.classId), eq(classMembers.userId, studentId)))
    .where(eq(assignments.id, assignmentId))
    .limit(1);
  if (!row) throw assignmentNotFound();
  return { ...row.assignment, className: row.className };
}

/** A goal in the words the pages show, with layer names as the blocks say them. */
export function goalText(goal: Goal): string {
  return describeGoal(goal, (key) => getLayer(key)?.label ?? key);
}

export function readGoals(stored: unknown): Goal[] {
  const parsed = goalsSchema.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

export function readTestDataset(stored: unknown): DataSource | null {
  const parsed = dataSourceSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * The id of the uploaded hidden test set the teacher picked, every example of which grades;
 * null when hand-ins are graded on the test split of the notebook's own data (also an upload
 * when its data cell holds one). Told apart by the template's training data, so nothing
 * more is stored.
 */
export function hiddenTestSetOf(assignment: { cells: unknown; formatVersion: number; testDataset: unknown }): string | null {
  const test = readTestDataset(assignment.testDataset);
  if (test?.kind !== 'upload') return null;
  const training = trainingDataOf(readAssignmentCells(assignment));
  return training && sameSource(training, test) ? null : test.datasetId;
}

/** The template's cells as stored, read through the one reading point. */
export function readAssignmentCells(row: { cells: unknown; formatVersion: number }): Cell[] {
  return readStoredCells(row).cells;
}

/** The teacher changes title, due date, goals or locks; students never can (they fail the teacher check). */
export async function updateAssignment(db: Database, teacherId: string, input: UpdateAssignmentInput, now = new Date()): Promise<{ id: string }> {
  const current = await assignmentForTeacher(db, teacherId, input.id);
  const set: Partial<typeof assignments.$inferInsert> = { updatedAt: now };
  if (input.title !== undefined) set.title = cleanAssignmentTitle(input.title);
  if (input.dueAt !== undefined) {
    const date = new Date(input.dueAt);
    if (Number.isNaN(date.getTime())) throw new ServiceError('BAD_REQUEST', 'The due date is not a date. Pick a day and a time in the due date field.');
    // Moving a due date into the past is allowed (closing an assignment early); hand-ins after it are late.
    set.dueAt = date;
  }
  if (input.lockedCellIds !== undefined) set.lockedCellIds = checkLockedCells(readAssignmentCells(current), input.lockedCellIds);
  let testDataset = readTestDataset(current.testDataset);
  if (input.testDataset !== undefined) {
    testDataset = await chooseTestDataset(db, teacherId, readAssignmentCells(current), input.testDataset ? dataSourceSchema.parse(input.testDataset) : null);
    requireTestDataset(readGoals(current.goals), testDataset);
    set.testDataset = testDataset;
  }
  if (input.goals !== undefined) {
    const goals = checkGoals(input.goals);
    requireTestDataset(goals, testDataset);
    set.goals = goals;
  }
  await db.update(assignments).set(set).where(eq(assignments.id, current.id));
  return { id: current.id };
}

/** Submissions go with it; students' copies stay as plain notebooks (assignment_id set null). */
export async function deleteAssignment(db: Database, teacherId: string, assignmentId: string): Promise<{ ok: true }> {
  const current = await assignmentForTeacher(db, teacherId, assignmentId);
  await db.delete(assignments).where(eq(assignments.id, current.id));
  return { ok: true };
}

/** A class's assignments for its teacher, soonest due first. */
export async function listClassAssignments(db: Database, teacherId: string, classId: string): Promise<TeacherAssignment[]> {
  const taught = await assertTeachesClass(db, teacherId, classId);
  const rows = await db.select().from(assignments).where(eq(assignments.classId, classId)).orderBy(asc(assignments.dueAt), asc(assignments.createdAt));
  const [members] = await db.select({ n: sql<number>`count(*)::int` }).from(classMembers).where(eq(classMembers.classId, classId));
  const handedIn = rows.length
    ? await db
        .select({ assignmentId: submissions.assignmentId, n: sql<number>`count(distinct ${submissions.studentId})::int` })
        .from(submissions)
        .where(inArray(
          submissions.assignmentId,
          rows.map((r) => r.id),
        ))
        .groupBy(submissions.assignmentId)
    : [];
  return rows.map((row) => {
    const test = readTestDataset(row.testDataset);
    const goals = readGoals(row.goals);
    const cells = readAssignmentCells(row);
    return {
      id: row.id,
      classId,
      className: taught.name,
      title: row.title,
      dueAt: row.dueAt.toISOString(),
      goals,
      goalTexts: goals.map(goalText),
      lockedCellIds: row.lockedCellIds,
      cells: cells.map((cell, index) => ({ id: cell.id, label: lockChoiceLabel(cell, index) })),
      testDatasetName: test ? sourceInfo(test).name : null,
      hiddenTestSetId: hiddenTestSetOf(row),
      notebookData: notebookDataOf(cells),
      createdAt: row.createdAt.toISOString(),
      handedIn: handedIn.find((h) => h.assignmentId === row.id)?.n ?? 0,
      memberCount: members?.n ?? 0,
    };
  });
}

/** The assignments of every class the student is in, with their own progress, soonest due first. */
export async function listMyAssignments(db: Database, studentId: string): Promise<StudentAssignment[]> {
  const rows = await db
    .select({
      id: assignments.id,
      classId: assignments.classId,
      className: classes.name,
      title: assignments.title,
      dueAt: assignments.dueAt,
      goals: assignments.goals,
      notebookId: notebooks.id,
    })
    .from(assignments)
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .innerJoin(classMembers, and(eq(classMembers.classId, assignments.classId), eq(classMembers.userId, studentId)))
    .leftJoin(notebooks, and(eq(notebooks.assignmentId, assignments.id), eq(notebooks.ownerId, studentId)))
    .orderBy(asc(assignments.dueAt), asc(assignments.createdAt));
  const ids = rows.map((r) => r.id);
  const latest = ids.length
    ? await db
        .selectDistinctOn([submissions.assignmentId], {
          assignmentId: submissions.assignmentId,
          id: submissions.id,
          submittedAt: submissions.submittedAt,
          lateBySeconds: submissions.lateBySeconds,
          gradingStatus: submissions.gradingStatus,
          goalResults: submissions.goalResults,
        })
        .from(submissions)
        .where(and(eq(submissions.studentId, studentId), inArray(submissions.assignmentId, ids)))
        .orderBy(submissions.assignmentId, desc(submissions.attempt))
    : [];
  return rows.map((row) => {
    const goals = readGoals(row.goals);
    const mine = latest.find((s) => s.assignmentId === row.id);
    const progress: AssignmentProgress = mine
      ? mine.lateBySeconds > 0
        ? 'late'
        : 'handed in'
      : row.notebookId
        ? 'working'
        : 'not started';
    return {
      id: row.id,
      classId: row.classId,
      className: row.className,
      title: row.title,
      dueAt: row.dueAt.toISOString(),
      goals,
      goalTexts: goals.map(goalText),
      notebookId: row.notebookId,
      progress,
      latestSubmission: mine
        ? {
            id: mine.id,
            submittedAt: mine.submittedAt.toISOString(),
            lateBySeconds: mine.lateBySeconds,
            gradingStatus: mine.gradingStatus,
            goalsMet: (mine.goalResults as { met?: boolean }[]).filter((r) => r?.met === true).length,
            goalCount: goals.length,
          }
        : null,
    };
  });
}

/**
 * A student opens an assignment: the first time they get their own copy of the starter
 * cells, linked to it; every later time the same copy. Two tabs opening at once still make
 * one copy (the unique index decides, the loser reads the winner's).
 */
export async function openAssignment(db: Database, studentId: string, assignmentId: string): Promise<{ notebookId: string; created: boolean }> {
  const assignment = await assignmentForStudent(db, studentId, assignmentId);
  const existing = await findCopy(db, studentId, assignment.id);
  if (existing) return { notebookId: existing, created: false };
  const cells = readAssignmentCells(assignment);
  const [inserted] = await db
    .insert(notebooks)
    .values({ ownerId: studentId, title: assignment.title, cells, formatVersion: NOTEBOOK_FORMAT_VERSION, assignmentId: assignment.id })
    .onConflictDoNothing()
    .returning({ id: notebooks.id });
  if (inserted) {
    await announceClassActivity(db, { assignmentId: assignment.id, studentId, what: 'started' });
    return { notebookId: inserted.id, created: true };
  }
  const raced = await findCopy(db, studentId, assignment.id);
  if (!raced) throw new ServiceError('CONFLICT', 'Could not make your copy of the assignment just now. Press Open again.');
  return { notebookId: raced, created: false };
}

async function findCopy(db: Database, studentId: string, assignmentId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: notebooks.id })
    .from(notebooks)
    .where(and(eq(notebooks.assignmentId, assignmentId), eq(notebooks.ownerId, studentId)))
    .limit(1);
  return row?.id ?? null;
}

/** For the notebook page: the assignment a notebook is its owner's copy of, or null; NOT_FOUND for someone else's notebook. */
export async function notebookAssignment(db: Database, userId: string, notebookId: string): Promise<NotebookAssignmentInfo | null> {
  const [row] = await db
    .select({
      notebookId: notebooks.id,
      id: assignments.id,
      title: assignments.title,
      className: classes.name,
      dueAt: assignments.dueAt,
      goals: assignments.goals,
      lockedCellIds: assignments.lockedCellIds,
      cells: assignments.cells,
      formatVersion: assignments.formatVersion,
    })
    .from(notebooks)
    .leftJoin(assignments, eq(assignments.id, notebooks.assignmentId))
    .leftJoin(classes, eq(classes.id, assignments.classId))
    .where(and(eq(notebooks.id, notebookId), eq(notebooks.ownerId, userId)))
    .limit(1);
  if (!row) throw notebookNotFound();
  if (!row.id || !row.title || !row.dueAt || !row.className) return null;
  const goals = readGoals(row.goals);
  const lockedCellIds = row.lockedCellIds ?? [];
  const lockedCells = row.formatVersion === null ? [] : readAssignmentCells({ cells: row.cells, formatVersion: row.formatVersion }).filter((cell) => lockedCellIds.includes(cell.id));
  return { id: row.id, title: row.title, className: row.className, dueAt: row.dueAt.toISOString(), goals, goalTexts: goals.map(goalText), lockedCellIds, lockedCells };
}
