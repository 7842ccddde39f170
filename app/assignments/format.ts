/** Words for lateness and due-date fields, the way a student and teacher read them on a page (the due line: ../lib/due-date.ts). */

/** "3 minutes", "2 hours 5 minutes", "1 day 4 hours": how late a hand-in was. */
export function describeLateness(seconds: number): string {
  if (seconds <= 0) return 'on time';
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const parts: string[] = [];
  if (days > 0) parts.push(unit(days, 'day'));
  if (hours > 0) parts.push(unit(hours, 'hour'));
  if (days === 0 && minutes > 0) parts.push(unit(minutes, 'minute'));
  return parts.length > 0 ? parts.join(' ') : 'less than a minute';
}

/** The value of an <input type="datetime-local"> for a date, in the browser's time zone. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A week from now at 17:00: a due date a teacher often wants, to change from. */
export function defaultDueDate(now: Date = new Date()): Date {
  const due = new Date(now.getTime() + 7 * 86_400_000);
  due.setHours(17, 0, 0, 0);
  return due;
}
