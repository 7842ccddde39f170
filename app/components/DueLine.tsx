'use client';

import { describeDue, formatDueDate } from '../lib/due-date';
import { useServerNow } from '../lib/server-clock';

/** Where an assignment's due date stands now, by the server's clock; renewed while the page is open. */
export function useDue(dueAt: string): { past: boolean; words: string } {
  return describeDue(dueAt, useServerNow());
}

/**
 * "Due Fri 24 Dec, 15:00 (in 3 days)", or once it has passed "Due Fri 24 Dec, 15:00 — the due
 * date passed 2 hours ago": the one due line of every page (student and teacher). `className`
 * is the place's own; `--past` is added once the date has passed, `-when` names the relative part.
 */
export function DueLine({ dueAt, className, as: Tag = 'p' }: { dueAt: string; className: string; as?: 'p' | 'span' }) {
  const due = useDue(dueAt);
  return (
    <Tag className={due.past ? `${className} ${className}--past` : className}>
      {/* One piece, so a due line laid out as a column (the assignment bar) keeps "Due" with its date. */}
      <span>
        Due <time dateTime={dueAt}>{formatDueDate(dueAt)}</time>
      </span>{' '}
      <span className={`${className}-when`}>{due.past ? `— ${due.words}` : `(${due.words})`}</span>
    </Tag>
  );
}
