/**
 * The teacher's class view, live: one full read, then only what changes, pushed as it
 * happens. Training progress comes from the runner's events (every run, including those
 * relayed from worker machines through the database); hand-ins, grades, new copies,
 * returned feedback and the teacher's changes to the assignment (due date, locked cells,
 * goals) from the class-activity announcements. A student's row is read again
 * when one of their runs starts or ends or their hand-in changes; a finished epoch is sent as
 * it is, so the curves grow without reading the database.
 */
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { notebooks, runs } from '../../db/schema';
import type { RunEvent } from '../training/protocol';
import { listenForClassActivity } from './class-activity';
import { assignmentForReviewer, classReview, type ClassReview, type ReviewCurvePoint, type ReviewStudent } from './class-review';
import type { RunQueue } from './runs';
import type { SessionUser } from './sessions';

export type ClassLiveEvent =
  /** The whole class view: first, and again whenever who is in the class or the assignment's heading (due date, goals, title) changed. */
  | { type: 'snapshot'; review: ClassReview }
  /** One student's row, read again (a run started or ended, a hand-in, a grade, feedback). */
  | { type: 'student'; student: ReviewStudent }
  /** A finished epoch of the run shown on a student's card: add it to the curves. */
  | { type: 'epoch'; studentId: string; runId: string; point: ReviewCurvePoint };

export interface ClassLiveOptions {
  /** How long to gather news before reading again, so a class pressing Train together costs one read. */
  settleMs?: number;
  /** A full read this often even when nothing was heard (a notification lost with a dropped database connection). */
  safetyRefreshMs?: number;
}

export const CLASS_LIVE_SETTLE_MS = 200;
export const CLASS_LIVE_SAFETY_REFRESH_MS = 60_000;

type News = { kind: 'run'; runId: string; event: RunEvent } | { kind: 'activity' };

