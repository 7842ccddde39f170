import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, runWeights, submissions } from '../../../db/schema';
import { makeClassWork } from '../../../testing/class-work';
import { openTestDatabase, type TestDatabase } from '../../../testing/database';
import { FakeRunQueue } from '../../../testing/fake-run-queue';
import type { ClassLiveEvent } from '../../services/class-live';
import type { SessionUser } from '../../services/sessions';
import { handIn } from '../../services/submissions';
import { createCaller } from '../root';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/** Reads a subscription one event at a time, failing a test that waits longer than `ms` for one. */
function reader(stream: AsyncIterable<ClassLiveEvent>, connection: AbortController) {
  const events = stream[Symbol.asyncIterator]();
  return {
    async next(ms = 5_000): Promise<ClassLiveEvent> {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no class view event within ${ms} ms`)), ms);
      });
      try {
        const result = await Promise.race([events.next(), timeout]);
        if (result.done) throw new Error('the class view stream ended');
        return result.value;
      } finally {
        clearTimeout(timer);
      }
    },
    /** The next event that is about `studentId` and passes `test`, skipping others (another student's news). */
    async nextFor(studentId: string, test: (e: ClassLiveEvent) => boolean = () => true, ms = 5_000): Promise<ClassLiveEvent> {
      const until = Date.now() + ms;
      for (;;) {
        const event = await this.next(Math.max(1, until - Date.now()));
        const about = event.type === 'student' ? event.student.studentId : event.type === 'epoch' ? event.studentId : null;
        if (about === studentId && test(event)) return event;
      }
    },
    /** What a browser closing the page does: the request is aborted. */
    async close() {
      connection.abort();
      await events.return?.();
    },
  };
}

describe.each(kinds)('the live class view on $kind', ({ kind }) => {
  let database: TestDatabase;
  let work: Awaited<ReturnType<typeof makeClassWork>>;
  const runner = new FakeRunQueue();
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    work = await makeClassWork(database.db);
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const open = async (user: SessionUser | null) => {
    const connection = new AbortController();
    const caller = createCaller({ db: database.db, runner, user, maxParams: 5_000_000 }, { signal: connection.signal });
    return reader(await caller.review.classLive({ assignmentId: work.assignment.id }), connection);
  };
  const teacherUser = (): SessionUser => ({ id: work.teacher.id, displayName: 'Ms Rivera', role: 'teacher' });

  it("pushes a student's run as it trains, epoch by epoch, and their hand-in, to the class's teacher", async () => {
    const live = await open(teacherUser());
    try {
      const first = await live.next();
      expect(first.type).toBe('snapshot');
      const dan = first.type === 'snapshot' ? first.review.students.find((s) => s.studentId === work.dan.id) : undefined;
      expect(dan).toMatchObject({ progress: 'working', run: null });

      // Dan presses Train: the runner says the run is queued, then running.
      const run = await work.run(work.dan, work.danCopy.id, 'running', [], null, undefined, 6);
      runner.emit(run.id, { type: 'status', status: 'running', backend: 'cpu' });
      const started = await live.nextFor(work.dan.id, (e) => e.type === 'student');
      expect(started).toMatchObject({ type: 'student', student: { run: { id: run.id, live: true, plannedEpochs: 6, epochs: [] } } });

      // Each finished epoch arrives as it is, without waiting for the database.
      const started1 = Date.now();
      runner.emit(run.id, { type: 'epoch', epoch: 1, loss: 0.9, accuracy: 0.6, valLoss: 0.95, valAccuracy: 0.58, seconds: 1 });
      expect(await live.nextFor(work.dan.id)).toEqual({ type: 'epoch', studentId: work.dan.id, runId: run.id, point: { epoch: 1, loss: 0.9, accuracy: 0.6, valLoss: 0.95, valAccuracy: 0.58 } });
      runner.emit(run.id, { type: 'epoch', epoch: 2, loss: 0.5, accuracy: 0.8, valLoss: 0.55, valAccuracy: 0.79, seconds: 1 });
      expect(await live.nextFor(work.dan.id)).toMatchObject({ type: 'epoch', point: { epoch: 2, accuracy: 0.8 } });
      expect(Date.now() - started1).toBeLessThan(2_000);

      // The run ends (stored first, as the runner does), and Dan hands it in.
      await database.db.update(runs).set({ status: 'succeeded', testAccuracy: 0.8, testLoss: 0.5, finishedAt: new Date() }).where(eq(runs.id, run.id));
      await database.db.insert(runWeights).values({ runId: run.id, modelTopology: { class_name: 'Sequential' }, weightSpecs: [], weightData: new Uint8Array([1]) });
      runner.emit(run.id, { type: 'status', status: 'succeeded' });
      const ended = await live.nextFor(work.dan.id, (e) => e.type === 'student' && e.student.run?.live === false);
      // The card keeps the epochs it had: the stored read lacks them (the fake runner stores none), the stream heard them.
      expect(ended).toMatchObject({ type: 'student', student: { bestTestAccuracy: 0.8, run: { id: run.id, live: false, epochs: [{ epoch: 1 }, { epoch: 2 }] } } });

      await handIn(database.db, runner, work.dan.id, { notebookId: work.danCopy.id, runId: run.id });
      const handedIn = await live.nextFor(work.dan.id, (e) => e.type === 'student' && e.student.submission !== null);
      // Due an hour ago in this class, so it is late; graded at once (the assignment has no hidden test data).
      expect(handedIn).toMatchObject({ type: 'student', student: { progress: 'late', submission: { attempt: 1 } } });
    } finally {
      await live.close();
    }
    expect(runner.everyRunSubscriberCount()).toBe(0);
  });

  it('learns of a run it has not seen from its first epoch, and keeps that epoch when it reads the card again', async () => {
    const cara = work.cara;
    const live = await open(teacherUser());
    try {
      expect((await live.next()).type).toBe('snapshot');
      // Cara's copy and run are written straight into the database (nothing announced): the run's first epoch is all the stream hears.
      const copy = await work.copyOf(cara);
      const run = await work.run(cara, copy.id, 'running', [], null);
      runner.emit(run.id, { type: 'epoch', epoch: 1, loss: 1.1, accuracy: 0.5, valLoss: null, valAccuracy: null, seconds: 2 });
      const card = await live.next();
      // Her card is read again; the fake runner stores no epochs, so the one on the card is the one the stream heard.
      expect(card).toMatchObject({ type: 'student', student: { studentId: cara.id, run: { id: run.id, epochs: [{ epoch: 1, loss: 1.1 }] } } });
    } finally {
      await live.close();
    }
  });

  it('follows a run of a cell named like a grading run as the student’s own, and never the grader’s run', async () => {
    const ana = work.ana;
    const live = await open(teacherUser());
    try {
      expect((await live.next()).type).toBe('snapshot');
      const insertRun = async (values: { cellId: string; gradesSubmissionId: string | null }) =>
        (await database.db.insert(runs).values({ notebookId: work.anaCopy.id, ownerId: ana.id, spec: {}, training: {}, status: 'running', totalParams: 1, ...values }).returning({ id: runs.id }))[0]!.id;
      const grading = await insertRun({ cellId: `grade:${work.anaSubmission.id}`, gradesSubmissionId: work.anaSubmission.id });
      const hers = await insertRun({ cellId: `grade:${work.anaSubmission.id}`, gradesSubmissionId: null });
      runner.emit(grading, { type: 'epoch', epoch: 1, loss: 0.1, accuracy: 0.99, valLoss: null, valAccuracy: null, seconds: 1 });
      runner.emit(hers, { type: 'epoch', epoch: 1, loss: 0.7, accuracy: 0.6, valLoss: null, valAccuracy: null, seconds: 1 });
      // Her card is read again for her run's first epoch; the grader's epoch never reaches it.
      expect(await live.nextFor(ana.id)).toMatchObject({ type: 'student', student: { run: { id: hers, live: true, epochs: [{ epoch: 1, accuracy: 0.6 }] } } });
    } finally {
      await live.close();
    }
  });

  it("pushes the teacher's changes to the assignment: new locks flag a hand-in's row, a new due date and goals the whole view", async () => {
    // Eli hands in with the introduction (the markdown cell) rewritten: nothing to flag while it is unlocked.
    const eli = await work.join('Eli');
    const copy = await work.copyOf(eli);
    const run = await work.run(eli, copy.id, 'succeeded', [], 0.95);
    const submission = await work.handIn(eli, copy.id, run.id, 1, 0, 0.95, true);
    const [handedIn] = await database.db.select({ cells: submissions.cells }).from(submissions).where(eq(submissions.id, submission.id));
    const cells = handedIn!.cells as Array<{ id: string; type: string; source?: string }>;
    const introduction = cells.find((c) => c.type === 'markdown')!;
    const rewritten = cells.map((c) => (c.id === introduction.id ? { ...c, source: 'My own words' } : c));
    await database.db.update(submissions).set({ cells: rewritten }).where(eq(submissions.id, submission.id));

    const teacher = createCaller({ db: database.db, runner, user: teacherUser(), maxParams: 5_000_000 });
    const live = await open(teacherUser());
    const nextSnapshot = async () => {
      for (;;) {
        const event = await live.next();
        if (event.type === 'snapshot') return event.review;
      }
    };
    try {
      const first = await nextSnapshot();
      expect(first.students.find((s) => s.studentId === eli.id)?.submission).toMatchObject({ lockedCellIssues: 0 });

      // Pushed at once, not at the view's next full read a minute later.
      await teacher.assignment.update({ id: work.assignment.id, lockedCellIds: [introduction.id] });
      const flagged = await live.nextFor(eli.id, (e) => e.type === 'student');
      expect(flagged).toMatchObject({ type: 'student', student: { submission: { lockedCellIssues: 1 } } });

      // A new due date changes the heading and who handed in late (Ben's second hand-in was two hours late).
      const dueAt = new Date(Date.now() + 86_400_000).toISOString();
      expect(first.students.find((s) => s.studentId === work.ben.id)?.submission).toMatchObject({ lateBySeconds: 7200 });
      await teacher.assignment.update({ id: work.assignment.id, dueAt });
      const moved = await nextSnapshot();
      expect(moved.assignment.dueAt).toBe(dueAt);
      expect(moved.students.find((s) => s.studentId === work.ben.id)?.submission).toMatchObject({ lateBySeconds: 0 });

      // New goals: the heading lists them and every hand-in is judged by them.
      await teacher.assignment.update({ id: work.assignment.id, goals: [{ id: 'small', kind: 'maxParams', max: 1_000 }] });
      const regoaled = await nextSnapshot();
      expect(regoaled.assignment.goals.map((g) => g.id)).toEqual(['small']);
      expect(regoaled.students.find((s) => s.studentId === eli.id)?.submission?.goalResults).toMatchObject([{ goalId: 'small', met: false }]);
    } finally {
      await live.close();
    }
  });

  it('opens for nobody but the teacher of the class: a student of the class and a visitor get NOT_FOUND', async () => {
    for (const user of [{ id: work.ana.id, displayName: 'Ana', role: 'student' } as SessionUser, null]) {
      const live = await open(user);
      await expect(live.next()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(runner.everyRunSubscriberCount()).toBe(0);
  });
});
