'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useCallback, useEffect, useId, useMemo, useRef, useState, type RefObject } from 'react';
import { compileNotebook } from '../../blocks/compile-notebook';
import type { Cell } from '../../blocks/format/notebook';
import type { FeedbackComment, SubmissionForReview } from '../../server/services/feedback';
import { renderMarkdown } from '../markdown/render';
import { lazyBlocklyWorkspace } from '../model/lazy-blockly';
import { formatParams } from '../model/format';
import { formatPercent } from '../training/progress';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { formatDateTime, formatDuration } from './ClassReviewView';
import { sharedScales } from './curves';
import { diagnose } from './diagnosis';
import { DiagnosisBadge } from './DiagnosisBadge';
import { layoutNetwork } from './network-layout';
import { NetworkPicture } from './NetworkPicture';
import { CurvesKey } from './SmallCurves';
import './review.css';

const SmallCurves = dynamic(() => import('./SmallCurves'), { ssr: false, loading: () => <div className="small-curves small-curves--loading" /> });
const BlocklyWorkspace = lazyBlocklyWorkspace(360);
const ignoreChange = () => {};
const NO_DIAGNOSTICS: never[] = [];

/** A hand-in, read-only, with the teacher's feedback beside it: comments at cells, an overall comment, a mark, Return. */
export function SubmissionView({ submissionId }: { submissionId: string }) {
  const trpc = useTRPC();
  const submission = useQuery({ ...trpc.review.submission.queryOptions({ submissionId }), retry: false });

  if (submission.isPending) return <p role="status">Loading the hand-in…</p>;
  if (submission.isError) {
    return (
      <div role="alert" className="notice notice--error notice--page">
        <h1>Cannot show this hand-in</h1>
        <p>{describeApiError(submission.error).message}</p>
        <Link className="button" href="/classes">Go to your classes</Link>
      </div>
    );
  }
  return <SubmissionPage data={submission.data} />;
}

function SubmissionPage({ data }: { data: SubmissionForReview }) {
  const compiled = useMemo(() => compileNotebook(data.cells), [data.cells]);
  const layout = useMemo(() => (data.network ? layoutNetwork({ layers: data.network.layers }, data.network.compiled) : null), [data.network]);
  const scales = useMemo(() => sharedScales([data.epochs], [data.plannedEpochs]), [data.epochs, data.plannedEpochs]);
  const lastShape = data.network?.compiled[data.network.compiled.length - 1]?.outputShape;
  const classes = lastShape && typeof lastShape[lastShape.length - 1] === 'number' ? (lastShape[lastShape.length - 1] as number) : 2;
  const diagnosis = diagnose({ epochs: data.epochs, hasRun: true, classes });
  const commentsByCell = groupComments(data.feedback.comments);

  return (
    <section className="review review-wide submission" aria-labelledby="submission-title">
      <p className="review__eyebrow">
        <Link href={`/assignments/${data.assignmentId}/review`}>← {data.assignmentTitle}: class view</Link>
      </p>
      <header className="submission__head">
        <div>
          <h1 id="submission-title" className="review__title">{data.studentName}</h1>
          <p className="review__due">
            Hand-in {data.attempt} of {data.attempts.length}, {formatDateTime(data.submittedAt)}
            {data.lateBySeconds > 0 ? <strong className="submission__late"> · late by {formatDuration(data.lateBySeconds)}</strong> : ' · on time'}
          </p>
          {data.attempts.length > 1 && (
            <nav aria-label="Other hand-ins" className="submission__attempts">
              {data.attempts.map((a) =>
                a.id === data.id ? (
                  <span key={a.id} aria-current="page">#{a.attempt}</span>
                ) : (
                  <Link key={a.id} href={`/submissions/${a.id}`}>#{a.attempt}</Link>
                ),
              )}
            </nav>
          )}
        </div>
        <dl className="submission__figures">
          <div>
            <dt>Test accuracy</dt>
            <dd>{data.testAccuracy !== null ? formatPercent(data.testAccuracy) : data.gradingStatus === 'failed' ? 'grading failed' : 'being graded…'}</dd>
          </div>
          <div>
            <dt>Parameters</dt>
            <dd>{formatParams(data.totalParams)}</dd>
          </div>
          <div>
            <dt>Training</dt>
            <dd><DiagnosisBadge diagnosis={diagnosis} /></dd>
          </div>
        </dl>
      </header>

      {data.goalResults.length > 0 && (
        <ul className="submission__goals" aria-label="Goals">
          {data.goalResults.map((g) => (
            <li key={g.goalId} className={`goal-result goal-result--${g.met ? 'met' : 'missed'}`}>
              {g.met ? '✓ Met: ' : '✕ Not met: '}
              <span className="submission__goal-text">{g.message}</span>
            </li>
          ))}
        </ul>
      )}

      {data.lockedCellIssues.length > 0 && (
        <p className="notice notice--warning">
          <strong>Locked cells:</strong>{' '}
          {data.lockedCellIssues
            .map((issue) => {
              const { cellId, problem } = (issue ?? {}) as { cellId?: unknown; problem?: unknown };
              const position = data.cells.findIndex((c) => c.id === cellId);
              return `${position >= 0 ? `cell ${position + 1}` : 'a locked cell'} ${problem === 'missing' ? 'was deleted' : 'was changed'}`;
            })
            .join('; ')}
          .
        </p>
      )}

      <div className="submission__layout">
        <div className="submission__work">
          <section className="submission__panel" aria-labelledby="run-title">
            <h2 id="run-title" className="submission__panel-title">The run handed in</h2>
            <div className="submission__run">
              {layout ? <NetworkPicture layout={layout} title={`${data.studentName}'s network`} maxHeight={420} /> : <p>No network to draw.</p>}
              <div>
                <CurvesKey />
                {data.epochs.length > 0 ? <SmallCurves points={data.epochs} scales={scales} label={data.studentName} height={200} /> : <p>No epochs recorded.</p>}
                <p className="student-card__run">{diagnosis.reason}</p>
              </div>
            </div>
          </section>

          {data.cells.map((cell, index) => (
            <ReviewedCell
              key={cell.id}
              cell={cell}
              index={index}
              submissionId={data.id}
              comments={commentsByCell.get(cell.id) ?? []}
              code={cell.type === 'model' ? compiled.models.get(cell.id)?.code : cell.type === 'training' ? compiled.trainings.get(cell.id)?.result.code.tfjs : undefined}
              layers={cell.type === 'model' ? (compiled.models.get(cell.id)?.layers ?? []).map((l) => ({ id: l.id, label: l.label })) : []}
            />
          ))}
        </div>
        <FeedbackPanel data={data} />
      </div>
    </section>
  );
}

