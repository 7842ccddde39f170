'use client';

import { useId, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formatPercent } from '../../blocks/format/goals';
import type { Cell } from '../../blocks/format/notebook';
import { Icon } from '../components/Icons';
import type { SaveState } from '../lib/autosave';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import type { RouterOutputs } from '../trpc/types';
import { DueLine, useDue } from '../components/DueLine';
import { describeLateness } from './format';
import './assignments.css';

export type NotebookAssignment = NonNullable<RouterOutputs['assignment']['forNotebook']>;
type Submission = RouterOutputs['submission']['mine'][number];

const timeOf = (iso: string) => new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/**
 * On a student's copy of an assignment: the class, the due date, the goals, and handing in a
 * finished run, with every hand-in and its grade below. Grades appear as the autograder
 * finishes (the list is asked again every few seconds while one is being graded).
 */
export function AssignmentBar(props: { notebookId: string; assignment: NotebookAssignment; cells: readonly Cell[]; flushSave: () => Promise<SaveState> }) {
  const { notebookId, assignment } = props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const selectId = useId();
  const headingId = useId();
  const runs = useQuery({ ...trpc.run.list.queryOptions({ notebookId }), refetchInterval: 5000 });
  const submissions = useQuery({
    ...trpc.submission.mine.queryOptions({ assignmentId: assignment.id }),
    refetchInterval: (query) => (query.state.data?.some((s) => s.gradingStatus === 'queued' || s.gradingStatus === 'running') ? 2000 : false),
  });
  const [chosen, setChosen] = useState('');
  const handIn = useMutation(
    trpc.submission.handIn.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.submission.mine.queryKey({ assignmentId: assignment.id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.assignment.mine.queryKey() });
        // The server judged the hand-in by the due date it holds now; show that one, should the teacher have moved it.
        void queryClient.invalidateQueries({ queryKey: trpc.assignment.forNotebook.queryKey({ notebookId }) });
      },
    }),
  );

  // Finished runs of the notebook's training cells (the server lists no grading run), newest first, each named by its cell's place.
  const finished = useMemo(() => {
    const positions = new Map(props.cells.map((c, i) => [c.id, i + 1]));
    return (runs.data ?? [])
      .filter((r) => r.status === 'succeeded' && positions.has(r.cellId))
      .map((r) => ({
        id: r.id,
        label: `Cell ${positions.get(r.cellId)} · ${timeOf(r.finishedAt ?? r.createdAt)} · ${r.epochs.length} epochs${r.testAccuracy === null ? '' : ` · test accuracy ${formatPercent(Math.round(r.testAccuracy * 1000) / 1000)}`}`,
      }));
  }, [runs.data, props.cells]);
  const selected = finished.some((r) => r.id === chosen) ? chosen : (finished[0]?.id ?? '');

  const overdue = useDue(assignment.dueAt).past;
  const list = submissions.data ?? [];
  const [latest, ...older] = list;

  return (
    <section className="assignment-bar" aria-labelledby={headingId}>
      <div className="assignment-bar__head">
        <h2 id={headingId} className="assignment-bar__title">
          Assignment for {assignment.className}
        </h2>
        <DueLine dueAt={assignment.dueAt} className="assignment-bar__due" />
      </div>

      {assignment.goalTexts.length > 0 && (
        <div className="assignment-bar__goals">
          <h3 className="assignment-bar__subtitle">Goals, checked when you hand in</h3>
          <ul className="goal-chips">
            {assignment.goalTexts.map((text, i) => (
              <li key={assignment.goals[i]?.id ?? i} className="goal-chip">{text}</li>
            ))}
          </ul>
        </div>
      )}

      <form
        className="hand-in"
        onSubmit={(event) => {
          event.preventDefault();
          if (!selected) return;
          // The snapshot is what the server has stored: save the last edits first.
          void props.flushSave().then(() => handIn.mutate({ notebookId, runId: selected }));
        }}
      >
        <div className="field field--choice hand-in__choice">
          <label htmlFor={selectId}>Run to hand in</label>
          <select id={selectId} value={selected} onChange={(event) => setChosen(event.target.value)} disabled={finished.length === 0}>
            {finished.length === 0 && <option value="">No finished runs yet</option>}
            {finished.map((r) => (
              <option key={r.id} value={r.id}>{r.label}</option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--primary" disabled={!selected || handIn.isPending}>
          <Icon name="check" /> {handIn.isPending ? 'Handing in…' : list.length > 0 ? 'Hand in again' : 'Hand in'}
        </button>
        <p className="hint hand-in__hint">
          {finished.length === 0
            ? 'Train your network in a training cell below; when a run finishes, you can hand it in here.'
            : overdue
              ? 'The due date has passed: you can still hand in, but it will be marked late.'
              : 'You can hand in again until the due date; your latest hand-in counts.'}
        </p>
      </form>
      {handIn.isError && (
        <p role="alert" className="notice notice--error">
          Could not hand in: {describeApiError(handIn.error).message}
        </p>
      )}

      {latest && (
        <div className="hand-ins" aria-label="Your hand-ins">
          <SubmissionCard submission={latest} latest cells={props.cells} />
          {older.length > 0 && (
            <details className="hand-ins__older">
              <summary>Earlier hand-ins ({older.length})</summary>
              {older.map((s) => (
                <SubmissionCard key={s.id} submission={s} cells={props.cells} />
              ))}
            </details>
          )}
        </div>
      )}
    </section>
  );
}

function SubmissionCard({ submission: s, latest = false, cells }: { submission: Submission; latest?: boolean; cells: readonly Cell[] }) {
  const position = (cellId: string) => {
    const index = cells.findIndex((c) => c.id === cellId);
    return index >= 0 ? `cell ${index + 1}` : 'a cell you deleted';
  };
  return (
    <article className="submission" aria-label={`Hand-in ${s.attempt}`}>
      <header className="submission__head">
        <strong>
          Hand-in {s.attempt}
          {latest ? ' (counts)' : ''}
        </strong>
        <span>
          <time dateTime={s.submittedAt}>{timeOf(s.submittedAt)}</time> ·{' '}
          {s.lateBySeconds > 0 ? <span className="status-badge status-badge--late">Late by {describeLateness(s.lateBySeconds)}</span> : <span className="status-badge status-badge--handed-in">On time</span>}
        </span>
      </header>
      {s.gradingStatus === 'queued' || s.gradingStatus === 'running' ? (
        <p className="submission__grading" role="status">
          {s.gradingStatus === 'queued' ? 'Waiting for the grader…' : 'Being graded on the test set…'}
        </p>
      ) : s.gradingStatus === 'failed' ? (
        <p className="notice notice--warning">Could not be graded: {s.gradingError}</p>
      ) : (
        <>
          {s.testAccuracy !== null && (
            <p className="submission__accuracy">
              Accuracy on the hidden test set: <strong>{formatPercent(Math.round(s.testAccuracy * 1000) / 1000)}</strong>
            </p>
          )}
          {s.goalResults.length > 0 && (
            <ul className="goal-results" aria-label="Goal results">
              {s.goalResults.map((g) => (
                <li key={g.goalId} className={`goal-result goal-result--${g.met ? 'met' : 'missed'}`}>
                  <span className="goal-result__mark" aria-hidden="true">{g.met ? '✓' : '✗'}</span>
                  <span>
                    <span className="visually-hidden">{g.met ? 'Met: ' : 'Not met: '}</span>
                    {g.message}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {s.lockedCellIssues.length > 0 && (
        <p className="hint">
          Noted for your teacher:{' '}
          {s.lockedCellIssues.map((issue) => `their locked ${position(issue.cellId)} was ${issue.problem === 'missing' ? 'missing' : 'changed'}`).join('; ')}.
        </p>
      )}
    </article>
  );
}
