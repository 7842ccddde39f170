import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classroomWithAssignment } from '../../testing/assignments';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { FakeRunQueue } from '../../testing/fake-run-queue';
import { finishedRun, trainingCellOf } from '../../testing/hand-ins';
import { giveRole } from '../../testing/roles';
import { describeChanges, snapshotDatabase } from '../../testing/school';
import { createAssignment, deleteAssignment, listClassAssignments, openAssignment, updateAssignment } from './assignments';
import { classReview } from './class-review';
import { createClass } from './classes';
import { addComment, getSubmissionForReview, returnSubmission, saveFeedback } from './feedback';
import { gradesCsv } from './grades';
import { createNotebook } from './notebooks';
import { createAnonymousSession } from './sessions';
import { getSubmission, handIn } from './submissions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/**
 * One rule for a class's content (server/services/class-teacher.ts): its own teacher only.
 * The admin is the case that used to differ between services, so it is tried on each of them.
 */
describe.each(kinds)('the admin and class content on $kind', ({ kind }) => {
  let database: TestDatabase;
  const queue = new FakeRunQueue();
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function makeAdmin() {
    const user = (await createAnonymousSession(database.db)).user;
    await giveRole(database.db, user.id, 'admin');
    return { ...user, role: 'admin' as const };
  }

  it('an admin sees and changes nothing of another teacher’s class: assignments, hand-ins, class view, feedback, grades', async () => {
    const db = database.db;
    const room = await classroomWithAssignment(db);
    const { notebookId } = await openAssignment(db, room.studentId, room.assignmentId);
    const cell = await trainingCellOf(db, room.studentId, notebookId);
    const runId = await finishedRun(db, queue, room.studentId, notebookId, { epochs: 1, testAccuracy: 0.8 });
    const submission = await handIn(db, queue, room.studentId, { notebookId, runId });

    const admin = await makeAdmin();
    const { id: adminNotebook } = await createNotebook(db, admin.id, { title: 'Admin’s notebook' });
    const before = await snapshotDatabase(database);
    const refusals: [string, () => Promise<unknown>][] = [
      ['assignment.create', () => createAssignment(db, admin.id, { notebookId: adminNotebook, classId: room.classId, title: 'Mine', dueAt: new Date(Date.now() + 86_400_000).toISOString(), lockedCellIds: [], goals: [] })],
      ['assignment.update', () => updateAssignment(db, admin.id, { id: room.assignmentId, title: 'Changed by the admin' })],
      ['assignment.delete', () => deleteAssignment(db, admin.id, room.assignmentId)],
      ['assignment.listForClass', () => listClassAssignments(db, admin.id, room.classId)],
      ['submission.get', () => getSubmission(db, admin.id, submission.id)],
      ['review.classView', () => classReview(db, admin, room.assignmentId)],
      ['review.submission', () => getSubmissionForReview(db, admin, submission.id)],
      ['review.saveFeedback', () => saveFeedback(db, admin, { submissionId: submission.id, comment: 'Seen', mark: '0' })],
      ['review.addComment', () => addComment(db, admin, { submissionId: submission.id, cellId: cell.id, body: 'Seen' })],
      ['review.returnSubmission', () => returnSubmission(db, admin, submission.id)],
      ['grades.csv', () => gradesCsv(db, admin, room.assignmentId)],
    ];
    for (const [what, attempt] of refusals) {
      await expect(attempt(), what).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(describeChanges(before, await snapshotDatabase(database))).toBe('');

    // Their own teacher still sees it all.
    expect((await getSubmission(db, room.teacherId, submission.id)).id).toBe(submission.id);
    expect((await classReview(db, { id: room.teacherId, role: 'teacher' }, room.assignmentId)).students).toHaveLength(1);
  });

  it('an admin teaches a class of their own like any teacher: makes and changes its assignments, sees its class view and grades', async () => {
    const db = database.db;
    const admin = await makeAdmin();
    const klass = await createClass(db, admin.id, { name: 'Staff training', teacherName: 'Ms Head' });
    const { id: notebookId } = await createNotebook(db, admin.id, { title: 'Two clusters' });
    const { id } = await createAssignment(db, admin.id, { notebookId, classId: klass.id, title: 'Try it', dueAt: new Date(Date.now() + 86_400_000).toISOString(), lockedCellIds: [], goals: [] });
    await updateAssignment(db, admin.id, { id, title: 'Try it out' });
    expect((await listClassAssignments(db, admin.id, klass.id)).map((a) => a.title)).toEqual(['Try it out']);
    expect((await classReview(db, admin, id)).assignment).toMatchObject({ title: 'Try it out', className: 'Staff training' });
    expect((await gradesCsv(db, admin, id)).fileName).toBe('Grades - Staff training - Try it out.csv');
  });
});