function ReviewedCell(props: {
  cell: Cell;
  index: number;
  submissionId: string;
  comments: FeedbackComment[];
  code: string | undefined;
  layers: { id: string; label: string }[];
}) {
  const { cell } = props;
  const html = useMemo(() => (cell.type === 'markdown' ? renderMarkdown(cell.source) : ''), [cell]);
  // The block the comment being written is about: picked by clicking it, or from the list.
  const [blockId, setBlockId] = useState('');
  const commentBoxRef = useRef<HTMLTextAreaElement>(null);
  const pickable = props.layers.length > 0;
  const { comments, layers } = props;
  const notes = useMemo(
    () => comments.flatMap((c) => (c.blockId ? [{ blockId: c.blockId, text: c.body }] : [])),
    [comments],
  );
  const pickBlock = useCallback(
    (id: string) => {
      if (!layers.some((l) => l.id === id)) return;
      setBlockId(id);
      commentBoxRef.current?.focus({ preventScroll: true });
    },
    [layers],
  );
  return (
    <article className="submission__cell" aria-label={`Cell ${props.index + 1}, ${cell.type}`}>
      <p className="submission__cell-kind">Cell {props.index + 1} · {cell.type}</p>
      {cell.type === 'markdown' && (
        // Safe: renderMarkdown sanitises to a fixed allow-list (see render.ts and its tests).
        <div className="markdown-body" dangerouslySetInnerHTML={{ __html: html }} />
      )}
      {(cell.type === 'model' || cell.type === 'training') && (
        <div className={`submission__blocks${pickable ? ' submission__blocks--pickable' : ''}`}>
          {pickable && <p className="submission__blocks-hint">Click a block to comment on it.</p>}
          <BlocklyWorkspace
            kind={cell.type}
            initialWorkspace={cell.workspace}
            diagnostics={NO_DIAGNOSTICS}
            height={cell.type === 'model' ? 360 : 260}
            onChange={ignoreChange}
            readOnly
            onBlockClick={pickable ? pickBlock : undefined}
            highlightedBlockId={blockId || null}
            blockNotes={notes}
          />
        </div>
      )}
      {cell.type === 'data' && <p className="submission__data">Data: {describeDataSource(cell.source)}</p>}
      {props.code && (
        <details className="submission__code">
          <summary>TensorFlow.js code</summary>
          <pre>{props.code}</pre>
        </details>
      )}
      <CellComments
        submissionId={props.submissionId}
        cellId={cell.id}
        comments={props.comments}
        layers={props.layers}
        blockId={blockId}
        onBlockChange={setBlockId}
        commentBoxRef={commentBoxRef}
      />
    </article>
  );
}

