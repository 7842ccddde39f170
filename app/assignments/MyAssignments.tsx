'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import type { RouterOutputs } from '../trpc/types';
import { DueLine } from '../components/DueLine';
import './assignments.css';

type MyAssignment = RouterOutputs['assignment']['mine'][number];

const PROGRESS_LABELS: Record<MyAssignment['progress'], string> = {
  'not started': 'Not started',
  working: 'Working on it',
  'handed in': 'Handed in',
  late: 'Handed in late',
};

/** A student's assignments on their home page: what is due when, and where they are with each. */
export function MyAssignments() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.assignment.mine.queryOptions());
  const open = useMutation(
    trpc.assignment.open.mutationOptions({
      onSuccess: ({ notebookId }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.assignment.mine.queryKey() });
        router.push(`/notebooks/${notebookId}`);
      },
    }),
  );

  if (!list.isSuccess || list.data.length === 0) return null;
  return (
    <section className="my-assignments" aria-labelledby="my-assignments-title">
      <h2 id="my-assignments-title" className="my-assignments__title">Your assignments</h2>
      {open.isError && (
        <p role="alert" className="notice notice--error">
          Could not open the assignment: {describeApiError(open.error).message}
        </p>
      )}
      <ul className="assignment-grid" aria-label="Assignments">
        {list.data.map((a) => {
          return (
            <li key={a.id} className={`assignment-card assignment-card--${a.progress.replace(' ', '-')}`}>
              <div className="assignment-card__top">
                <span className="assignment-card__class">{a.className}</span>
                <span className={`status-badge status-badge--${a.progress.replace(' ', '-')}`}>{PROGRESS_LABELS[a.progress]}</span>
              </div>
              <h3 className="assignment-card__title">{a.title}</h3>
              <DueLine dueAt={a.dueAt} className="assignment-card__due" />
              {a.goals.length > 0 && (
                <ul className="goal-chips" aria-label="Goals">
                  {a.goalTexts.map((text, i) => (
                    <li key={a.goals[i]?.id ?? i} className="goal-chip">{text}</li>
                  ))}
                </ul>
              )}
              {a.latestSubmission && (
                <p className="assignment-card__meta">
                  {a.latestSubmission.gradingStatus === 'graded'
                    ? `Latest hand-in: ${a.latestSubmission.goalsMet} of ${a.latestSubmission.goalCount} goals met.`
                    : a.latestSubmission.gradingStatus === 'failed'
                      ? 'Latest hand-in could not be graded.'
                      : 'Latest hand-in is being graded…'}
                </p>
              )}
              <button
                type="button"
                className="button button--primary assignment-card__open"
                aria-label={`${a.notebookId ? 'Continue' : 'Start'} ${a.title}`}
                disabled={open.isPending}
                onClick={() => open.mutate({ id: a.id })}
              >
                {a.notebookId ? 'Continue' : 'Start'}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
