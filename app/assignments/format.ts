/** Words for due dates and lateness, the way a student reads them on a page. */

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
