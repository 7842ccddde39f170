'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import type { BlockNote } from '../model/teacher-note-icon';
import type { StudentFeedback } from '../../server/services/feedback';
import { useTRPC } from '../trpc/react';
import { formatDateTime } from './ClassReviewView';
import './review.css';

/** The teacher's returned feedback on this notebook, when it is the student's copy of an assignment; null otherwise. */
export function useReturnedFeedback(notebookId: string): StudentFeedback | null {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.review.myFeedback.queryOptions({ notebookId }), retry: false });
  return query.data ?? null;
}

const NO_NOTES: readonly BlockNote[] = [];

/** The returned comments on blocks, by cell, for drawing each on its block; one stable list per cell so blocks redraw only when feedback changes. */
export function useBlockNotes(feedback: StudentFeedback | null): (cellId: string) => readonly BlockNote[] {
  const byCell = useMemo(() => {
    const map = new Map<string, BlockNote[]>();
    for (const c of feedback?.comments ?? []) {
      if (c.blockId) map.set(c.cellId, [...(map.get(c.cellId) ?? []), { blockId: c.blockId, text: `Teacher: ${c.body}` }]);
    }
    return map;
  }, [feedback]);
  return (cellId) => byCell.get(cellId) ?? NO_NOTES;
}

/** At the top of the copy: the mark, the overall comment, and comments on cells the student has since deleted. */
export function ReturnedFeedbackBanner({ feedback, cellIds }: { feedback: StudentFeedback | null; cellIds: readonly string[] }) {
  if (!feedback) return null;
  const orphaned = feedback.comments.filter((c) => !cellIds.includes(c.cellId));
  const atCells = feedback.comments.length - orphaned.length;
  return (
    <section className="returned-feedback" aria-labelledby="returned-feedback-title">
      <h2 id="returned-feedback-title" className="returned-feedback__title">
        Feedback from your teacher on hand-in {feedback.attempt}
      </h2>
      <p className="review__due">Returned {formatDateTime(feedback.returnedAt)}{atCells > 0 ? ` · ${atCells} ${atCells === 1 ? 'comment is' : 'comments are'} shown in the cells below` : ''}</p>
      {feedback.mark && (
        <p>
          Mark: <span className="returned-feedback__mark">{feedback.mark}</span>
        </p>
      )}
      {feedback.comment && <p className="returned-feedback__comment">{feedback.comment}</p>}
      {orphaned.length > 0 && (
        <>
          <p>On cells you have deleted since:</p>
          <ul className="returned-feedback__orphans">
            {orphaned.map((c) => (
              <li key={c.id} className="feedback-comment"><span className="feedback-comment__body">{c.body}</span></li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type CellComment = StudentFeedback['comments'][number];

/** The teacher's comments on one cell, matched by the cell's stable id wherever it moved. */
export function commentsOnCell(feedback: StudentFeedback | null, cellId: string): CellComment[] {
  return feedback?.comments.filter((c) => c.cellId === cellId) ?? [];
}

/**
 * Inside a cell, above its content (CellFrame's `feedback`): a screen reader meets the comments
 * as it enters the cell, before the blocks or text they are about, and sighted readers see them
 * where they look first.
 */
export function CellFeedback({ comments, blockLabel }: { comments: readonly CellComment[]; blockLabel?: (blockId: string) => string | undefined }) {
  const titleId = useId();
  return (
    <section className="cell-feedback" aria-labelledby={titleId}>
      <h3 id={titleId} className="cell-feedback__title">
        Your teacher&apos;s {comments.length === 1 ? 'comment' : 'comments'}
      </h3>
      <ul className="cell-feedback__list" aria-label="Your teacher's comments on this cell">
        {comments.map((c) => {
          const block = c.blockId ? blockLabel?.(c.blockId) : undefined;
          return (
            <li key={c.id} className="feedback-comment">
              {block && <span className="feedback-comment__block">On {block}:</span>}
              <span className="feedback-comment__body">{c.body}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
