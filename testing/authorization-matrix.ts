import { eq } from 'drizzle-orm';
import { NOTEBOOK_FORMAT_VERSION } from '../blocks/format/notebook';
import { assignments, datasets, datasetShares, feedbackComments, notebooks, runs, runWeights, submissionFeedback, submissions, submissionWeights } from '../db/schema';
import { appRouter } from '../server/api/root';
import type { Auth } from '../server/auth/better-auth';
import { openAssignment } from '../server/services/assignments';
import { createCsvDataset } from '../server/services/datasets';
import { createNotebook, readStoredCells } from '../server/services/notebooks';
import { startRun } from '../server/services/runs';
import type { TestDatabase } from './database';
import { FakeRunQueue } from './fake-run-queue';
import { CALLERS, type CallerName, type School } from './school';

/**
 * Who may see what, procedure by procedure. Every procedure of the API is one row (or
 * several: one per kind of thing it can be asked about), and each row is tried by every
 * caller of a small school (testing/school.ts). Only the callers a row allows may succeed;
 * everyone else gets NOT_FOUND — a stranger cannot even learn the thing exists — or
 * UNAUTHORIZED for a signed-out visitor asking to change something, and the database is
 * exactly as it was. A procedure with no row fails the test, so a new one cannot slip in.
 */

export type Action = 'read' | 'change' | 'delete';
export type Refusal = 'NOT_FOUND' | 'UNAUTHORIZED' | 'BAD_REQUEST' | 'FORBIDDEN' | 'CONFLICT';
export type Fixture = Record<string, string>;

export interface World {
  db: TestDatabase['db'];
  school: School;
  /** Accounts, for procedures that make or change them (directly called procedures get it in ctx.auth). */
  auth?: Auth;
}

export interface MatrixRow {
  procedure: string;
  /** What the id names, when a procedure is tried on several kinds of thing. */
  about: string;
  action: Action;
  /** Makes the thing asked about (the school already exists); returns its ids. */
  make(world: World): Promise<Fixture>;
  /** The input the caller sends. The caller is given for inputs that name the caller's own things. */
  input(fixture: Fixture, world: World, caller: CallerName): unknown;
  allowed: readonly CallerName[];
  /** How everyone else is refused when it is not NOT_FOUND: FORBIDDEN for what only an admin may do, whatever the id. */
  otherwise?: Refusal;
  /**
   * A refusal other than NOT_FOUND for a caller who knows the thing exists anyway (the
   * teacher leaving their own class). A visitor's refusal is UNAUTHORIZED for changes and
   * NOT_FOUND for reads unless said here.
   */
  refusals?: Partial<Record<CallerName, Refusal>>;
}

/** Procedures that name nothing that belongs to anyone, each with why it needs no row. */
export const TAKES_NO_ID: Record<string, string> = {
  'notebook.list': "lists the caller's own notebooks (checked below: nobody else's appear)",
  'notebook.create': 'makes a notebook owned by the session user; the input names no owner',
  'notebook.openStarter': 'copies the starter notebook for the session user',
  'dataset.list': 'lists what the caller may read (checked below)',
  'dataset.preview': 'previews a built-in dataset, the same for everyone',
  'class.list': "lists the caller's own classes (checked below)",
  'class.create': 'makes a class taught by the session user',
  'class.join': 'takes a join code, which is the invitation itself; guessing codes is rate-limited (server/rate-limit tests)',
  'account.me': 'says who the session user is',
  'account.signUp': 'makes a new account; a class or teacher code is the invitation (server/auth tests)',
  'account.bringAnonymousWork': "moves this browser's own anonymous work into the signed-in account",
  'account.changePassword': "changes the signed-in account's own password, given the current one",
  'assignment.mine': "lists the assignments of the caller's classes (checked below)",
};

const CSV = new TextEncoder().encode('a,b,k\n' + Array.from({ length: 12 }, (_, i) => `${i},${i * 2},${i % 2 ? 'odd' : 'even'}`).join('\n'));

