import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { feedbackComments, submissionFeedback, submissions, type UserRole } from '../../db/schema';
import { giveRole } from '../../testing/roles';
import { makeClassWork } from '../../testing/class-work';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { createClass } from './classes';
import { classReview } from './class-review';
import { addComment, deleteComment, feedbackForMyCopy, getSubmissionForReview, returnSubmission, saveFeedback } from './feedback';
import { gradesCsv } from './grades';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe.each(kinds)('class review and feedback on $kind', ({ kind }) => {
  let database: TestDatabase;
  let work: Awaited<ReturnType<typeof makeClassWork>>;
  let otherTeacher: { id: string; role: UserRole };
  let outsider: { id: string; role: UserRole };
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    work = await makeClassWork(database.db);
    otherTeacher = (await createAnonymousSession(database.db)).user;
    await giveRole(database.db, otherTeacher.id, 'teacher');
    await createClass(database.db, otherTeacher.id, { name: 'Other class', teacherName: 'Mr Other' });
    otherTeacher = { ...otherTeacher, role: 'teacher' };
    outsider = (await createAnonymousSession(database.db)).user;
  });
  afterAll(async () => {
    await database?.destroy();
  });
  const teacher = () => ({ id: work.teacher.id, role: 'teacher' as const });
  const snapshot = async () => ({
    feedback: await database.db.select().from(submissionFeedback),
    comments: await database.db.select().from(feedbackComments),
  });

  it('shows the teacher every student of the class with their progress, goals, accuracy and curves', async () => {
    await database.db.update(submissions).set({ lockedCellIssues: [{ cellId: 'intro', problem: 'changed' }] }).where(eq(submissions.id, work.benSubmission.id));
    const review = await classReview(database.db, teacher(), work.assignment.id);
    expect(review.assignment).toMatchObject({ title: 'Digits', className: '7B Computing' });
    expect(review.assignment.goals.map((g) => g.text)).toEqual([expect.stringContaining('Test accuracy at least 90%'), 'At most 200,000 parameters']);
    const byName = new Map(review.students.map((s) => [s.displayName, s]));
    expect(review.students).toHaveLength(4);

    const ana = byName.get('Ana')!;
    // The autograder's run on her copy (0.99) is neither her run nor her accuracy.
    expect(ana).toMatchObject({ progress: 'handed in', runCount: 1, submissionCount: 1, bestTestAccuracy: 0.74, params: work.totalParams });
    expect(ana.submission!.goalResults.map((g) => [g.goalId, g.met])).toEqual([['accuracy', false], ['size', true]]);
    expect(ana.run!.epochs.map((e) => e.valLoss)).toEqual([1.0, 0.8, 0.85, 1.05]);
    expect(ana.network!.source).toBe('handed in');
    expect(ana.network!.compiled.length).toBeGreaterThan(1);

    const ben = review.students.find((s) => s.studentId === work.ben.id)!;
    // The latest of two hand-ins counts, and it was two hours late.
    expect(ben).toMatchObject({ progress: 'late', submissionCount: 2, runCount: 2 });
    expect(ben.submission).toMatchObject({ attempt: 2, lateBySeconds: 7200, lockedCellIssues: 1 });
    expect(ana.submission!.lockedCellIssues).toBe(0);
    // While a run trains, its curves are the ones shown, live.
    expect(ben.run).toMatchObject({ id: work.benLive.id, live: true, status: 'running', plannedEpochs: 5 });

    expect(byName.get('Dan')).toMatchObject({ progress: 'working', run: null, submission: null, runCount: 0 });
    expect(byName.get('Dan')!.network!.source).toBe('current blocks');
    expect(byName.get('Cara')).toMatchObject({ progress: 'not started', notebookId: null, network: null, lastActivity: null });
  });

  it('answers NOT_FOUND to students, another teacher and strangers, and for an unknown assignment', async () => {
    for (const user of [{ id: work.ana.id, role: 'student' as const }, otherTeacher, outsider]) {
      await expect(classReview(database.db, user, work.assignment.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(gradesCsv(database.db, user, work.assignment.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(getSubmissionForReview(database.db, user, work.anaSubmission.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(classReview(database.db, teacher(), '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives an admin nothing of another teacher’s class: no class view, grades, hand-in or feedback, and nothing changes', async () => {
    const admin = (await createAnonymousSession(database.db)).user;
    await giveRole(database.db, admin.id, 'admin');
    const asAdmin = { ...admin, role: 'admin' as const };
    await expect(classReview(database.db, asAdmin, work.assignment.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(gradesCsv(database.db, asAdmin, work.assignment.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getSubmissionForReview(database.db, asAdmin, work.anaSubmission.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const before = await snapshot();
    await expect(saveFeedback(database.db, asAdmin, { submissionId: work.anaSubmission.id, comment: 'Seen by the admin', mark: '1/10' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(returnSubmission(database.db, asAdmin, work.anaSubmission.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshot()).toEqual(before);
  });

  it('opens a hand-in read-only with its cells, network and curves', async () => {
    const submission = await getSubmissionForReview(database.db, teacher(), work.benSubmission.id);
    expect(submission).toMatchObject({ studentName: expect.stringContaining('Ben'), attempt: 2, lateBySeconds: 7200, plannedEpochs: 3 });
    expect(submission.attempts.map((a) => a.attempt)).toEqual([2, 1]);
    expect(submission.cells.map((c) => c.type)).toEqual(['markdown', 'model', 'training']);
    expect(submission.epochs).toHaveLength(2);
    expect(submission.network!.layers.length).toBeGreaterThan(1);
  });

  it('keeps feedback hidden until returned, then shows it to that student only, at their cells', async () => {
    const t = teacher();
    await saveFeedback(database.db, t, { submissionId: work.anaSubmission.id, comment: '  Good start, but it overfits. ', mark: '6/10' });
    const comment = await addComment(database.db, t, { submissionId: work.anaSubmission.id, cellId: work.modelCellId, blockId: 'some-block', body: 'Try a Dropout layer here.' });
    expect(await feedbackForMyCopy(database.db, work.ana, work.anaCopy.id)).toBeNull();

    await returnSubmission(database.db, t, work.anaSubmission.id);
    const seen = await feedbackForMyCopy(database.db, work.ana, work.anaCopy.id);
    expect(seen).toMatchObject({ comment: 'Good start, but it overfits.', mark: '6/10', attempt: 1 });
    expect(seen!.comments).toEqual([{ id: comment.id, cellId: work.modelCellId, blockId: 'some-block', body: 'Try a Dropout layer here.' }]);

    // Another student cannot read Ana's copy's feedback; Ben has none returned.
    await expect(feedbackForMyCopy(database.db, work.ben, work.anaCopy.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await feedbackForMyCopy(database.db, work.ben, work.benCopy.id)).toBeNull();

    const review = await classReview(database.db, t, work.assignment.id);
    expect(review.students.find((s) => s.displayName === 'Ana')!.submission).toMatchObject({ mark: '6/10', returnedAt: expect.any(String) });
  });

  it('never lets a student or another teacher write or delete feedback, and changes nothing when refused', async () => {
    const t = teacher();
    const kept = await addComment(database.db, t, { submissionId: work.benSubmission.id, cellId: work.modelCellId, body: 'Nice.' });
    const before = await snapshot();
    for (const user of [{ id: work.ana.id, role: 'student' as const }, { id: work.ben.id, role: 'student' as const }, otherTeacher, outsider]) {
      await expect(saveFeedback(database.db, user, { submissionId: work.benSubmission.id, comment: 'hacked', mark: '10/10' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(addComment(database.db, user, { submissionId: work.benSubmission.id, cellId: work.modelCellId, body: 'hacked' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(deleteComment(database.db, user, kept.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(returnSubmission(database.db, user, work.benSubmission.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await snapshot()).toEqual(before);
    await deleteComment(database.db, t, kept.id);
    expect((await snapshot()).comments.some((c) => c.id === kept.id)).toBe(false);
  });

  it('refuses a comment on a cell the hand-in does not have, or one that is too long, saying how to fix it', async () => {
    const t = teacher();
    await expect(addComment(database.db, t, { submissionId: work.benSubmission.id, cellId: 'no-such-cell', body: 'x' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('not part of this hand-in'),
    });
    await expect(addComment(database.db, t, { submissionId: work.benSubmission.id, cellId: work.modelCellId, body: 'x'.repeat(2001) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('at most 2,000 characters'),
    });
    await expect(saveFeedback(database.db, t, { submissionId: work.benSubmission.id, comment: '', mark: 'x'.repeat(21) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('exports one row per student with goals, accuracy, mark and lateness, with formulas neutralised', async () => {
    const { fileName, csv } = await gradesCsv(database.db, teacher(), work.assignment.id);
    expect(fileName).toBe('Grades - 7B Computing - Digits.csv');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('"Goal: Test accuracy at least 90%');
    const ana = lines.find((l) => l.startsWith('"Ana"'))!;
    expect(ana).toContain('"handed in"');
    expect(ana).toContain('"not met",0.74');
    expect(ana).toContain('"6/10"');
    // A name that is a formula is written as text, never run.
    const ben = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(ben.startsWith(`"'=HYPERLINK(`)).toBe(true);
    expect(ben).toContain('"late",');
    expect(ben).toContain('"yes",2,');
    expect(lines.find((l) => l.startsWith('"Cara"'))).toContain('"not started"');
  });
});
