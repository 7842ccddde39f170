import type { ClassReview, ReviewProgress, ReviewStudent } from '../../server/services/class-review';
import { diagnose, type Diagnosis } from './diagnosis';

/**
 * Sorting and filtering of the class table, kept pure so the order a teacher sees is tested.
 * Missing values (no accuracy yet, never active) always sort last, whichever the direction,
 * so the students with something to show stay on top.
 */
export type SortKey = 'name' | 'progress' | 'accuracy' | 'params' | 'runs' | 'activity' | 'mark';
export type SortDirection = 'ascending' | 'descending';
export type ProgressFilter = 'all' | ReviewProgress;

export const PROGRESS_ORDER: readonly ReviewProgress[] = ['not started', 'working', 'handed in', 'late'];

function sortValue(student: ReviewStudent, key: SortKey): string | number | null {
  switch (key) {
    case 'name':
      return student.displayName.toLocaleLowerCase();
    case 'progress':
      return PROGRESS_ORDER.indexOf(student.progress);
    case 'accuracy':
      return student.bestTestAccuracy;
    case 'params':
      return student.params;
    case 'runs':
      return student.runCount;
    case 'activity':
      return student.lastActivity ? Date.parse(student.lastActivity) : null;
    case 'mark':
      return student.submission?.mark?.toLocaleLowerCase() ?? null;
  }
}

export function sortStudents(students: readonly ReviewStudent[], key: SortKey, direction: SortDirection): ReviewStudent[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...students].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null && y === null) return a.displayName.localeCompare(b.displayName);
    if (x === null) return 1;
    if (y === null) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return order === 0 ? a.displayName.localeCompare(b.displayName) : sign * order;
  });
}

export function filterStudents(students: readonly ReviewStudent[], filter: { progress: ProgressFilter; text: string }): ReviewStudent[] {
  const text = filter.text.trim().toLocaleLowerCase();
  return students.filter((s) => (filter.progress === 'all' || s.progress === filter.progress) && (text === '' || s.displayName.toLocaleLowerCase().includes(text)));
}

/** What the curves say about one student, with the class's output size as the number of classes. */
export function diagnoseStudent(student: ReviewStudent): Diagnosis {
  const last = student.network?.compiled[student.network.compiled.length - 1]?.outputShape;
  const classes = last && typeof last[last.length - 1] === 'number' ? (last[last.length - 1] as number) : undefined;
  return diagnose({ epochs: student.run?.epochs ?? [], hasRun: student.run !== null, classes: classes && classes > 1 ? classes : 2 });
}

export function progressCounts(review: ClassReview): Record<ReviewProgress, number> {
  const counts: Record<ReviewProgress, number> = { 'not started': 0, working: 0, 'handed in': 0, late: 0 };
  for (const s of review.students) counts[s.progress]++;
  return counts;
}