export async function upload(db: World['db'], ownerId: string, name: string, visibility: 'private' | 'school' = 'private'): Promise<string> {
  const { id } = await createCsvDataset(db, ownerId, CSV, {
    name,
    label: 'k',
    features: [{ column: 'a', as: 'number' }],
    normalization: 'none',
    split: { train: 60, validation: 20, test: 20 },
    seed: 1,
  });
  if (visibility === 'school') await db.update(datasets).set({ visibility }).where(eq(datasets.id, id));
  return id;
}

export async function ownersNotebook({ db, school }: World): Promise<Fixture> {
  const { id } = await createNotebook(db, school.people.owner.id, { title: "Owner's notebook" });
  const [row] = await db.select().from(notebooks).where(eq(notebooks.id, id));
  const training = readStoredCells(row!).cells.find((c) => c.type === 'training')!;
  return { notebookId: id, trainingCellId: training.id };
}

export async function ownersRun(world: World): Promise<Fixture> {
  const notebook = await ownersNotebook(world);
  const { runId } = await startRun(world.db, new FakeRunQueue(), world.school.people.owner.id, { notebookId: notebook.notebookId, cellId: notebook.trainingCellId });
  return { ...notebook, runId };
}

export async function teachersSharedDataset({ db, school }: World): Promise<Fixture> {
  const datasetId = await upload(db, school.people.teacher.id, "Teacher's data");
  await db.insert(datasetShares).values({ datasetId, classId: school.classA });
  return { datasetId, classId: school.classA };
}

/** A data cell's source naming the fixture's upload (name, shape and classes are the cell's copy; the server reads the stored ones). */
const uploadSource = (f: Fixture) => ({ source: { kind: 'upload', datasetId: f.datasetId, name: 'Data', inputShape: [1], classes: ['even', 'odd'] }, limit: 3 });

/** A dataset of each person's own, for rows where the caller offers their own thing. */
async function everyonesDataset({ db, school }: World): Promise<Fixture> {
  const fixture: Fixture = {};
  for (const [name, user] of Object.entries(school.people)) fixture[name] = await upload(db, user.id, `${name}'s data`);
  return fixture;
}


/** An assignment for class A made from the teacher's notebook, its first cell locked, due tomorrow. */
export async function classAssignment(world: World): Promise<Fixture> {
  const { db, school } = world;
  const { id: notebookId } = await createNotebook(db, school.people.teacher.id, { title: 'Digits' });
  const [row] = await db.select().from(notebooks).where(eq(notebooks.id, notebookId));
  const cells = readStoredCells(row!).cells;
  const [assignment] = await db
    .insert(assignments)
    .values({
      classId: school.classA,
      teacherId: school.people.teacher.id,
      sourceNotebookId: notebookId,
      title: 'Digits',
      cells,
      formatVersion: NOTEBOOK_FORMAT_VERSION,
      lockedCellIds: [cells[0]!.id],
      goals: [{ id: 'size', kind: 'maxParams', max: 1_000_000 }],
      dueAt: new Date(Date.now() + 86_400_000),
    })
    .returning({ id: assignments.id });
  return { assignmentId: assignment!.id, teacherNotebookId: notebookId, lockedCellId: cells[0]!.id };
}

/** Class A's assignment graded on a hidden test set: the teacher's private upload, which no student may reach. */
export async function hiddenTestSetAssignment(world: World): Promise<Fixture> {
  const fixture = await classAssignment(world);
  const datasetId = await upload(world.db, world.school.people.teacher.id, 'Exam rows');
  const [row] = await world.db.select({ inputShape: datasets.inputShape, classes: datasets.classes }).from(datasets).where(eq(datasets.id, datasetId));
  const testDataset = { kind: 'upload', datasetId, name: 'Exam rows', inputShape: row!.inputShape, classes: row!.classes };
  await world.db.update(assignments).set({ testDataset }).where(eq(assignments.id, fixture.assignmentId!));
  return { ...fixture, datasetId, classId: world.school.classA };
}

