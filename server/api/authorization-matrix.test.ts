import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets, datasetShares, notebooks, runs } from '../../db/schema';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { buildSchool, CALLERS, emptyDatabase, snapshotDatabase, userOf, type CallerName, type School } from '../../testing/school';
import { createCsvDataset } from '../services/datasets';
import { createNotebook, readStoredCells } from '../services/notebooks';
import { startRun } from '../services/runs';
import { appRouter, createCaller } from './root';

/**
 * Who may see what, procedure by procedure. Every procedure of the API is one row (or
 * several: one per kind of thing it can be asked about), and each row is tried by every
 * caller of a small school (testing/school.ts). Only the callers a row allows may succeed;
 * everyone else gets NOT_FOUND — a stranger cannot even learn the thing exists — or
 * UNAUTHORIZED for a signed-out visitor asking to change something, and the database is
 * exactly as it was. A procedure with no row fails the test, so a new one cannot slip in.
 */

type Action = 'read' | 'change' | 'delete';
type Refusal = 'NOT_FOUND' | 'UNAUTHORIZED' | 'BAD_REQUEST' | 'FORBIDDEN';
type Fixture = Record<string, string>;

interface World {
  db: TestDatabase['db'];
  school: School;
}

interface MatrixRow {
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
const TAKES_NO_ID: Record<string, string> = {
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

async function upload(db: World['db'], ownerId: string, name: string, visibility: 'private' | 'school' = 'private'): Promise<string> {
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

async function ownersNotebook({ db, school }: World): Promise<Fixture> {
  const { id } = await createNotebook(db, school.people.owner.id, { title: "Owner's notebook" });
  const [row] = await db.select().from(notebooks).where(eq(notebooks.id, id));
  const training = readStoredCells(row!).cells.find((c) => c.type === 'training')!;
  return { notebookId: id, trainingCellId: training.id };
}

async function ownersRun(world: World): Promise<Fixture> {
  const notebook = await ownersNotebook(world);
  const { runId } = await startRun(world.db, new FakeRunQueue(), world.school.people.owner.id, { notebookId: notebook.notebookId, cellId: notebook.trainingCellId });
  return { ...notebook, runId };
}

async function teachersSharedDataset({ db, school }: World): Promise<Fixture> {
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

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
const classA = (_: Fixture, { school }: World) => ({ classId: school.classA });

const MATRIX: readonly MatrixRow[] = [
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
interface ListRow {
  procedure: string;
  about: string;
  make(world: World): Promise<Fixture>;
  /** The ids the answer shows. */
  ids(answer: unknown): string[];
  target(fixture: Fixture, world: World): string;
  allowed: readonly CallerName[];
}

const LISTS: readonly ListRow[] = [
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

type ProcedureType = 'query' | 'mutation' | 'subscription';
// At run time tRPC keeps every procedure under its dotted path (its type shows the nested routers).
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: ProcedureType } }>;

function procedureType(path: string): ProcedureType {
  const procedure = procedures[path];
  if (!procedure) throw new Error(`The matrix names ${path}, which the API does not have.`);
  return procedure._def.type;
}

/** Calls `path` as `caller`; a subscription counts as answered once its first event arrives. */
async function invoke(world: World, caller: CallerName, path: string, input: unknown): Promise<unknown> {
  const api = createCaller({ db: world.db, runner: new FakeRunQueue(), user: userOf(world.school, caller), maxParams: 5_000_000 });
  let target: unknown = api;
  for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
  const answer = await (target as (input: unknown) => Promise<unknown>)(input);
  if (procedureType(path) !== 'subscription') return answer;
  const events = (answer as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  try {
    return (await events.next()).value;
  } finally {
    await events.return?.();
  }
}

async function outcome(call: Promise<unknown>): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await call };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

function expectedRefusal(row: MatrixRow, caller: CallerName): Refusal {
  return row.refusals?.[caller] ?? (caller === 'visitor' && row.action !== 'read' ? 'UNAUTHORIZED' : 'NOT_FOUND');
}

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe('the authorization matrix', () => {
  it('has a row for every procedure of the API, and names none the API lacks', () => {
    const covered = new Set([...MATRIX.map((r) => r.procedure), ...LISTS.map((r) => r.procedure), ...Object.keys(TAKES_NO_ID)]);
    const missing = Object.keys(procedures).filter((path) => !covered.has(path));
    expect(missing, `procedures missing from the authorization matrix (server/api/authorization-matrix.test.ts): ${missing.join(', ')}`).toEqual([]);
    const unknown = [...covered].filter((path) => !(path in procedures));
    expect(unknown, 'the matrix names procedures the API does not have').toEqual([]);
  });

  it('asks about each procedure in the matrix with every caller of the school', () => {
    for (const row of MATRIX) for (const caller of row.allowed) expect(CALLERS).toContain(caller);
    expect(CALLERS).toEqual(['owner', 'classmate', 'otherStudent', 'teacher', 'otherTeacher', 'admin', 'visitor']);
  });
});

describe.each(kinds)('who may see what, on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function freshWorld(): Promise<World> {
    await emptyDatabase(database);
    const school = await buildSchool(database.db);
    return { db: database.db, school };
  }

  for (const row of MATRIX) {
    it(`${row.procedure} (${row.action}) on ${row.about}: only ${row.allowed.length ? row.allowed.join(', ') : 'nobody'}`, async () => {
      const failures: string[] = [];
      for (const caller of CALLERS) {
        const world = await freshWorld();
        const fixture = await row.make(world);
        const before = await snapshotDatabase(database);
        const result = await outcome(invoke(world, caller, row.procedure, row.input(fixture, world, caller)));
        const after = await snapshotDatabase(database);
        const changed = JSON.stringify(before) !== JSON.stringify(after);
        if (row.allowed.includes(caller)) {
          if (!result.ok) failures.push(`${caller} was refused (${result.code}: ${result.message})`);
          else if (row.action === 'read' && changed) failures.push(`${caller}'s read changed the database`);
          else if (row.action !== 'read' && !changed) failures.push(`${caller}'s ${row.action} succeeded but changed nothing`);
        } else {
          const expected = expectedRefusal(row, caller);
          if (result.ok) failures.push(`${caller} succeeded; expected ${expected}`);
          else if (result.code !== expected) failures.push(`${caller} got ${result.code} (${result.message}); expected ${expected}`);
          if (changed) failures.push(`${caller}'s refused call changed the database: ${diff(before, after)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  for (const row of LISTS) {
    it(`${row.procedure} shows ${row.about} to ${row.allowed.join(', ')} only`, async () => {
      const world = await freshWorld();
      const fixture = await row.make(world);
      const target = row.target(fixture, world);
      const before = await snapshotDatabase(database);
      const seenBy: CallerName[] = [];
      for (const caller of CALLERS) {
        if (row.ids(await invoke(world, caller, row.procedure, undefined)).includes(target)) seenBy.push(caller);
      }
      expect(seenBy).toEqual(CALLERS.filter((c) => row.allowed.includes(c)));
      expect(await snapshotDatabase(database)).toEqual(before);
    });
  }

  it('never takes the owner from input: fields naming another user are ignored or refused', async () => {
    const world = await freshWorld();
    const { owner, classmate } = world.school.people;
    const api = createCaller({ db: world.db, runner: new FakeRunQueue(), user: classmate, maxParams: 5_000_000 });
    const made = await api.notebook.create({ title: 'Mine', ownerId: owner.id, userId: owner.id } as { title: string });
    const [row] = await world.db.select({ ownerId: notebooks.ownerId }).from(notebooks).where(eq(notebooks.id, made.id));
    expect(row!.ownerId).toBe(classmate.id);
    const run = await ownersRun(world);
    const [stored] = await world.db.select({ ownerId: runs.ownerId }).from(runs).where(eq(runs.id, run.runId!));
    expect(stored!.ownerId).toBe(owner.id);
    const refused = await outcome(api.run.get({ runId: run.runId!, ownerId: owner.id } as { runId: string }));
    expect(refused).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

function diff(before: Record<string, string[]>, after: Record<string, string[]>): string {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: string[] = [];
  for (const table of tables) {
    const was = new Set(before[table] ?? []);
    const now = new Set(after[table] ?? []);
    const gone = [...was].filter((r) => !now.has(r)).length;
    const added = [...now].filter((r) => !was.has(r)).length;
    if (gone || added) changes.push(`${table} (-${gone} +${added})`);
  }
  return changes.join(', ');
}