export async function* classLiveEvents(
  db: Database,
  queue: RunQueue,
  user: Pick<SessionUser, 'id' | 'role'>,
  assignmentId: string,
  signal?: AbortSignal,
  options: ClassLiveOptions = {},
): AsyncGenerator<ClassLiveEvent, void, unknown> {
  // Refused before anything is followed: to anyone but the class's teacher it does not exist.
  await assignmentForReviewer(db, user, assignmentId);
  const settleMs = options.settleMs ?? CLASS_LIVE_SETTLE_MS;
  const safetyRefreshMs = options.safetyRefreshMs ?? CLASS_LIVE_SAFETY_REFRESH_MS;

  // Listen before the first read, so nothing that happens during it is missed.
  const inbox: News[] = [];
  let wake: (() => void) | null = null;
  const hear = (news: News) => {
    inbox.push(news);
    wake?.();
  };
  const stopRuns = queue.subscribeToEveryRun((runId, event) => {
    // Batches come several times a second and change nothing on the cards; notes are for the student.
    if (event.type === 'epoch' || event.type === 'status' || event.type === 'done') hear({ kind: 'run', runId, event });
  });
  let stopActivity: (() => Promise<void>) | null = null;
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    stopActivity = await listenForClassActivity(db, (activity) => {
      if (activity.assignmentId === assignmentId) hear({ kind: 'activity' });
    });

    let view = await classReview(db, user, assignmentId);
    yield { type: 'snapshot', review: view };

    /** Whose run it is (null: no student's own run of this assignment), asked once per run. */
    const runStudent = new Map<string, string | null>();
    /** Epochs heard of runs training on a card (or about to be), added to what a read finds: the runner announces before it stores. */
    const heardEpochs = new Map<string, ReviewCurvePoint[]>();
    let readAgain = false;
    let settled = false;
    let lastReadAt = Date.now();

    const studentOfRun = async (runId: string): Promise<string | null> => {
      if (runStudent.has(runId)) return runStudent.get(runId)!;
      const [row] = await db
        .select({ gradesSubmissionId: runs.gradesSubmissionId, ownerId: notebooks.ownerId, assignmentId: notebooks.assignmentId })
        .from(runs)
        .innerJoin(notebooks, eq(notebooks.id, runs.notebookId))
        .where(eq(runs.id, runId))
        .limit(1);
      // Grading runs are announced by the grade they record, not followed as training.
      const student = row && row.assignmentId === assignmentId && row.gradesSubmissionId === null ? row.ownerId : null;
      runStudent.set(runId, student);
      return student;
    };

    while (!signal?.aborted) {
      const news = inbox.shift();
      if (news) {
        if (news.kind === 'activity') {
          readAgain = true;
          continue;
        }
        const studentId = await studentOfRun(news.runId);
        if (!studentId) continue;
        if (news.event.type !== 'epoch') {
          // Started, queued, ended: which run the card shows and its figures may change.
          readAgain = true;
          continue;
        }
        const point = curvePoint(news.event);
        heardEpochs.set(news.runId, [...(heardEpochs.get(news.runId) ?? []), point]);
        const card = view.students.find((s) => s.studentId === studentId);
        if (card?.run?.id === news.runId) {
          const last = card.run.epochs.at(-1)?.epoch ?? 0;
          if (point.epoch > last) {
            card.run.epochs.push(point);
            yield { type: 'epoch', studentId, runId: news.runId, point };
          }
        } else {
          // A run not on the card yet (it has just started): the card is read again, with this epoch.
          readAgain = true;
        }
        continue;
      }

      if (readAgain || Date.now() - lastReadAt >= safetyRefreshMs) {
        if (readAgain && !settled && settleMs > 0) {
          // Let a burst of news arrive (the whole class pressing Train), take it in, then read once.
          await sleep(settleMs, signal);
          settled = true;
          continue;
        }
        settled = false;
        readAgain = false;
        lastReadAt = Date.now();
        const next = withHeardEpochs(await classReview(db, user, assignmentId), heardEpochs);
        if (sameStudents(view, next) && JSON.stringify(view.assignment) === JSON.stringify(next.assignment)) {
          const before = new Map(view.students.map((s) => [s.studentId, JSON.stringify(s)]));
          for (const student of next.students) {
            if (before.get(student.studentId) !== JSON.stringify(student)) yield { type: 'student', student };
          }
        } else {
          yield { type: 'snapshot', review: next };
        }
        view = next;
        forgetShownEpochs(heardEpochs, view);
        continue;
      }

      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, safetyRefreshMs - (Date.now() - lastReadAt)));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (inbox.length > 0 || signal?.aborted) wake();
      });
      wake = null;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stopRuns();
    await stopActivity?.().catch(() => {});
  }
}

function curvePoint(event: Extract<RunEvent, { type: 'epoch' }>): ReviewCurvePoint {
  return { epoch: event.epoch, loss: event.loss, accuracy: event.accuracy, valLoss: event.valLoss, valAccuracy: event.valAccuracy };
}

function sameStudents(a: ClassReview, b: ClassReview): boolean {
  return a.students.length === b.students.length && a.students.every((s, i) => s.studentId === b.students[i]!.studentId);
}

/**
 * The runner announces an epoch before it is stored, so a read right after can lack the
 * newest epochs: add the ones heard, so a curve never loses a point it already had.
 */
function withHeardEpochs(review: ClassReview, heard: Map<string, ReviewCurvePoint[]>): ClassReview {
  for (const student of review.students) {
    const run = student.run;
    const extra = run ? heard.get(run.id) : undefined;
    if (!run || !extra) continue;
    const last = run.epochs.at(-1)?.epoch ?? 0;
    run.epochs.push(...extra.filter((p) => p.epoch > last).sort((x, y) => x.epoch - y.epoch));
  }
  return review;
}

/** Heard epochs are kept while their run trains on a card; a finished run's epochs are all stored. */
function forgetShownEpochs(heard: Map<string, ReviewCurvePoint[]>, view: ClassReview): void {
  const live = new Set(view.students.flatMap((s) => (s.run?.live ? [s.run.id] : [])));
  for (const runId of heard.keys()) if (!live.has(runId)) heard.delete(runId);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