/** The owner's copy of class A's assignment, with a finished run that has weights. */
export async function ownersCopy(world: World): Promise<Fixture> {
  const fixture = await classAssignment(world);
  const owner = world.school.people.owner;
  const { notebookId } = await openAssignment(world.db, owner.id, fixture.assignmentId!);
  const [row] = await world.db.select().from(notebooks).where(eq(notebooks.id, notebookId));
  const trainingCellId = readStoredCells(row!).cells.find((c) => c.type === 'training')!.id;
  const { runId } = await startRun(world.db, new FakeRunQueue(), owner.id, { notebookId, cellId: trainingCellId });
  await world.db.update(runs).set({ status: 'succeeded', finishedAt: new Date(), testAccuracy: 0.5, testLoss: 1 }).where(eq(runs.id, runId));
  await world.db.insert(runWeights).values({ runId, modelTopology: { class_name: 'Sequential' }, weightSpecs: [], weightData: new Uint8Array([1, 2, 3, 4]) });
  return { ...fixture, copyId: notebookId, trainingCellId, runId };
}

/** The owner's graded hand-in, with a returned mark and a comment on its first cell. */
export async function ownersSubmission(world: World): Promise<Fixture> {
  const fixture = await ownersCopy(world);
  const { db, school } = world;
  const [copy] = await db.select().from(notebooks).where(eq(notebooks.id, fixture.copyId!));
  const [run] = await db.select().from(runs).where(eq(runs.id, fixture.runId!));
  const [submission] = await db
    .insert(submissions)
    .values({
      assignmentId: fixture.assignmentId!,
      studentId: school.people.owner.id,
      notebookId: fixture.copyId!,
      attempt: 1,
      cells: copy!.cells,
      formatVersion: copy!.formatVersion,
      runId: run!.id,
      cellId: run!.cellId,
      spec: run!.spec,
      training: run!.training,
      metrics: [],
      totalParams: run!.totalParams,
      gradingStatus: 'graded',
      goalResults: [{ goalId: 'size', kind: 'maxParams', met: true, value: run!.totalParams, message: 'small enough' }],
      testAccuracy: 0.5,
    })
    .returning({ id: submissions.id });
  const submissionId = submission!.id;
  await db.insert(submissionWeights).values({ submissionId, modelTopology: { class_name: 'Sequential' }, weightSpecs: [], weightData: new Uint8Array([1, 2, 3, 4]) });
  await db.insert(submissionFeedback).values({ submissionId, teacherId: school.people.teacher.id, comment: 'Well done', mark: '7/10', returnedAt: new Date() });
  const [comment] = await db
    .insert(feedbackComments)
    .values({ submissionId, cellId: fixture.lockedCellId!, body: 'Read this again', authorId: school.people.teacher.id })
    .returning({ id: feedbackComments.id });
  return { ...fixture, submissionId, commentId: comment!.id };
}


