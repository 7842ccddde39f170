import { describe, expect, it } from 'vitest';
import type { ReviewStudent } from '../../server/services/class-review';
import { diagnoseStudent, filterStudents, sortStudents } from './class-table';

const student = (displayName: string, over: Partial<ReviewStudent> = {}): ReviewStudent => ({
  studentId: displayName,
  displayName,
  progress: 'working',
  notebookId: null,
  submission: null,
  submissionCount: 0,
  runCount: 0,
  bestTestAccuracy: null,
  params: null,
  lastActivity: null,
  network: null,
  run: null,
  ...over,
});

const names = (list: ReviewStudent[]) => list.map((s) => s.displayName);

describe('the class table', () => {
  const class7b = [
    student('ben', { bestTestAccuracy: 0.8, progress: 'late', runCount: 3, lastActivity: '2026-12-02T10:00:00Z' }),
    student('Ana', { bestTestAccuracy: 0.93, progress: 'handed in', runCount: 1, lastActivity: '2026-12-02T11:00:00Z' }),
    student('Cara', { progress: 'not started' }),
    student('Dan', { bestTestAccuracy: 0.5, runCount: 2, lastActivity: '2026-12-02T09:00:00Z' }),
  ];

  it('sorts by name regardless of capitals', () => {
    expect(names(sortStudents(class7b, 'name', 'ascending'))).toEqual(['Ana', 'ben', 'Cara', 'Dan']);
    expect(names(sortStudents(class7b, 'name', 'descending'))).toEqual(['Dan', 'Cara', 'ben', 'Ana']);
  });

  it('sorts by accuracy with students without one last in both directions', () => {
    expect(names(sortStudents(class7b, 'accuracy', 'descending'))).toEqual(['Ana', 'ben', 'Dan', 'Cara']);
    expect(names(sortStudents(class7b, 'accuracy', 'ascending'))).toEqual(['Dan', 'ben', 'Ana', 'Cara']);
  });

  it('sorts by progress from not started to late, and by last activity', () => {
    expect(names(sortStudents(class7b, 'progress', 'ascending'))).toEqual(['Cara', 'Dan', 'Ana', 'ben']);
    expect(names(sortStudents(class7b, 'activity', 'descending'))).toEqual(['Ana', 'ben', 'Dan', 'Cara']);
  });

  it('filters by progress and by part of a name', () => {
    expect(names(filterStudents(class7b, { progress: 'late', text: '' }))).toEqual(['ben']);
    expect(names(filterStudents(class7b, { progress: 'all', text: ' A ' }))).toEqual(['Ana', 'Cara', 'Dan']);
  });

  it('diagnoses a student without a run as not started', () => {
    expect(diagnoseStudent(class7b[2]!).kind).toBe('not-started');
  });

  it('takes guessing level from the network output: 10 outputs make 10% chance', () => {
    const flat = { epochs: [1, 2, 3].map((epoch) => ({ epoch, loss: 2.3, accuracy: 0.12, valLoss: 2.3, valAccuracy: 0.11 })) };
    const network = { layers: [], compiled: [{ id: 'o', type: 'dense', label: 'Dense', outputShape: [null, 10], params: 10 }], source: 'trained' };
    const run = { id: 'r', status: 'succeeded' as const, plannedEpochs: 3, testAccuracy: null, createdAt: '', live: false, ...flat };
    expect(diagnoseStudent(student('Eve', { network, run })).kind).toBe('not-learning');
  });
});
