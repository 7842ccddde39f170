import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Goal } from '../../blocks/format/goals';
import type { Cell, TrainingCell } from '../../blocks/format/notebook';
import { assignments, notebooks, runCheckpoints, runs, submissions, submissionWeights } from '../../db/schema';
import { classroomWithAssignment } from '../../testing/assignments';
import { giveRole } from '../../testing/roles';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { TINY_WEIGHTS } from '../../testing/hand-ins';
import {
  createAssignment,
  deleteAssignment,
  listClassAssignments,
  listMyAssignments,
  notebookAssignment,
  openAssignment,
  updateAssignment,
} from './assignments';
import { createClass, joinClass } from './classes';
import { setDatasetVisibility, shareDataset } from './dataset-access';
import { createCsvDataset, deleteDataset, getDataset, listDatasets, storedDatasetRef } from './datasets';
import { ServiceError } from './errors';
import { deleteNotebook, getNotebook, saveNotebook } from './notebooks';
import { createRunSink } from './run-store';
import { startRun } from './runs';
import { createAnonymousSession } from './sessions';
import { getSubmission, handIn, listMySubmissions } from './submissions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];


const GOALS: Goal[] = [
  { id: 'acc', kind: 'testAccuracy', min: 0.9 },
  { id: 'params', kind: 'maxParams', max: 100 },
  { id: 'dense', kind: 'usesLayer', layer: 'dense' },
  { id: 'conv', kind: 'usesLayer', layer: 'conv2d' },
  { id: 'epochs', kind: 'maxEpochs', max: 2 },
];

async function expectServiceError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<ServiceError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  if (message) expect((error as ServiceError).message).toMatch(message);
  return error as ServiceError;
}

