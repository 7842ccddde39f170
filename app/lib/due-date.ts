/** The words of a due date, the way a 14-year-old reads them: when, and whether it has passed. */
import { secondsLate } from '../../blocks/format/due-date';

/** "Fri 24 Dec, 15:00": the due date in the reader's own time zone. */
export function formatDueDate(dueAt: string | Date): string {
  const date = typeof dueAt === 'string' ? new Date(dueAt) : dueAt;
  return date.toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** "in 3 days", "in 5 hours", "in 12 minutes", "2 hours ago": how far the due date is from now. */
export function dueIn(dueAt: string | Date, now: Date = new Date()): string {
  const date = typeof dueAt === 'string' ? new Date(dueAt) : dueAt;
  const ms = date.getTime() - now.getTime();
  const past = ms < 0;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  let amount: string;
  if (minutes < 1) return past ? 'just now' : 'in less than a minute';
  if (minutes < 60) amount = `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  else if (minutes < 48 * 60) {
    const hours = Math.round(minutes / 60);
    amount = `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  } else {
    const days = Math.round(minutes / (24 * 60));
    amount = `${days} days`;
  }
  return past ? `${amount} ago` : `in ${amount}`;
}

/**
 * Where a due date stands at `now` (the server's clock: ./server-clock.ts), by the rule the
 * server marks hand-ins late with: "in 3 days", or "the due date passed 2 hours ago".
 */
export function describeDue(dueAt: string | Date, now: Date): { past: boolean; words: string } {
  const date = typeof dueAt === 'string' ? new Date(dueAt) : dueAt;
  const past = secondsLate(now, date) > 0;
  return { past, words: past ? `the due date passed ${dueIn(date, now)}` : dueIn(date, now) };
}
