import { compileCell } from '../blocks/compile';
import { DEFAULT_TRAINING } from '../blocks/format/model-spec';
import { NOTEBOOK_FORMAT_VERSION } from '../blocks/format/notebook';
import type { Database } from '../db/client';
import { assignments, notebooks, runMetrics, runs, submissions } from '../db/schema';
import { newNotebookCells } from '../server/services/seed';
import { createClass, joinClass } from '../server/services/classes';
import { createAnonymousSession } from '../server/services/sessions';
import { giveRole } from './roles';

/**
 * A class with work to review, written straight into the database: a teacher, an assignment
 * with an accuracy goal and a parameter limit, and students at every stage (handed in on
 * time with an overfitting run, handed in late while training again, working, not started).
 * Written directly so the review tests do not depend on how hand-ins are made.
 */
export async function makeClassWork(db: Database, now = new Date('2026-12-02T10:00:00Z')) {
  const tokens = new Map<string, string>();
  const newUser = async () => {
    const session = await createAnonymousSession(db);
    tokens.set(session.user.id, session.token);
    return session.user;
  };
  const teacher = await newUser();
  // Only teachers make classes: what an admin's "make a teacher" does.
  await giveRole(db, teacher.id, 'teacher');
  const cls = await createClass(db, teacher.id, { name: '7B Computing', teacherName: 'Ms Rivera' });
  const join = async (name: string) => {
    const user = await newUser();
    await joinClass(db, user.id, { code: cls.joinCode, displayName: name });
    return { ...user, displayName: name };
  };
  const ana = await join('Ana');
  const ben = await join('=HYPERLINK("http://evil.example","Ben")');
  const cara = await join('Cara');

  const cells = newNotebookCells();
  const model = cells.find((c) => c.type === 'model')!;
  const training = cells.find((c) => c.type === 'training')!;
  const compiled = compileCell(model.type === 'model' ? model.workspace : {});
  const spec = compiled.spec!;
  const [assignment] = await db
    .insert(assignments)
    .values({
      classId: cls.id,
      teacherId: teacher.id,
      title: 'Digits',
      cells,
      formatVersion: NOTEBOOK_FORMAT_VERSION,
      goals: [
        { id: 'accuracy', kind: 'testAccuracy', min: 0.9 },
        { id: 'size', kind: 'maxParams', max: 200_000 },
      ],
      dueAt: new Date(now.getTime() - 3600_000),
    })
    .returning();

  const copyOf = async (owner: { id: string }) => {
    const [row] = await db
      .insert(notebooks)
      .values({ ownerId: owner.id, title: 'Digits', cells, formatVersion: NOTEBOOK_FORMAT_VERSION, assignmentId: assignment!.id })
      .returning();
    return row!;
  };
  const run = async (
    owner: { id: string },
    notebookId: string,
    status: 'succeeded' | 'running',
    curve: [number, number, number, number][],
    testAccuracy: number | null,
    model: { spec: unknown; totalParams: number } = { spec, totalParams: compiled.totalParams },
    epochs = 5,
  ) => {
    const [row] = await db
      .insert(runs)
      .values({ notebookId, cellId: training.id, ownerId: owner.id, spec: model.spec, training: { ...DEFAULT_TRAINING, epochs }, status, totalParams: model.totalParams, testAccuracy })
      .returning();
    if (curve.length) {
      await db.insert(runMetrics).values(curve.map(([loss, accuracy, valLoss, valAccuracy], i) => ({ runId: row!.id, epoch: i + 1, loss, accuracy, valLoss, valAccuracy, seconds: 3 })));
    }
    return row!;
  };
  const handIn = async (
    owner: { id: string },
    notebookId: string,
    runId: string,
    attempt: number,
    lateBySeconds: number,
    testAccuracy: number,
    met: boolean,
    model: { spec: unknown; totalParams: number } = { spec, totalParams: compiled.totalParams },
  ) => {
    const [row] = await db
      .insert(submissions)
      .values({
        assignmentId: assignment!.id,
        studentId: owner.id,
        notebookId,
        attempt,
        cells,
        formatVersion: NOTEBOOK_FORMAT_VERSION,
        runId,
        cellId: training.id,
        spec: model.spec,
        training: { ...DEFAULT_TRAINING, epochs: 3 },
        metrics: [
          { epoch: 1, loss: 0.9, accuracy: 0.7, valLoss: 0.8, valAccuracy: 0.72, seconds: 2, extra: {} },
          { epoch: 2, loss: 0.4, accuracy: 0.88, valLoss: 0.45, valAccuracy: 0.86, seconds: 2, extra: {} },
        ],
        totalParams: model.totalParams,
        lateBySeconds,
        gradingStatus: 'graded',
        goalResults: [
          { goalId: 'accuracy', kind: 'testAccuracy', met, value: testAccuracy, message: `Test accuracy ${testAccuracy}` },
          { goalId: 'size', kind: 'maxParams', met: model.totalParams <= 200_000, value: model.totalParams, message: `${model.totalParams} parameters` },
        ],
        testAccuracy,
        submittedAt: new Date(now.getTime() - 3600_000 + lateBySeconds * 1000 - 60_000),
      })
      .returning();
    return row!;
  };

  const anaCopy = await copyOf(ana);
  const anaRun = await run(ana, anaCopy.id, 'succeeded', [
    [1.2, 0.6, 1.0, 0.65],
    [0.7, 0.78, 0.8, 0.74],
    [0.4, 0.88, 0.85, 0.75],
    [0.2, 0.95, 1.05, 0.74],
  ], 0.74);
  const anaSubmission = await handIn(ana, anaCopy.id, anaRun.id, 1, 0, 0.74, false);
  // The autograder's run of her hand-in sits on her copy under no cell of it.
  await db.insert(runs).values({ notebookId: anaCopy.id, cellId: `grade:${anaSubmission.id}`, gradesSubmissionId: anaSubmission.id, ownerId: ana.id, spec, training: DEFAULT_TRAINING, status: 'succeeded', totalParams: compiled.totalParams, testAccuracy: 0.99 });

  const benCopy = await copyOf(ben);
  const benFirst = await run(ben, benCopy.id, 'succeeded', [[0.8, 0.75, 0.5, 0.85], [0.3, 0.92, 0.28, 0.93]], 0.93);
  await handIn(ben, benCopy.id, benFirst.id, 1, 0, 0.93, true);
  const benSubmission = await handIn(ben, benCopy.id, benFirst.id, 2, 7200, 0.93, true);
  const benLive = await run(ben, benCopy.id, 'running', [[0.9, 0.7, 0.6, 0.8]], null);

  const dan = await join('Dan');
  const danCopy = await copyOf(dan);

  return { tokens, join, copyOf, run, handIn, teacher, cls, assignment: assignment!, ana, ben, cara, dan, anaCopy, benCopy, danCopy, anaSubmission, benSubmission, benLive, modelCellId: model.id, trainingCellId: training.id, totalParams: compiled.totalParams };
}
