import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs, submissions } from '../../db/schema';
import { classroomWithAssignment, tinyAssignmentCells } from '../../testing/assignments';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { finishedRun, waitingRun } from '../../testing/hand-ins';
import { openAssignment } from './assignments';
import { createNotebook, getNotebook, saveNotebook } from './notebooks';
import { cancelRun, DEFAULT_MAX_QUEUED_PER_USER, tooManyWaitingMessage } from './runs';
import { handIn } from './submissions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/**
 * A student may have 3 runs waiting (server/services/runs.ts). Grading their hand-in is the
 * server's work done in their name: it must never cost them a Train press, nor be refused
 * because they pressed Train, and it must not open a way around the limit either.
 */
describe.each(kinds)('grading runs and the waiting-runs limit on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const waitingOf = async (userId: string) =>
    (await database.db.select({ n: sql<number>`count(*)::int` }).from(runs).where(sql`${runs.ownerId} = ${userId} and ${runs.status} = 'queued'`))[0]!.n;

  it('queues the grading of a hand-in while the student has 3 runs waiting, and leaves their own limit exactly as it was', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db, { goals: [{ id: 'acc', kind: 'testAccuracy', min: 0.8 }] });
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const trained = await finishedRun(db, queue, room.studentId, notebookId);
    const own = [];
    for (let i = 0; i < DEFAULT_MAX_QUEUED_PER_USER; i++) own.push(await waitingRun(db, queue, room.studentId, notebookId));
    await expect(waitingRun(db, queue, room.studentId, notebookId)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: tooManyWaitingMessage(3) });

    // Handing in with a full queue: the grading run is queued all the same.
    const submitted = await handIn(db, queue, room.studentId, { notebookId, runId: trained });
    expect(submitted.gradingStatus).toBe('queued');
    const gradingJob = queue.jobs.at(-1)!;
    expect(gradingJob.resumeFromStoredCheckpoint).toBe(true);
    const [gradingRun] = await db.select().from(runs).where(eq(runs.id, gradingJob.runId));
    expect(gradingRun).toMatchObject({ ownerId: room.studentId, status: 'queued', gradesSubmissionId: submitted.id });
    expect(await waitingOf(room.studentId)).toBe(4);

    // Their own limit is unchanged: still refused at 3 of their own, and one freed place is theirs again.
    await expect(waitingRun(db, queue, room.studentId, notebookId)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await cancelRun(db, queue, room.studentId, own[0]!);
    await waitingRun(db, queue, room.studentId, notebookId);
    await expect(waitingRun(db, queue, room.studentId, notebookId)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: tooManyWaitingMessage(3) });
    // A second hand-in adds a second grading run, and still no place for the student's own.
    await handIn(db, queue, room.studentId, { notebookId, runId: trained });
    const [second] = await db.select({ status: submissions.gradingStatus }).from(submissions).where(sql`${submissions.studentId} = ${room.studentId} and ${submissions.attempt} = 2`);
    expect(second!.status).toBe('queued');
    expect(await waitingOf(room.studentId)).toBe(5);
    await expect(waitingRun(db, queue, room.studentId, notebookId)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('counts a run of a cell the student named like a grading run: only the server’s own grading runs are left out', async () => {
    const db = database.db;
    const queue = new FakeRunQueue();
    const room = await classroomWithAssignment(db);
    const { notebookId: copyId } = await openAssignment(db, room.studentId, room.assignmentId);
    const submitted = await handIn(db, queue, room.studentId, { notebookId: copyId, runId: await finishedRun(db, queue, room.studentId, copyId) });

    // A notebook of their own whose training cell has the id a grading run of their hand-in has.
    const { id: notebookId } = await createNotebook(db, room.studentId, { title: 'Sneaky' });
    const forged = `grade:${submitted.id}`;
    const cells = tinyAssignmentCells().map((c) => (c.type === 'training' ? { ...c, id: forged } : c));
    await saveNotebook(db, room.studentId, { id: notebookId, version: (await getNotebook(db, room.studentId, notebookId)).version, title: 'Sneaky', cells });
    for (let i = 0; i < DEFAULT_MAX_QUEUED_PER_USER; i++) await waitingRun(db, queue, room.studentId, notebookId, forged);
    await expect(waitingRun(db, queue, room.studentId, notebookId, forged)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await expect(waitingRun(db, queue, room.studentId, copyId)).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // 3 of theirs and the real grading run.
    expect(await waitingOf(room.studentId)).toBe(4);
  });
});
