import { eq } from 'drizzle-orm';
import { datasets, datasetShares, notebooks } from '../db/schema';
import { appRouter } from '../server/api/root';
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
export type Refusal = 'NOT_FOUND' | 'UNAUTHORIZED' | 'BAD_REQUEST' | 'FORBIDDEN';
export type Fixture = Record<string, string>;

export interface World {
  db: TestDatabase['db'];
  school: School;
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

/** A dataset of each person's own, for rows where the caller offers their own thing. */
async function everyonesDataset({ db, school }: World): Promise<Fixture> {
  const fixture: Fixture = {};
  for (const [name, user] of Object.entries(school.people)) fixture[name] = await upload(db, user.id, `${name}'s data`);
  return fixture;
}

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
];

/** List procedures: who finds the thing in their list. */
export interface ListRow {
  procedure: string;
  about: string;
  make(world: World): Promise<Fixture>;
  /** The ids the answer shows. */
  ids(answer: unknown): string[];
  target(fixture: Fixture, world: World): string;
  allowed: readonly CallerName[];
}

export const LISTS: readonly ListRow[] = [
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
  return row.refusals?.[caller] ?? (caller === 'visitor' && row.action !== 'read' ? 'UNAUTHORIZED' : 'NOT_FOUND');
}