describe.each(kinds)('assignments on $kind', ({ kind }) => {
  let database: TestDatabase;
  const queue = new FakeRunQueue();
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const db = () => database.db;
  const newUser = async () => (await createAnonymousSession(database.db)).user;
  const count = async (table: typeof assignments | typeof notebooks | typeof submissions) =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;

  /** A finished run of the student's copy, recorded as the runner records one (3 epochs). */
  async function finishedRun(studentId: string, notebookId: string, epochs = 3): Promise<string> {
    const copy = await getNotebook(db(), studentId, notebookId);
    const cell = copy.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const { runId } = await startRun(db(), queue, studentId, { notebookId, cellId: cell.id });
    const sink = createRunSink(db());
    await sink.started(runId, 'wasm');
    for (let epoch = 1; epoch <= epochs; epoch++) {
      await sink.epoch(runId, { epoch, loss: 1 / epoch, accuracy: 0.6 + epoch / 10, valLoss: 1.1 / epoch, valAccuracy: 0.55 + epoch / 10, seconds: 0.1 });
    }
    await sink.finished(runId, { testAccuracy: 0.88, testLoss: 0.3, samplesPerSec: 1000, weights: TINY_WEIGHTS });
    return runId;
  }

  /** The grading run the autograder queued for a submission, finished as a worker would finish it. */
  async function gradeAs(submissionId: string, testAccuracy: number) {
    const [row] = await db().select({ runId: submissions.gradingRunId }).from(submissions).where(eq(submissions.id, submissionId));
    const sink = createRunSink(db());
    await sink.started(row!.runId!, 'wasm');
    await sink.finished(row!.runId!, { testAccuracy, testLoss: 0.2, samplesPerSec: 0, weights: TINY_WEIGHTS });
  }

  it('lets only the teacher of the class make an assignment from their own notebook; others change nothing', async () => {
    const room = await classroomWithAssignment(db());
    const otherTeacher = await newUser();
    await giveRole(db(), otherTeacher.id, 'teacher');
    const otherClass = await createClass(db(), otherTeacher.id, { name: 'Other class' });
    const before = await count(assignments);
    const input = {
      notebookId: room.templateNotebookId,
      classId: room.classId,
      title: 'Again',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      lockedCellIds: [],
      goals: [],
    };
    // The student of the class, another teacher (even with their own class), and a stranger.
    await expectServiceError(createAssignment(db(), room.studentId, input), 'NOT_FOUND');
    await expectServiceError(createAssignment(db(), otherTeacher.id, input), 'NOT_FOUND');
    await expectServiceError(createAssignment(db(), otherTeacher.id, { ...input, classId: otherClass.id }), 'NOT_FOUND', /notebook/);
    await expectServiceError(createAssignment(db(), (await newUser()).id, input), 'NOT_FOUND');
    expect(await count(assignments)).toBe(before);

    // The teacher's own mistakes say how to fix them.
    await expectServiceError(createAssignment(db(), room.teacherId, { ...input, title: '  ' }), 'BAD_REQUEST', /title/);
    await expectServiceError(createAssignment(db(), room.teacherId, { ...input, dueAt: new Date(Date.now() - 1000).toISOString() }), 'BAD_REQUEST', /future/);
    await expectServiceError(createAssignment(db(), room.teacherId, { ...input, lockedCellIds: ['nope'] }), 'BAD_REQUEST', /"nope"/);
    expect(await count(assignments)).toBe(before);

    const list = await listClassAssignments(db(), room.teacherId, room.classId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ title: 'Tell the clusters apart', testDatasetName: 'Two clusters', memberCount: 1, handedIn: 0, lockedCellIds: [room.template[0]!.id] });
    await expectServiceError(listClassAssignments(db(), room.studentId, room.classId), 'NOT_FOUND');
  });

  it('takes the test data from the first training cell, and a test accuracy goal needs one', async () => {
    const room = await classroomWithAssignment(db(), { goals: GOALS });
    const [row] = await db().select({ testDataset: assignments.testDataset, goals: assignments.goals }).from(assignments).where(eq(assignments.id, room.assignmentId));
    expect(row!.testDataset).toMatchObject({ kind: 'builtIn', id: 'gaussian' });
    expect(row!.goals).toEqual(GOALS);

    const { id: notebookId } = await (await import('./notebooks')).createNotebook(db(), room.teacherId, { title: 'Text only' });
    const textOnly = await getNotebook(db(), room.teacherId, notebookId);
    await saveNotebook(db(), room.teacherId, { id: notebookId, version: textOnly.version, title: 'Text only', cells: [textOnly.cells[0]!] });
    await expectServiceError(
      createAssignment(db(), room.teacherId, { notebookId, classId: room.classId, title: 'Essay', dueAt: new Date(Date.now() + 86_400_000).toISOString(), lockedCellIds: [], goals: [GOALS[0]!] }),
      'BAD_REQUEST',
      /test accuracy goal needs test data/,
    );
  });

  /** Two-column points labelled like the "two clusters" set the tiny notebook trains on. */
  const clusterCsv = (rows = 40, classes = ['cluster A', 'cluster B'], columns = 'x,y') =>
    new TextEncoder().encode(`${columns},cluster\n` + Array.from({ length: rows }, (_, i) => `${i},${rows - i},${i < rows / 2 ? classes[0] : classes[1]}`).join('\n'));
  const csvOptions = (name: string, features = ['x', 'y']) => ({
    name,
    label: 'cluster',
    features: features.map((column) => ({ column, as: 'number' as const })),
    normalization: 'none' as const,
    split: { train: 60, validation: 20, test: 20 },
    seed: 1,
  });
  const asSource = (d: { id: string; name: string; inputShape: number[]; classes: string[] }) => ({ kind: 'upload' as const, datasetId: d.id, name: d.name, inputShape: d.inputShape, classes: d.classes });

  it('grades on a hidden test set the teacher uploaded, every example of it, which no student can open or be shared', async () => {
    const room = await classroomWithAssignment(db());
    const hidden = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('Exam points'));
    const input = {
      notebookId: room.templateNotebookId,
      classId: room.classId,
      title: 'Clusters, graded on exam points',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      lockedCellIds: [],
      goals: [GOALS[0]!],
      // The name the page sent is not trusted: the stored one is kept.
      testDataset: { ...asSource(hidden), name: 'Renamed by the page' },
    };
    const { id } = await createAssignment(db(), room.teacherId, input);
    const [listed] = (await listClassAssignments(db(), room.teacherId, room.classId)).filter((a) => a.id === id);
    expect(listed).toMatchObject({ testDatasetName: 'Exam points', hiddenTestSetId: hidden.id });
    // The default (the test split of the notebook's data) is no hidden set.
    expect((await listClassAssignments(db(), room.teacherId, room.classId)).find((a) => a.id === room.assignmentId)!.hiddenTestSetId).toBeNull();

    // Students of the class never reach it: not listed, no preview, not trainable.
    const { notebookId } = await openAssignment(db(), room.studentId, id);
    expect((await listDatasets(db(), room.studentId)).map((d) => d.id)).not.toContain(hidden.id);
    await expectServiceError(getDataset(db(), room.studentId, hidden.id), 'NOT_FOUND');
    await expectServiceError(storedDatasetRef(db(), room.studentId, hidden.id), 'NOT_FOUND');
    // …and it cannot be shared with the class, nor given to the school, while it grades.
    await expectServiceError(shareDataset(db(), room.teacherId, { datasetId: hidden.id, classId: room.classId }), 'CONFLICT', /hidden test set of the assignment “Clusters, graded on exam points” \(9C Computing\)/);
    await expectServiceError(setDatasetVisibility(db(), room.teacherId, { datasetId: hidden.id, visibility: 'school' }), 'CONFLICT', /students must never see it/);
    expect((await listDatasets(db(), room.studentId)).map((d) => d.id)).not.toContain(hidden.id);

    // Grading reads every one of its 40 rows as test examples, under a name that tells the student nothing.
    const runId = await finishedRun(room.studentId, notebookId);
    queue.jobs.length = 0;
    const submitted = await handIn(db(), queue, room.studentId, { notebookId, runId });
    expect(queue.jobs[0]!.dataset).toMatchObject({ kind: 'stored', datasetId: hidden.id, name: 'the hidden test set', sizes: { train: 0, validation: 0, test: 40 } });
    await gradeAs(submitted.id, 0.95);
    const seen = JSON.stringify([await getSubmission(db(), room.studentId, submitted.id), await listMySubmissions(db(), room.studentId, id), await listMyAssignments(db(), room.studentId)]);
    expect(seen).not.toContain(hidden.id);
    expect(seen).not.toContain('Exam points');
    expect((await getSubmission(db(), room.studentId, submitted.id)).goalResults).toMatchObject([{ goalId: 'acc', met: true, value: 0.95 }]);

    // Back to the notebook's own data: the set may be shared again.
    await updateAssignment(db(), room.teacherId, { id, testDataset: null });
    expect((await listClassAssignments(db(), room.teacherId, room.classId)).find((a) => a.id === id)).toMatchObject({ testDatasetName: 'Two clusters', hiddenTestSetId: null });
    await shareDataset(db(), room.teacherId, { datasetId: hidden.id, classId: room.classId });
  });

  it('refuses to delete a dataset assignments are graded on, naming them and saying how to free it, and deletes it once none is', async () => {
    const room = await classroomWithAssignment(db());
    const exam = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('Exam points'));
    const input = { notebookId: room.templateNotebookId, classId: room.classId, dueAt: new Date(Date.now() + 86_400_000).toISOString(), lockedCellIds: [], goals: [GOALS[0]!], testDataset: asSource(exam) };
    const { id: first } = await createAssignment(db(), room.teacherId, { ...input, title: 'Clusters, first try' });
    const { id: second } = await createAssignment(db(), room.teacherId, { ...input, title: 'Clusters, second try' });

    const refused = await expectServiceError(deleteDataset(db(), room.teacherId, exam.id), 'CONFLICT');
    expect(refused.message).toBe(
      '“Exam points” is the test data of the assignments “Clusters, first try” (9C Computing) and “Clusters, second try” (9C Computing): hand-ins are graded on it, so it cannot be deleted. ' +
        'First pick another test set for each of them (Classes, “Change test set” on the assignment) or delete them, then delete the dataset.',
    );
    // Nobody else learns which assignments grade on it: a stranger's delete is answered as for an unknown dataset.
    await expectServiceError(deleteDataset(db(), room.studentId, exam.id), 'NOT_FOUND');
    expect((await listDatasets(db(), room.teacherId)).map((d) => d.id)).toContain(exam.id);

    // One assignment back on the notebook's data: the other is still named, alone.
    await updateAssignment(db(), room.teacherId, { id: first, testDataset: null });
    await expectServiceError(deleteDataset(db(), room.teacherId, exam.id), 'CONFLICT', /^“Exam points” is the test data of the assignment “Clusters, second try” \(9C Computing\): .* for that assignment .* or delete the assignment, then delete the dataset\.$/);
    await updateAssignment(db(), room.teacherId, { id: second, testDataset: null });
    await deleteDataset(db(), room.teacherId, exam.id);
    expect((await listDatasets(db(), room.teacherId)).map((d) => d.id)).not.toContain(exam.id);
  });

  it('refuses a hidden test set students can open, someone else’s, or one that does not read like the notebook’s data, saying what to change', async () => {
    const room = await classroomWithAssignment(db());
    const before = await count(assignments);
    const input = (testDataset: ReturnType<typeof asSource>) => ({
      notebookId: room.templateNotebookId,
      classId: room.classId,
      title: 'Clusters',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      lockedCellIds: [],
      goals: [GOALS[0]!],
      testDataset,
    });
    const shared = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('Shared points'));
    await shareDataset(db(), room.teacherId, { datasetId: shared.id, classId: room.classId });
    await expectServiceError(createAssignment(db(), room.teacherId, input(asSource(shared))), 'BAD_REQUEST', /“Shared points” is shared with 9C Computing.*Stop sharing it/);

    const school = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('School points'));
    await setDatasetVisibility(db(), room.teacherId, { datasetId: school.id, visibility: 'school' });
    await expectServiceError(createAssignment(db(), room.teacherId, input(asSource(school))), 'BAD_REQUEST', /school dataset, which every student can open/);

    const stranger = await newUser();
    const theirs = await createCsvDataset(db(), stranger.id, clusterCsv(), csvOptions('Theirs'));
    await expectServiceError(createAssignment(db(), room.teacherId, input(asSource(theirs))), 'BAD_REQUEST', /not one of your datasets/);
    await expectServiceError(createAssignment(db(), room.teacherId, input({ ...asSource(theirs), datasetId: randomUUID() })), 'BAD_REQUEST', /not one of your datasets/);

    const otherClasses = await createCsvDataset(db(), room.teacherId, clusterCsv(40, ['left', 'right']), csvOptions('Sides'));
    await expectServiceError(
      createAssignment(db(), room.teacherId, input(asSource(otherClasses))),
      'BAD_REQUEST',
      /“Sides” lacks the classes “cluster A”, “cluster B” and has the classes “left”, “right” that “Two clusters” does not\. Upload a test set made like “Two clusters”/,
    );
    const oneColumn = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('Only x', ['x']));
    await expectServiceError(createAssignment(db(), room.teacherId, input(asSource(oneColumn))), 'BAD_REQUEST', /“Only x” has examples of shape 1, but the notebook trains on “Two clusters”, whose examples are 2/);
    expect(await count(assignments)).toBe(before);

    // Changing an assignment's test set later goes through the same checks, and only its teacher may.
    await expectServiceError(updateAssignment(db(), room.teacherId, { id: room.assignmentId, testDataset: asSource(shared) }), 'BAD_REQUEST', /shared with 9C Computing/);
    const fine = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('Fine points'));
    await expectServiceError(updateAssignment(db(), room.studentId, { id: room.assignmentId, testDataset: asSource(fine) }), 'NOT_FOUND');
    const [stored] = await db().select({ testDataset: assignments.testDataset }).from(assignments).where(eq(assignments.id, room.assignmentId));
    expect(stored!.testDataset).toMatchObject({ kind: 'builtIn', id: 'gaussian' });
  });

  it('grades on the test split of an uploaded dataset the notebook trains on, and refuses that same set as a hidden one', async () => {
    const room = await classroomWithAssignment(db());
    const upload = await createCsvDataset(db(), room.teacherId, clusterCsv(), csvOptions('Class points'));
    await shareDataset(db(), room.teacherId, { datasetId: upload.id, classId: room.classId });
    // The notebook's data cell holds the upload and its training cell trains on it.
    const notebook = await getNotebook(db(), room.teacherId, room.templateNotebookId);
    const dataCell: Cell = { id: randomUUID(), type: 'data', source: asSource(upload) };
    const cells = notebook.cells.map((c): Cell => (c.type === 'training' ? { ...c, dataset: { cell: dataCell.id } } : c));
    await saveNotebook(db(), room.teacherId, { id: notebook.id, version: notebook.version, title: notebook.title, cells: [dataCell, ...cells] });
    const input = {
      notebookId: room.templateNotebookId,
      classId: room.classId,
      title: 'Class points',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      lockedCellIds: [],
      goals: [GOALS[0]!],
    };
    await expectServiceError(createAssignment(db(), room.teacherId, { ...input, testDataset: asSource(upload) }), 'BAD_REQUEST', /data cell uses “Class points”, so students would get it/);

    const { id } = await createAssignment(db(), room.teacherId, input);
    expect((await listClassAssignments(db(), room.teacherId, room.classId)).find((a) => a.id === id)).toMatchObject({ testDatasetName: 'Class points', hiddenTestSetId: null });
    const { notebookId } = await openAssignment(db(), room.studentId, id);
    const runId = await finishedRun(room.studentId, notebookId);
    queue.jobs.length = 0;
    await handIn(db(), queue, room.studentId, { notebookId, runId });
    // Its own split: 8 test rows of the 40, read on the training side only.
    expect(queue.jobs[0]!.dataset).toMatchObject({ kind: 'stored', datasetId: upload.id, sizes: { train: 24, validation: 8, test: 8 } });
  });

  it('shows students of the class their assignments, and gives each their own copy, the same one every time', async () => {
    const room = await classroomWithAssignment(db());
    const outsider = await newUser();
    expect(await listMyAssignments(db(), outsider.id)).toEqual([]);
    const [mine] = await listMyAssignments(db(), room.studentId);
    expect(mine).toMatchObject({ id: room.assignmentId, title: 'Tell the clusters apart', className: '9C Computing', progress: 'not started', notebookId: null, latestSubmission: null });

    const notebooksBefore = await count(notebooks);
    await expectServiceError(openAssignment(db(), outsider.id, room.assignmentId), 'NOT_FOUND');
    await expectServiceError(openAssignment(db(), room.studentId, randomUUID()), 'NOT_FOUND');
    expect(await count(notebooks)).toBe(notebooksBefore);

    const first = await openAssignment(db(), room.studentId, room.assignmentId);
    const again = await openAssignment(db(), room.studentId, room.assignmentId);
    // Two tabs opening it at the same moment still make one copy.
    const [racedA, racedB] = await Promise.all([openAssignment(db(), room.studentId, room.assignmentId), openAssignment(db(), room.studentId, room.assignmentId)]);
    expect(first.created).toBe(true);
    expect(new Set([again.notebookId, racedA.notebookId, racedB.notebookId])).toEqual(new Set([first.notebookId]));
    expect(await count(notebooks)).toBe(notebooksBefore + 1);

    const copy = await getNotebook(db(), room.studentId, first.notebookId);
    expect(copy.cells).toEqual(room.template);
    expect(copy.title).toBe('Tell the clusters apart');
    expect(await notebookAssignment(db(), room.studentId, first.notebookId)).toMatchObject({ id: room.assignmentId, lockedCellIds: [room.template[0]!.id], lockedCells: [room.template[0]] });
    await expectServiceError(notebookAssignment(db(), outsider.id, first.notebookId), 'NOT_FOUND');
    expect((await listMyAssignments(db(), room.studentId))[0]).toMatchObject({ progress: 'working', notebookId: first.notebookId });
    // The teacher's own notebook is not a copy of anything.
    expect(await notebookAssignment(db(), room.teacherId, room.templateNotebookId)).toBeNull();
  });

  it('refuses a save that changes or deletes a locked cell, naming it, and stores nothing; other edits save', async () => {
    const room = await classroomWithAssignment(db(), { lockedIndexes: [0, 2] });
    const { notebookId } = await openAssignment(db(), room.studentId, room.assignmentId);
    const copy = await getNotebook(db(), room.studentId, notebookId);
    const [intro, model, training, outro] = copy.cells as [Cell & { type: 'markdown' }, Cell, TrainingCell, Cell & { type: 'markdown' }];
    const save = (cells: Cell[], version: number) => saveNotebook(db(), room.studentId, { id: notebookId, version, title: copy.title, cells });

    await expectServiceError(save([{ ...intro, source: 'I changed the task' }, model, training, outro], copy.version), 'BAD_REQUEST', /locked cell 1 \(a text cell starting “Two clusters/);
    await expectServiceError(save([intro, model, { ...training, dataset: 'spiral' }, outro], copy.version), 'BAD_REQUEST', /locked cell 3 \(a training cell\), so it cannot be changed/);
    await expectServiceError(save([model, training, outro], copy.version), 'BAD_REQUEST', /locked cell 1 .* cannot be deleted/);
    expect((await getNotebook(db(), room.studentId, notebookId)).cells).toEqual(room.template);

    // Moving cells, changing unlocked ones, and duplicating a locked one (a new id: the student's own) all save.
    const duplicate = { ...intro, id: randomUUID(), source: 'My own notes' };
    const moved = [outro, intro, { ...model }, training, duplicate].map((c) => (c.id === outro.id ? { ...outro, source: 'My answer' } : c));
    const saved = await save(moved, copy.version);
    expect((await getNotebook(db(), room.studentId, notebookId)).cells).toEqual(moved);

    // A stale version is still a conflict, as for any notebook.
    await expectServiceError(save(moved, copy.version), 'CONFLICT');
    // The teacher's own notebook has no locks.
    const teacherCopy = await getNotebook(db(), room.teacherId, room.templateNotebookId);
    await saveNotebook(db(), room.teacherId, { id: room.templateNotebookId, version: teacherCopy.version, title: 'x', cells: [{ ...intro, source: 'Changed by the teacher' }] });
    expect(saved.version).toBe(copy.version + 1);
  });

  it('hands in a finished run as a snapshot that survives deleting the run and the notebook, and grades its goals', async () => {
    const room = await classroomWithAssignment(db(), { goals: GOALS });
    const { notebookId } = await openAssignment(db(), room.studentId, room.assignmentId);
    const runId = await finishedRun(room.studentId, notebookId);
    queue.jobs.length = 0;

    const submitted = await handIn(db(), queue, room.studentId, { notebookId, runId });
    expect(submitted).toMatchObject({ attempt: 1, lateBySeconds: 0, runId, gradingStatus: 'queued', totalParams: 42, lockedCellIssues: [] });
    expect(submitted.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);

    // The grading run evaluates the handed-in weights: a checkpoint at its last epoch, in no cell, for the student.
    const [job] = queue.jobs;
    expect(job).toMatchObject({ resumeFromStoredCheckpoint: true, dataset: { kind: 'builtIn', id: 'gaussian' }, training: { epochs: 3, earlyStopping: false } });
    const [gradingRun] = await db().select().from(runs).where(eq(runs.id, job!.runId));
    expect(gradingRun).toMatchObject({ gradesSubmissionId: submitted.id, ownerId: room.studentId, status: 'queued' });
    const [checkpoint] = await db().select().from(runCheckpoints).where(eq(runCheckpoints.runId, job!.runId));
    expect(checkpoint!.epoch).toBe(3);
    expect([...checkpoint!.weightData]).toEqual([...TINY_WEIGHTS.weightData]);

    await gradeAs(submitted.id, 0.93);
    const [graded] = await listMySubmissions(db(), room.studentId, room.assignmentId);
    expect(graded).toMatchObject({ gradingStatus: 'graded', testAccuracy: 0.93 });
    expect(graded!.goalResults.map((g) => [g.goalId, g.met, g.value])).toEqual([
      ['acc', true, 0.93],
      ['params', true, 42],
      ['dense', true, 2],
      ['conv', false, 0],
      ['epochs', false, 3],
    ]);
    expect(graded!.goalResults[0]!.message).toBe('Test accuracy 93% on the hidden test set; needed at least 90%.');
    expect(graded!.goalResults[4]!.message).toBe('Trained 3 epochs; allowed at most 2.');

    // Deleting the run, then the notebook, leaves the hand-in whole.
    await db().delete(runs).where(eq(runs.id, runId));
    await deleteNotebook(db(), room.studentId, notebookId);
    const kept = await getSubmission(db(), room.studentId, submitted.id);
    expect(kept).toMatchObject({ gradingStatus: 'graded', testAccuracy: 0.93, runId });
    expect(kept.epochs).toHaveLength(3);
    expect(kept.cells.map((c) => c.id)).toEqual(room.template.map((c) => c.id));
    const [weights] = await db().select().from(submissionWeights).where(eq(submissionWeights.submissionId, submitted.id));
    expect([...weights!.weightData]).toEqual([...TINY_WEIGHTS.weightData]);
  });

  it('keeps every hand-in, the latest first; after the due date it is late by the server clock', async () => {
    const now = new Date();
    const dueAt = new Date(now.getTime() + 3600_000);
    const room = await classroomWithAssignment(db(), { now, dueAt });
    const { notebookId } = await openAssignment(db(), room.studentId, room.assignmentId);
    const runId = await finishedRun(room.studentId, notebookId);

    await handIn(db(), queue, room.studentId, { notebookId, runId }, new Date(dueAt.getTime() - 60_000));
    expect((await listMyAssignments(db(), room.studentId))[0]).toMatchObject({ progress: 'handed in' });
    // Handed in again 2 hours 5 minutes after the due date.
    const late = await handIn(db(), queue, room.studentId, { notebookId, runId }, new Date(dueAt.getTime() + (2 * 3600 + 5 * 60) * 1000));
    expect(late).toMatchObject({ attempt: 2, lateBySeconds: 7500 });

    const all = await listMySubmissions(db(), room.studentId, room.assignmentId);
    expect(all.map((s) => [s.attempt, s.lateBySeconds])).toEqual([
      [2, 7500],
      [1, 0],
    ]);
    const [mine] = await listMyAssignments(db(), room.studentId);
    expect(mine).toMatchObject({ progress: 'late', latestSubmission: { id: late.id, lateBySeconds: 7500 } });
    expect((await listClassAssignments(db(), room.teacherId, room.classId))[0]!.handedIn).toBe(1);
  });

  it('matches locked cells by id whatever the student moved, deleted or duplicated, and flags a changed one without refusing', async () => {
    const room = await classroomWithAssignment(db(), { lockedIndexes: [0] });
    const { notebookId } = await openAssignment(db(), room.studentId, room.assignmentId);
    const copy = await getNotebook(db(), room.studentId, notebookId);
    const [intro, model, training, outro] = copy.cells as [Cell & { type: 'markdown' }, Cell, TrainingCell, Cell & { type: 'markdown' }];
    // Duplicate the model and the intro, delete the outro, move the intro to the end.
    const reordered = [{ ...model, id: randomUUID() }, model, training, { ...intro, id: randomUUID() }, intro];
    await saveNotebook(db(), room.studentId, { id: notebookId, version: copy.version, title: copy.title, cells: reordered });
    const runId = await finishedRun(room.studentId, notebookId);
    const first = await handIn(db(), queue, room.studentId, { notebookId, runId });
    expect(first.lockedCellIssues).toEqual([]);
    expect(first.cellId).toBe(training.id);

    // The teacher locks the outro later; the student had deleted it: flagged as missing, still handed in.
    // Then the student changes the text the teacher had not locked before (now locked: refused).
    await updateAssignment(db(), room.teacherId, { id: room.assignmentId, lockedCellIds: [intro.id, outro.id, model.id] });
    const second = await handIn(db(), queue, room.studentId, { notebookId, runId });
    expect(second.lockedCellIssues).toEqual([{ cellId: outro.id, problem: 'missing' }]);

    // A cell that differed before the teacher locked it is flagged "changed", and the student can still save around it.
    await db()
      .update(notebooks)
      .set({ cells: reordered.map((c) => (c.id === model.id ? { ...model, workspace: {} } : c)) })
      .where(eq(notebooks.id, notebookId));
    const now = await getNotebook(db(), room.studentId, notebookId);
    await saveNotebook(db(), room.studentId, { id: notebookId, version: now.version, title: 'Renamed', cells: now.cells });
    const third = await handIn(db(), queue, room.studentId, { notebookId, runId });
    expect(third.lockedCellIssues).toEqual([
      { cellId: outro.id, problem: 'missing' },
      { cellId: model.id, problem: 'changed' },
    ]);
  });

  it('refuses hand-ins of runs that are not finished, not of this copy, or not the student’s, and of plain notebooks', async () => {
    const room = await classroomWithAssignment(db());
    const { notebookId } = await openAssignment(db(), room.studentId, room.assignmentId);
    const copy = await getNotebook(db(), room.studentId, notebookId);
    const cell = copy.cells.find((c): c is TrainingCell => c.type === 'training')!;
    const { runId: queuedRun } = await startRun(db(), queue, room.studentId, { notebookId, cellId: cell.id });
    const before = await count(submissions);
    await expectServiceError(handIn(db(), queue, room.studentId, { notebookId, runId: queuedRun }), 'BAD_REQUEST', /Only a finished run/);

    // A classmate's finished run cannot be handed in as one's own, nor in their notebook.
    const classmate = await newUser();
    await joinClass(db(), classmate.id, { code: room.joinCode, displayName: 'Kim' });
    const theirs = await openAssignment(db(), classmate.id, room.assignmentId);
    const theirRun = await finishedRun(classmate.id, theirs.notebookId);
    await expectServiceError(handIn(db(), queue, room.studentId, { notebookId, runId: theirRun }), 'NOT_FOUND');
    await expectServiceError(handIn(db(), queue, room.studentId, { notebookId: theirs.notebookId, runId: theirRun }), 'NOT_FOUND');

    // A student's own plain notebook is not an assignment.
    const { createNotebook } = await import('./notebooks');
    const plain = await createNotebook(db(), room.studentId, {});
    await expectServiceError(handIn(db(), queue, room.studentId, { notebookId: plain.id, runId: queuedRun }), 'BAD_REQUEST', /not an assignment/);

    // Removed from the class: the copy stays theirs, but there is nothing to hand in to.
    const { removeMember } = await import('./classes');
    const run = await finishedRun(room.studentId, notebookId);
    await removeMember(db(), room.teacherId, { classId: room.classId, userId: room.studentId });
    await expectServiceError(handIn(db(), queue, room.studentId, { notebookId, runId: run }), 'NOT_FOUND');
    expect(await count(submissions)).toBe(before);
  });

  it('shows a hand-in to its student and the class’s teacher only; students cannot change the assignment', async () => {
    const room = await classroomWithAssignment(db(), { goals: GOALS });
    const { notebookId } = await openAssignment(db(), room.studentId, room.assignmentId);
    const submitted = await handIn(db(), queue, room.studentId, { notebookId, runId: await finishedRun(room.studentId, notebookId) });

    const classmate = await newUser();
    await joinClass(db(), classmate.id, { code: room.joinCode, displayName: 'Kim' });
    const otherTeacher = await newUser();
    await giveRole(db(), otherTeacher.id, 'teacher');
    await createClass(db(), otherTeacher.id, { name: 'Elsewhere' });

    expect((await getSubmission(db(), room.teacherId, submitted.id)).studentName).toBe('Sam');
    expect((await getSubmission(db(), room.studentId, submitted.id)).id).toBe(submitted.id);
    const stranger = (await newUser()).id;
    for (const outsider of [classmate.id, otherTeacher.id, stranger]) {
      await expectServiceError(getSubmission(db(), outsider, submitted.id), 'NOT_FOUND');
    }
    for (const outsider of [otherTeacher.id, stranger]) await expectServiceError(listMySubmissions(db(), outsider, room.assignmentId), 'NOT_FOUND');
    // A classmate's list holds only their own hand-ins.
    expect(await listMySubmissions(db(), classmate.id, room.assignmentId)).toEqual([]);

    const [stored] = await db().select().from(assignments).where(eq(assignments.id, room.assignmentId));
    for (const change of [{ dueAt: new Date(Date.now() + 1e10).toISOString() }, { goals: [] }, { lockedCellIds: [] }, { title: 'Mine now' }]) {
      await expectServiceError(updateAssignment(db(), room.studentId, { id: room.assignmentId, ...change }), 'NOT_FOUND');
      await expectServiceError(updateAssignment(db(), otherTeacher.id, { id: room.assignmentId, ...change }), 'NOT_FOUND');
    }
    await expectServiceError(deleteAssignment(db(), room.studentId, room.assignmentId), 'NOT_FOUND');
    const [after] = await db().select().from(assignments).where(eq(assignments.id, room.assignmentId));
    expect(after).toEqual(stored);

    // The teacher may move the due date, even into the past (closing it early); the student's next hand-in is then late.
    await updateAssignment(db(), room.teacherId, { id: room.assignmentId, dueAt: new Date(Date.now() - 60_000).toISOString() });
    const late = await handIn(db(), queue, room.studentId, { notebookId, runId: submitted.runId });
    expect(late.lateBySeconds).toBeGreaterThanOrEqual(60);

    // Deleting the assignment takes its hand-ins; the student's copy stays as a plain notebook.
    await deleteAssignment(db(), room.teacherId, room.assignmentId);
    expect(await notebookAssignment(db(), room.studentId, notebookId)).toBeNull();
    expect((await getNotebook(db(), room.studentId, notebookId)).cells.length).toBe(4);
    await expectServiceError(getSubmission(db(), room.studentId, submitted.id), 'NOT_FOUND');
  });
});