/** A notebook of each person's own, for rows where the caller offers their own thing. */
async function everyonesNotebook({ db, school }: World): Promise<Fixture> {
  const fixture: Fixture = {};
  for (const [name, user] of Object.entries(school.people)) fixture[name] = (await createNotebook(db, user.id, { title: `${name}'s notebook` })).id;
  return fixture;
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();

export const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const classA = (_: Fixture, { school }: World) => ({ classId: school.classA });

export const MATRIX: readonly MatrixRow[] = [
  // Notebooks: only their owner, whoever else is in the class (the teacher's view of student work comes with submissions).
  { procedure: 'notebook.get', about: "a student's notebook", action: 'read', make: ownersNotebook, input: (f) => ({ id: f.notebookId }), allowed: ['owner'] },
  {
    procedure: 'notebook.save',
    about: "a student's notebook",
    action: 'change',
    make: ownersNotebook,
    input: (f) => ({ id: f.notebookId, version: 1, title: 'Changed', cells: [{ id: 'm1', type: 'markdown', source: 'changed' }] }),
    allowed: ['owner'],
  },
  { procedure: 'notebook.delete', about: "a student's notebook", action: 'delete', make: ownersNotebook, input: (f) => ({ id: f.notebookId }), allowed: ['owner'] },

  // Runs belong to the notebook's owner.
  { procedure: 'run.start', about: "a student's training cell", action: 'change', make: ownersNotebook, input: (f) => ({ notebookId: f.notebookId, cellId: f.trainingCellId }), allowed: ['owner'] },
  { procedure: 'run.list', about: "a student's notebook", action: 'read', make: ownersRun, input: (f) => ({ notebookId: f.notebookId }), allowed: ['owner'] },
  { procedure: 'run.get', about: "a student's run", action: 'read', make: ownersRun, input: (f) => ({ runId: f.runId }), allowed: ['owner'] },
  { procedure: 'run.checkingExamples', about: "a student's run", action: 'read', make: ownersRun, input: (f) => ({ runId: f.runId, limit: 3 }), allowed: ['owner'] },
  { procedure: 'run.events', about: "a student's run", action: 'read', make: ownersRun, input: (f) => ({ runId: f.runId }), allowed: ['owner'] },
  { procedure: 'run.cancel', about: "a student's run", action: 'change', make: ownersRun, input: (f) => ({ runId: f.runId }), allowed: ['owner'] },

  // Datasets: read by the owner, the classes it is shared with (teacher included) and, for a school dataset, everyone.
  {
    procedure: 'dataset.get',
    about: "a student's private upload",
    action: 'read',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.owner.id, "Owner's data") }),
    input: (f) => ({ id: f.datasetId }),
    allowed: ['owner'],
  },
  { procedure: 'dataset.get', about: "the teacher's upload shared with class A", action: 'read', make: teachersSharedDataset, input: (f) => ({ id: f.datasetId }), allowed: ['owner', 'classmate', 'teacher'] },
  {
    procedure: 'dataset.get',
    about: 'a school dataset',
    action: 'read',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.otherTeacher.id, 'School data', 'school') }),
    input: (f) => ({ id: f.datasetId }),
    allowed: CALLERS,
  },
  {
    procedure: 'dataset.delete',
    about: "a student's private upload",
    action: 'delete',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.owner.id, "Owner's data") }),
    input: (f) => ({ id: f.datasetId }),
    allowed: ['owner'],
  },
  { procedure: 'dataset.delete', about: "the teacher's upload shared with class A", action: 'delete', make: teachersSharedDataset, input: (f) => ({ id: f.datasetId }), allowed: ['teacher'] },
  {
    procedure: 'dataset.share',
    about: "the teacher's upload, with class A",
    action: 'change',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.teacher.id, "Teacher's data") }),
    input: (f, w) => ({ id: f.datasetId, ...classA(f, w) }),
    allowed: ['teacher'],
  },
  {
    procedure: 'dataset.share',
    about: "the caller's own upload, with class A",
    action: 'change',
    make: everyonesDataset,
    input: (f, w, caller) => ({ id: f[caller] ?? NO_SUCH_ID, ...classA(f, w) }),
    allowed: ['teacher'],
  },
  {
    procedure: 'dataset.share',
    about: "a student's upload, with class A",
    action: 'change',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.owner.id, "Owner's data") }),
    input: (f, w) => ({ id: f.datasetId, ...classA(f, w) }),
    allowed: [],
  },
  { procedure: 'dataset.unshare', about: "the teacher's upload shared with class A", action: 'change', make: teachersSharedDataset, input: (f) => ({ id: f.datasetId, classId: f.classId }), allowed: ['teacher'] },
  {
    procedure: 'dataset.setVisibility',
    about: "the teacher's upload",
    action: 'change',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.teacher.id, "Teacher's data") }),
    input: (f) => ({ id: f.datasetId, visibility: 'school' }),
    allowed: ['teacher'],
  },
  // An assignment's hidden test set: its teacher alone reads it, and not even they may share it while it grades.
  { procedure: 'dataset.get', about: "class A's hidden test set", action: 'read', make: hiddenTestSetAssignment, input: (f) => ({ id: f.datasetId }), allowed: ['teacher'] },
  {
    procedure: 'dataset.share',
    about: "class A's hidden test set, with class A",
    action: 'change',
    make: hiddenTestSetAssignment,
    input: (f) => ({ id: f.datasetId, classId: f.classId }),
    allowed: [],
    refusals: { teacher: 'CONFLICT' },
  },
  {
    procedure: 'dataset.setVisibility',
    about: "class A's hidden test set, for the whole school",
    action: 'change',
    make: hiddenTestSetAssignment,
    input: (f) => ({ id: f.datasetId, visibility: 'school' }),
    allowed: [],
    refusals: { teacher: 'CONFLICT' },
  },
  {
    procedure: 'dataset.setVisibility',
    about: "a student's school-wide upload",
    action: 'change',
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.owner.id, "Owner's data", 'school') }),
    input: (f) => ({ id: f.datasetId, visibility: 'private' }),
    allowed: ['owner'],
  },

  // Classes: changed by their teacher only; a member may leave.
  { procedure: 'class.rename', about: 'class A', action: 'change', make: async () => ({}), input: (f, w) => ({ ...classA(f, w), name: 'Renamed' }), allowed: ['teacher'] },
  { procedure: 'class.delete', about: 'class A', action: 'delete', make: async () => ({}), input: classA, allowed: ['teacher'] },
  {
    procedure: 'class.removeMember',
    about: "class A's student",
    action: 'delete',
    make: async () => ({}),
    input: (f, w) => ({ ...classA(f, w), userId: w.school.people.owner.id }),
    allowed: ['teacher'],
  },
  {
    procedure: 'class.leave',
    about: 'class A',
    action: 'delete',
    make: async () => ({}),
    input: classA,
    allowed: ['owner', 'classmate'],
    // The teacher knows the class exists; they are told to delete it instead.
    refusals: { teacher: 'BAD_REQUEST' },
  },

  // Assignments: made and changed by the class's teacher; opened by its students.
  {
    procedure: 'assignment.create',
    about: "the teacher's notebook, for class A",
    action: 'change',
    make: async (w) => ({ notebookId: (await createNotebook(w.db, w.school.people.teacher.id, { title: 'Digits' })).id }),
    input: (f, w) => ({ notebookId: f.notebookId, classId: w.school.classA, title: 'Digits', dueAt: tomorrow(), lockedCellIds: [], goals: [] }),
    allowed: ['teacher'],
  },
  {
    procedure: 'assignment.create',
    about: "the caller's own notebook, for class A",
    action: 'change',
    make: everyonesNotebook,
    input: (f, w, caller) => ({ notebookId: f[caller] ?? NO_SUCH_ID, classId: w.school.classA, title: 'Digits', dueAt: tomorrow(), lockedCellIds: [], goals: [] }),
    allowed: ['teacher'],
  },
  { procedure: 'assignment.update', about: "class A's assignment (its deadline)", action: 'change', make: classAssignment, input: (f) => ({ id: f.assignmentId, dueAt: '2030-01-01T00:00:00Z' }), allowed: ['teacher'] },
  {
    procedure: 'assignment.update',
    about: "class A's assignment (its goals and locks)",
    action: 'change',
    make: classAssignment,
    input: (f) => ({ id: f.assignmentId, goals: [{ id: 'size', kind: 'maxParams', max: 10 }], lockedCellIds: [] }),
    allowed: ['teacher'],
  },
  {
    procedure: 'assignment.update',
    about: "class A's assignment (its hidden test set)",
    action: 'change',
    make: hiddenTestSetAssignment,
    input: (f) => ({ id: f.assignmentId, testDataset: null }),
    allowed: ['teacher'],
  },
  { procedure: 'assignment.delete', about: "class A's assignment", action: 'delete', make: classAssignment, input: (f) => ({ id: f.assignmentId }), allowed: ['teacher'] },
  { procedure: 'assignment.listForClass', about: 'class A', action: 'read', make: classAssignment, input: (_, w) => ({ classId: w.school.classA }), allowed: ['teacher'], refusals: { visitor: 'UNAUTHORIZED' } },
  { procedure: 'assignment.open', about: "class A's assignment", action: 'change', make: classAssignment, input: (f) => ({ id: f.assignmentId }), allowed: ['owner', 'classmate'] },
  { procedure: 'assignment.forNotebook', about: "a student's assignment copy", action: 'read', make: ownersCopy, input: (f) => ({ notebookId: f.copyId }), allowed: ['owner'] },

  // Locked cells: not even the copy's owner may change them.
  {
    procedure: 'notebook.save',
    about: "a locked cell of a student's assignment copy",
    action: 'change',
    make: ownersCopy,
    input: (f) => ({ id: f.copyId, version: 1, title: 'Digits', cells: [{ id: f.lockedCellId, type: 'markdown', source: 'I changed the instructions' }] }),
    allowed: [],
    refusals: { owner: 'BAD_REQUEST' },
  },

  // Hand-ins: made by the student from their copy; read by them and their teacher; never changed by the student.
  { procedure: 'submission.handIn', about: "a finished run of a student's copy", action: 'change', make: ownersCopy, input: (f) => ({ notebookId: f.copyId, runId: f.runId }), allowed: ['owner'] },
  { procedure: 'submission.mine', about: "class A's assignment", action: 'read', make: ownersSubmission, input: (f) => ({ assignmentId: f.assignmentId }), allowed: ['owner', 'classmate'] },
  { procedure: 'submission.get', about: "a student's hand-in", action: 'read', make: ownersSubmission, input: (f) => ({ id: f.submissionId }), allowed: ['owner', 'teacher'] },

  // The teacher's view and feedback: the class's own teacher only; the admin, who teaches no class here, gets NOT_FOUND
  // like any other teacher (server/services/class-teacher.ts).
  { procedure: 'review.classView', about: "class A's assignment", action: 'read', make: ownersSubmission, input: (f) => ({ assignmentId: f.assignmentId }), allowed: ['teacher'] },
  // Follows the same rule as review.classView (assignmentForReviewer): change them together.
  { procedure: 'review.classLive', about: "class A's assignment", action: 'read', make: ownersSubmission, input: (f) => ({ assignmentId: f.assignmentId }), allowed: ['teacher'] },
  { procedure: 'review.submission', about: "a student's hand-in", action: 'read', make: ownersSubmission, input: (f) => ({ submissionId: f.submissionId }), allowed: ['teacher'] },
  {
    procedure: 'review.saveFeedback',
    about: "a student's hand-in (its mark)",
    action: 'change',
    make: ownersSubmission,
    input: (f) => ({ submissionId: f.submissionId, comment: 'Full marks', mark: '10/10' }),
    allowed: ['teacher'],
    refusals: { visitor: 'NOT_FOUND' },
  },
  {
    procedure: 'review.addComment',
    about: "a cell of a student's hand-in",
    action: 'change',
    make: ownersSubmission,
    input: (f) => ({ submissionId: f.submissionId, cellId: f.lockedCellId, body: 'Nice' }),
    allowed: ['teacher'],
    refusals: { visitor: 'NOT_FOUND' },
  },
  { procedure: 'review.deleteComment', about: "a comment on a student's hand-in", action: 'delete', make: ownersSubmission, input: (f) => ({ commentId: f.commentId }), allowed: ['teacher'], refusals: { visitor: 'NOT_FOUND' } },
  { procedure: 'review.returnSubmission', about: "a student's hand-in", action: 'change', make: ownersSubmission, input: (f) => ({ submissionId: f.submissionId }), allowed: ['teacher'], refusals: { visitor: 'NOT_FOUND' } },
  { procedure: 'review.myFeedback', about: "a student's assignment copy", action: 'read', make: ownersSubmission, input: (f) => ({ notebookId: f.copyId }), allowed: ['owner'] },

  // Accounts: a teacher for their own class's students; an admin for the school.
  {
    procedure: 'account.createClassAccounts',
    about: 'class A',
    action: 'change',
    make: async () => ({}),
    input: (_, w) => ({ classId: w.school.classA, names: ['New Student'] }),
    allowed: ['teacher'],
    refusals: { visitor: 'UNAUTHORIZED' },
  },
  {
    procedure: 'account.resetStudentPassword',
    about: "class A's student",
    action: 'change',
    make: async () => ({}),
    input: (_, w) => ({ classId: w.school.classA, studentId: w.school.people.owner.id }),
    allowed: ['teacher'],
  },

  // Roles are the admin's: for anyone else the account named is not found.
  { procedure: 'account.admin.setRole', about: 'a student', action: 'change', make: async () => ({}), input: (_, w) => ({ userId: w.school.people.owner.id, role: 'teacher' }), allowed: ['admin'] },
  // What only an admin may do and that names nobody: everyone else is FORBIDDEN (and told so).
  { procedure: 'account.admin.list', about: 'the accounts', action: 'read', make: async () => ({}), input: () => undefined, allowed: ['admin'], otherwise: 'FORBIDDEN', refusals: { visitor: 'UNAUTHORIZED' } },
  { procedure: 'account.admin.createTeacher', about: 'a new teacher', action: 'change', make: async () => ({}), input: () => ({ username: 'new.teacher', displayName: 'New Teacher' }), allowed: ['admin'], otherwise: 'FORBIDDEN' },
  { procedure: 'account.admin.setTeacherCode', about: 'the teacher code', action: 'change', make: async () => ({}), input: () => ({ code: 'STAFF-ROOM-2026' }), allowed: ['admin'], otherwise: 'FORBIDDEN' },
];

