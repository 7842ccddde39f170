import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissionFeedback } from '../../../db/schema';
import { makeClassWork } from '../../../testing/class-work';
import { openTestDatabase, type TestDatabase } from '../../../testing/database';
import { FakeRunQueue } from '../../../testing/fake-run-queue';
import type { SessionUser } from '../../services/sessions';
import { createCaller } from '../root';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe.each(kinds)('review API on $kind', ({ kind }) => {
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
  const callerFor = (user: SessionUser | null) => createCaller({ db: database.db, runner, user, maxParams: 5_000_000 });

  it("takes the teacher from the session: the class's teacher reads and writes, a visitor without a session gets NOT_FOUND", async () => {
    const teacher = callerFor({ id: work.teacher.id, displayName: 'Ms Rivera', role: 'teacher' });
    expect((await teacher.review.classView({ assignmentId: work.assignment.id })).students).toHaveLength(4);
    await teacher.review.saveFeedback({ submissionId: work.anaSubmission.id, comment: 'ok', mark: 'B' });

    const visitor = callerFor(null);
    await expect(visitor.review.classView({ assignmentId: work.assignment.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(visitor.review.saveFeedback({ submissionId: work.anaSubmission.id, comment: 'x', mark: 'A+' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(visitor.review.returnSubmission({ submissionId: work.anaSubmission.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [row] = await database.db.select().from(submissionFeedback);
    expect(row).toMatchObject({ mark: 'B', returnedAt: null });
  });

  it('refuses ids that are not ids, naming the field', async () => {
    const teacher = callerFor({ id: work.teacher.id, displayName: 'Ms Rivera', role: 'teacher' });
    await expect(teacher.review.classView({ assignmentId: 'digits' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('assignmentId') });
  });
});
