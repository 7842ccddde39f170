/**
 * The one rule for "late", shared by the server (which marks hand-ins late by its own clock)
 * and the pages (which say a due date has passed, by the server's clock as they know it).
 */

/** How late something at `at` is for `dueAt`, in whole seconds rounded up; 0 when on time. */
export function secondsLate(at: Date, dueAt: Date): number {
  return Math.max(0, Math.ceil((at.getTime() - dueAt.getTime()) / 1000));
}
