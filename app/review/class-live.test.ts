import { describe, expect, it } from 'vitest';
import type { ClassReview, ReviewStudent } from '../../server/services/class-review';
import { applyClassLiveEvent } from './class-live';

const student = (id: string, runId: string | null, epochs: number[]): ReviewStudent => ({
  studentId: id,
  displayName: id,
  progress: 'working',
  notebookId: `copy-${id}`,
  submission: null,
  submissionCount: 0,
  runCount: runId ? 1 : 0,
  bestTestAccuracy: null,
  params: null,
  lastActivity: null,
  network: null,
  run: runId
    ? { id: runId, status: 'running', plannedEpochs: 5, epochs: epochs.map((epoch) => ({ epoch, loss: 1 / epoch, accuracy: 0.5, valLoss: null, valAccuracy: null })), testAccuracy: null, createdAt: '2026-12-02T10:00:00Z', live: true }
    : null,
});
const review = (...students: ReviewStudent[]): ClassReview => ({
  assignment: { id: 'a', title: 'Digits', dueAt: '2026-12-03T10:00:00Z', classId: 'c', className: '7B', goals: [] },
  students,
});
const point = (epoch: number) => ({ epoch, loss: 0.1, accuracy: 0.9, valLoss: 0.2, valAccuracy: 0.85 });

describe('the class view as live events change it', () => {
  it("grows the curves of the run on the student's card, once per epoch", () => {
    const before = review(student('ana', 'r1', [1]), student('ben', null, []));
    const after = applyClassLiveEvent(before, { type: 'epoch', studentId: 'ana', runId: 'r1', point: point(2) })!;
    expect(after.students[0]!.run!.epochs.map((p) => p.epoch)).toEqual([1, 2]);
    expect(before.students[0]!.run!.epochs).toHaveLength(1);
    expect(applyClassLiveEvent(after, { type: 'epoch', studentId: 'ana', runId: 'r1', point: point(2) })).toBe(after);
  });

  it('leaves a card alone when the epoch is of a run it does not show (its row comes next)', () => {
    const before = review(student('ana', 'r1', [1, 2]));
    expect(applyClassLiveEvent(before, { type: 'epoch', studentId: 'ana', runId: 'r2', point: point(1) })).toBe(before);
  });

  it("replaces one student's row, adds a newcomer, and a snapshot replaces everything", () => {
    const before = review(student('ana', 'r1', [1]), student('ben', null, []));
    const ben = { ...student('ben', 'r9', [1]), progress: 'handed in' as const };
    const after = applyClassLiveEvent(before, { type: 'student', student: ben })!;
    expect(after.students.map((s) => [s.studentId, s.progress])).toEqual([['ana', 'working'], ['ben', 'handed in']]);
    expect(applyClassLiveEvent(after, { type: 'student', student: student('cara', null, []) })!.students).toHaveLength(3);
    const fresh = review(student('dan', null, []));
    expect(applyClassLiveEvent(after, { type: 'snapshot', review: fresh })).toBe(fresh);
  });
});