/** List procedures: who finds the thing in their list. */
export interface ListRow {
  procedure: string;
  about: string;
  make(world: World): Promise<Fixture>;
  /** The ids the answer shows. */
  ids(answer: unknown): string[];
  target(fixture: Fixture, world: World): string;
  /** What the list is of, when it takes an input; a caller refused it sees nothing. */
  input?(fixture: Fixture, world: World): unknown;
  allowed: readonly CallerName[];
}

export const LISTS: readonly ListRow[] = [
  {
    procedure: 'assignment.mine',
    about: "class A's assignment",
    make: classAssignment,
    ids: (a) => (a as { id: string }[]).map((x) => x.id),
    target: (f) => f.assignmentId!,
    allowed: ['owner', 'classmate'],
  },
  {
    procedure: 'submission.mine',
    about: "a student's hand-in",
    make: ownersSubmission,
    input: (f) => ({ assignmentId: f.assignmentId }),
    ids: (a) => (a as { id: string }[]).map((x) => x.id),
    target: (f) => f.submissionId!,
    allowed: ['owner'],
  },
  { procedure: 'notebook.list', about: "a student's notebook", make: ownersNotebook, ids: (a) => (a as { id: string }[]).map((n) => n.id), target: (f) => f.notebookId!, allowed: ['owner'] },
  {
    procedure: 'dataset.list',
    about: "a student's private upload",
    make: async (w) => ({ datasetId: await upload(w.db, w.school.people.owner.id, "Owner's data") }),
    ids: (a) => (a as { id: string }[]).map((d) => d.id),
    target: (f) => f.datasetId!,
    allowed: ['owner'],
  },
  {
    procedure: 'dataset.list',
    about: "the teacher's upload shared with class A",
    make: teachersSharedDataset,
    ids: (a) => (a as { id: string }[]).map((d) => d.id),
    target: (f) => f.datasetId!,
    allowed: ['owner', 'classmate', 'teacher'],
  },
  {
    procedure: 'dataset.list',
    about: "class A's hidden test set",
    make: hiddenTestSetAssignment,
    ids: (a) => (a as { id: string }[]).map((d) => d.id),
    target: (f) => f.datasetId!,
    allowed: ['teacher'],
  },
  {
    procedure: 'class.list',
    about: 'class A',
    make: async () => ({}),
    ids: (a) => {
      const classes = a as { teaching: { id: string }[]; memberOf: { id: string }[] };
      return [...classes.teaching, ...classes.memberOf].map((c) => c.id);
    },
    target: (_, w) => w.school.classA,
    allowed: ['owner', 'classmate', 'teacher'],
  },
];

export type ProcedureType = 'query' | 'mutation' | 'subscription';
// At run time tRPC keeps every procedure under its dotted path (its type shows the nested routers).
export const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>;

export function procedureType(path: string): ProcedureType {
  const procedure = procedures[path];
  if (!procedure) throw new Error(`The matrix names ${path}, which the API does not have.`);
  return procedure._def.type;
}


export function expectedRefusal(row: MatrixRow, caller: CallerName): Refusal {
  return row.refusals?.[caller] ?? (caller === 'visitor' && row.action !== 'read' ? 'UNAUTHORIZED' : (row.otherwise ?? 'NOT_FOUND'));
}