function CellComments(props: {
  submissionId: string;
  cellId: string;
  comments: FeedbackComment[];
  layers: { id: string; label: string }[];
  /** The block the comment is about ('' for the whole cell), shared with the clickable blocks above. */
  blockId: string;
  onBlockChange: (blockId: string) => void;
  commentBoxRef: RefObject<HTMLTextAreaElement | null>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.review.submission.queryKey({ submissionId: props.submissionId }) });
  const [body, setBody] = useState('');
  const { blockId, onBlockChange: setBlockId } = props;
  const add = useMutation(trpc.review.addComment.mutationOptions({ onSuccess: () => (setBody(''), setBlockId(''), refresh()) }));
  const remove = useMutation(trpc.review.deleteComment.mutationOptions({ onSuccess: () => refresh() }));
  const inputId = useId();
  const label = (id: string | null) => props.layers.find((l) => l.id === id)?.label;
  return (
    <div className="cell-comments">
      {props.comments.length > 0 && (
        <ul className="cell-comments__list" aria-label="Your comments on this cell">
          {props.comments.map((c) => (
            <li key={c.id} className="feedback-comment">
              {c.blockId && <span className="feedback-comment__block">On {label(c.blockId) ?? 'a block'}: </span>}
              <span className="feedback-comment__body">{c.body}</span>
              <button type="button" className="link-button" onClick={() => remove.mutate({ commentId: c.id })}>
                Delete<span className="visually-hidden"> comment “{c.body.slice(0, 40)}”</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="cell-comments__form"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate({ submissionId: props.submissionId, cellId: props.cellId, blockId: blockId || null, body });
        }}
      >
        <label htmlFor={inputId} className="cell-comments__label">
          {blockId ? <>Comment on this cell<span className="cell-comments__about">, about {label(blockId) ?? 'a block'}</span></> : 'Comment on this cell'}
        </label>
        <textarea ref={props.commentBoxRef} id={inputId} value={body} onChange={(e) => setBody(e.target.value)} rows={2} maxLength={2000} />
        <div className="cell-comments__row">
          {props.layers.length > 0 && (
            <label className="review__filter">
              About the block
              {/* The keyboard's way to what clicking a block does. */}
              <select value={blockId} onChange={(e) => setBlockId(e.target.value)}>
                <option value="">the whole cell</option>
                {props.layers.map((l, i) => (
                  <option key={l.id} value={l.id}>{i + 1}. {l.label}</option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" className="button button--small" disabled={add.isPending || body.trim() === ''}>Add comment</button>
        </div>
        {add.isError && <p role="alert" className="notice notice--error">{describeApiError(add.error).message}</p>}
      </form>
    </div>
  );
}

function FeedbackPanel({ data }: { data: SubmissionForReview }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.review.submission.queryKey({ submissionId: data.id }) });
  const [comment, setComment] = useState(data.feedback.comment);
  const [mark, setMark] = useState(data.feedback.mark ?? '');
  useEffect(() => {
    setComment(data.feedback.comment);
    setMark(data.feedback.mark ?? '');
  }, [data.id, data.feedback.comment, data.feedback.mark]);
  const save = useMutation(trpc.review.saveFeedback.mutationOptions({ onSuccess: () => refresh() }));
  const give = useMutation(trpc.review.returnSubmission.mutationOptions({ onSuccess: () => refresh() }));
  const dirty = comment !== data.feedback.comment || mark !== (data.feedback.mark ?? '');
  const error = save.error ?? give.error;
  return (
    <aside className="feedback-panel" aria-labelledby="feedback-title">
      <h2 id="feedback-title" className="submission__panel-title">Feedback</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ submissionId: data.id, comment, mark: mark.trim() === '' ? null : mark });
        }}
      >
        <label className="feedback-panel__field">
          Overall comment
          <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={6} maxLength={5000} />
        </label>
        <label className="feedback-panel__field">
          Mark
          <input value={mark} onChange={(e) => setMark(e.target.value)} maxLength={20} placeholder="e.g. 7/10" />
        </label>
        <div className="feedback-panel__actions">
          <button type="submit" className="button" disabled={save.isPending || !dirty}>Save feedback</button>
          <button
            type="button"
            className="button button--primary"
            disabled={give.isPending || save.isPending}
            onClick={async () => {
              if (dirty) await save.mutateAsync({ submissionId: data.id, comment, mark: mark.trim() === '' ? null : mark });
              give.mutate({ submissionId: data.id });
            }}
          >
            {data.feedback.returnedAt ? 'Return again' : 'Return to student'}
          </button>
        </div>
      </form>
      <p className="feedback-panel__status" role="status">
        {data.feedback.returnedAt
          ? `Returned ${formatDateTime(data.feedback.returnedAt)}: ${data.studentName} sees the mark, this comment and ${countComments(data.feedback.comments.length)} in their notebook.`
          : `Not returned yet: ${data.studentName} sees nothing until you return it.`}
        {dirty ? ' You have unsaved changes.' : ''}
      </p>
      {error && <p role="alert" className="notice notice--error">{describeApiError(error).message}</p>}
    </aside>
  );
}

function countComments(n: number): string {
  return `${n} ${n === 1 ? 'comment' : 'comments'}`;
}

function groupComments(comments: readonly FeedbackComment[]): Map<string, FeedbackComment[]> {
  const map = new Map<string, FeedbackComment[]>();
  for (const c of comments) map.set(c.cellId, [...(map.get(c.cellId) ?? []), c]);
  return map;
}

function describeDataSource(source: Extract<Cell, { type: 'data' }>['source']): string {
  const record = source as unknown as Record<string, unknown>;
  return String(record.name ?? record.dataset ?? record.kind ?? 'a dataset');
}
