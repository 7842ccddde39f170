import type { ClassLiveEvent } from '../../server/services/class-live';
import type { ClassReview } from '../../server/services/class-review';

/**
 * The class view as the live stream changes it: a snapshot replaces everything, a student's
 * row replaces theirs, an epoch grows the curves of the run on that student's card. Pure, so
 * the page and its tests agree on what each event means.
 */
export function applyClassLiveEvent(review: ClassReview | undefined, event: ClassLiveEvent): ClassReview | undefined {
  if (event.type === 'snapshot') return event.review;
  if (!review) return review;
  if (event.type === 'student') {
    const known = review.students.some((s) => s.studentId === event.student.studentId);
    return {
      ...review,
      students: known ? review.students.map((s) => (s.studentId === event.student.studentId ? event.student : s)) : [...review.students, event.student],
    };
  }
  let changed = false;
  const students = review.students.map((s) => {
    if (s.studentId !== event.studentId || s.run?.id !== event.runId) return s;
    // An epoch heard twice (a reconnect, a read that already had it) is drawn once.
    if ((s.run.epochs.at(-1)?.epoch ?? 0) >= event.point.epoch) return s;
    changed = true;
    return { ...s, run: { ...s.run, epochs: [...s.run.epochs, event.point] } };
  });
  return changed ? { ...review, students } : review;
}
