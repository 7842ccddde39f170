import type { Database } from '../../db/client';
import { toSpreadsheetCsv, type SpreadsheetValue } from '../data/spreadsheet-csv';
import { classReview, type ClassReview } from './class-review';
import type { SessionUser } from './sessions';

/**
 * The grades of one assignment as a spreadsheet: one row per student of the class, with each
 * goal's result, the test accuracy, parameters, the teacher's mark and whether (and how) late.
 * Names and marks are typed by people, so the file is written through spreadsheet-csv.ts,
 * which keeps a name like `=HYPERLINK(...)` from running as a formula.
 */
export function gradeTable(review: ClassReview): { header: string[]; rows: SpreadsheetValue[][] } {
  const goals = review.assignment.goals;
  const header = [
    'Student',
    'Status',
    'Handed in at',
    'Attempt',
    'Late',
    'Hours late',
    ...goals.flatMap((g) => [`Goal: ${g.text}`, `Goal figure: ${g.text}`]),
    'Test accuracy',
    'Parameters',
    'Runs',
    'Mark',
    'Returned',
  ];
  const rows = review.students.map((student) => {
    const submission = student.submission;
    const goalCells = goals.flatMap((goal) => {
      const result = submission?.goalResults.find((r) => r.goalId === goal.id);
      if (!result) return [submission ? (submission.gradingStatus === 'graded' ? 'not checked' : 'being checked') : '', null];
      return [result.met ? 'met' : 'not met', result.value];
    });
    return [
      student.displayName,
      student.progress,
      submission?.submittedAt ?? '',
      submission?.attempt ?? null,
      submission ? (submission.lateBySeconds > 0 ? 'yes' : 'no') : '',
      submission && submission.lateBySeconds > 0 ? hoursLate(submission.lateBySeconds) : null,
      ...goalCells,
      submission?.testAccuracy ?? null,
      submission?.totalParams ?? null,
      student.runCount,
      submission?.mark ?? '',
      submission?.returnedAt ? 'yes' : submission ? 'no' : '',
    ];
  });
  return { header, rows };
}

/** "Grades - 7B - Digits.csv", with only characters every file system and header accepts. */
export function gradesFileName(review: ClassReview): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9 ._-]+/g, '').replace(/\s+/g, ' ').trim().slice(0, 60);
  const parts = ['Grades', safe(review.assignment.className), safe(review.assignment.title)].filter(Boolean);
  return `${parts.join(' - ')}.csv`;
}

export async function gradesCsv(db: Database, user: Pick<SessionUser, 'id' | 'role'>, assignmentId: string): Promise<{ fileName: string; csv: string }> {
  const review = await classReview(db, user, assignmentId);
  const { header, rows } = gradeTable(review);
  return { fileName: gradesFileName(review), csv: toSpreadsheetCsv(header, rows) };
}

/** Hours to two decimals; a late hand-in never reads as 0 hours late beside "Late: yes". */
export function hoursLate(lateBySeconds: number): number {
  return Math.max(0.01, Math.round((lateBySeconds / 3600) * 100) / 100);
}
