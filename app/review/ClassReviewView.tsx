'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useMemo, useState, type ReactNode } from 'react';
import type { ClassReview, ReviewStudent } from '../../server/services/class-review';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { formatPercent } from '../training/progress';
import { formatParams } from '../model/format';
import { applyClassLiveEvent } from './class-live';
import { diagnoseStudent, filterStudents, progressCounts, PROGRESS_ORDER, sortStudents, type ProgressFilter, type SortDirection, type SortKey } from './class-table';
import { sharedScales, type SharedScales } from './curves';
import { DiagnosisBadge } from './DiagnosisBadge';
import { layoutNetwork } from './network-layout';
import { NetworkPicture } from './NetworkPicture';
import { CurvesKey } from './SmallCurves';
import { DueLine } from '../components/DueLine';
import './review.css';

// Plot is only needed once curves are on screen: keep it out of the first page load.
const SmallCurves = dynamic(() => import('./SmallCurves'), { ssr: false, loading: () => <div className="small-curves small-curves--loading" /> });

/**
 * News is pushed (review.classLive); the page reads the whole view again this often only while
 * the live stream is down, so a lost connection never leaves a projector showing a stale class.
 */
export const FALLBACK_REFRESH_MS = 60_000;

type View = 'side-by-side' | 'table';

/** The teacher's view of one assignment: every student, live, as a table or side by side. */
export function ClassReviewView({ assignmentId }: { assignmentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useSubscription(
    trpc.review.classLive.subscriptionOptions(
      { assignmentId },
      {
        // Everything on the page reads the one cached view, so each event changes it there.
        onData: (event) =>
          queryClient.setQueryData(trpc.review.classView.queryKey({ assignmentId }), (view: ClassReview | undefined) => applyClassLiveEvent(view, event)),
      },
    ),
  );
  const streaming = live.status === 'pending';
  const review = useQuery({
    ...trpc.review.classView.queryOptions({ assignmentId }),
    refetchInterval: streaming ? false : FALLBACK_REFRESH_MS,
    refetchOnWindowFocus: !streaming,
    retry: false,
  });
  const [view, setView] = useState<View>('side-by-side');
  const [progress, setProgress] = useState<ProgressFilter>('all');
  const [text, setText] = useState('');

  if (review.isPending) return <p role="status">Loading the class…</p>;
  if (review.isError) {
    return (
      <div role="alert" className="notice notice--error notice--page">
        <h1>Cannot show this class</h1>
        <p>{describeApiError(review.error).message}</p>
        <Link className="button" href="/classes">Go to your classes</Link>
      </div>
    );
  }
  const data = review.data;
  const shown = filterStudents(data.students, { progress, text });
  const counts = progressCounts(data);

  return (
    <section className="review review-wide" aria-labelledby="review-title">
      <header className="review__head">
        <div>
          <p className="review__eyebrow">{data.assignment.className}</p>
          <h1 id="review-title" className="review__title">{data.assignment.title}</h1>
          <DueLine dueAt={data.assignment.dueAt} className="review__due" />
        </div>
        <ul className="review__counts" aria-label="Progress of the class">
          {PROGRESS_ORDER.slice().reverse().map((p) => (
            <li key={p} className={`count count--${p.replace(' ', '-')}`}>
              <span className="count__number">{counts[p]}</span> {p}
            </li>
          ))}
        </ul>
        <div className="review__actions">
          <a className="button" href={`/api/assignments/${data.assignment.id}/grades.csv`} download>
            Download grades (CSV)
          </a>
          <LiveStatus status={live.status} />
        </div>
      </header>

      {data.assignment.goals.length > 0 && (
        <p className="review__goals">
          <strong>Goals:</strong>
          {/* Numbered: the table's columns are headed "Goal 1", "Goal 2", so they fit a 1280-pixel screen. */}
          {data.assignment.goals.map((g, i) => (
            <span key={g.id} className="review__goal">
              <span className="review__goal-number">{i + 1}</span> {g.text}
            </span>
          ))}
        </p>
      )}

      <div className="review__toolbar">
        <div className="segmented" role="group" aria-label="Show the class">
          <button type="button" aria-pressed={view === 'side-by-side'} onClick={() => setView('side-by-side')}>Side by side</button>
          <button type="button" aria-pressed={view === 'table'} onClick={() => setView('table')}>Table</button>
        </div>
        <label className="review__filter">
          Show
          <select value={progress} onChange={(e) => setProgress(e.target.value as ProgressFilter)}>
            <option value="all">everyone ({data.students.length})</option>
            {PROGRESS_ORDER.map((p) => (
              <option key={p} value={p}>{p} ({counts[p]})</option>
            ))}
          </select>
        </label>
        <label className="review__filter">
          Find a student
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name" />
        </label>
        {view === 'side-by-side' && <CurvesKey />}
      </div>

      {data.students.length === 0 && <p className="notice">Nobody has joined this class yet. Give your students the class code from the Classes page.</p>}
      {data.students.length > 0 && shown.length === 0 && <p className="notice">No student matches. Clear the filter to see everyone.</p>}
      {view === 'side-by-side' ? <SideBySide review={data} students={shown} /> : <ClassTable review={data} students={shown} />}
    </section>
  );
}

/** Whether the page is following the class as it happens; said in words, not only by the dot's colour. */
function LiveStatus({ status }: { status: 'idle' | 'connecting' | 'pending' | 'error' }) {
  const state = status === 'pending' ? 'on' : status === 'connecting' ? 'connecting' : 'off';
  const words =
    state === 'on'
      ? 'Live: training shows as it happens'
      : state === 'connecting'
        ? 'Connecting to the class…'
        : `Live updates stopped: reading the class again every ${FALLBACK_REFRESH_MS / 1000} s`;
  return (
    <span className={`review__live review__live--${state}`} role="status">
      <span className="review__live-dot" aria-hidden="true" /> {words}
    </span>
  );
}

function SideBySide({ review, students }: { review: ClassReview; students: ReviewStudent[] }) {
  const scales = useMemo(
    () => sharedScales(review.students.map((s) => s.run?.epochs ?? []), review.students.map((s) => s.run?.plannedEpochs ?? 0)),
    [review],
  );
  return (
    <ul className="review__grid" aria-label="Every student's network and training">
      {students.map((student) => (
        <li key={student.studentId}>
          <StudentCard student={student} scales={scales} />
        </li>
      ))}
    </ul>
  );
}

function StudentCard({ student, scales }: { student: ReviewStudent; scales: SharedScales }) {
  const diagnosis = diagnoseStudent(student);
  const layout = useMemo(() => (student.network ? layoutNetwork({ layers: student.network.layers }, student.network.compiled) : null), [student.network]);
  const lastEpoch = student.run?.epochs[student.run.epochs.length - 1];
  return (
    <article className={`student-card student-card--${diagnosis.kind}`} aria-label={student.displayName}>
      <header className="student-card__head">
        <h2 className="student-card__name">{student.displayName}</h2>
        <ProgressBadge student={student} />
      </header>
      <div className="student-card__facts">
        <DiagnosisBadge diagnosis={diagnosis} />
        {/* A lone dash beside "test" read like a chart key: with no run to measure, nothing is shown. */}
        {student.bestTestAccuracy !== null && (
          <span className="student-card__accuracy" title="Best test accuracy">
            {formatPercent(student.bestTestAccuracy)}
            <small> test</small>
          </span>
        )}
      </div>
      <div className="student-card__body">
        <div className="student-card__network">
          {layout ? <NetworkPicture layout={layout} title={`${student.displayName}'s network`} maxHeight={420} /> : <p className="student-card__empty">No network yet</p>}
        </div>
        <div className="student-card__curves">
          {student.run && student.run.epochs.length > 0 ? (
            <>
              <SmallCurves points={student.run.epochs} scales={scales} label={student.displayName} height={150} />
              <p className="student-card__run">
                {student.run.live ? <strong className="student-card__training">Training now</strong> : 'Best run'}
                {lastEpoch ? ` · epoch ${lastEpoch.epoch}${student.run.plannedEpochs ? ` of ${student.run.plannedEpochs}` : ''}` : ''}
              </p>
            </>
          ) : (
            <p className="student-card__empty">{student.run ? (student.run.live ? 'Training: first epoch under way…' : 'The run has no epochs.') : 'No training yet'}</p>
          )}
        </div>
      </div>
      <footer className="student-card__foot">
        <span>{student.runCount} {student.runCount === 1 ? 'run' : 'runs'}</span>
        {student.submission ? <GoalDots student={student} /> : null}
        {student.submission && student.submission.lockedCellIssues > 0 && (
          <span className="locked-flag" title="The hand-in changed or deleted cells the teacher locked">⚠ locked cell changed</span>
        )}
        {student.submission && (
          <Link className="student-card__open" href={`/submissions/${student.submission.id}`}>
            Open hand-in<span className="visually-hidden"> of {student.displayName}</span>
          </Link>
        )}
      </footer>
    </article>
  );
}

/** "late by 2.1 h · returned"; the table says "returned" on a line of its own (`withReturned` false), to stay narrow. */
function ProgressBadge({ student, withReturned = true }: { student: ReviewStudent; withReturned?: boolean }) {
  const late = student.submission && student.submission.lateBySeconds > 0 ? ` by ${formatDuration(student.submission.lateBySeconds)}` : '';
  return (
    <span className={`progress-badge progress-badge--${student.progress.replace(' ', '-')}`}>
      {student.progress}
      {late}
      {withReturned && student.submission?.returnedAt ? ' · returned' : ''}
    </span>
  );
}

function GoalDots({ student }: { student: ReviewStudent }) {
  const results = student.submission?.goalResults ?? [];
  if (results.length === 0) return <span className="goal-dots">{student.submission?.gradingStatus === 'graded' ? 'no goals' : 'being graded…'}</span>;
  const met = results.filter((r) => r.met).length;
  return (
    <span className="goal-dots" aria-label={`${met} of ${results.length} goals met`}>
      {results.map((r) => (
        <span key={r.goalId} className={`goal-dot goal-dot--${r.met ? 'met' : 'missed'}`} title={r.message} aria-hidden="true">
          {r.met ? '✓' : '✕'}
        </span>
      ))}
      <span aria-hidden="true"> {met}/{results.length} goals</span>
    </span>
  );
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Student' },
  { key: 'progress', label: 'Progress' },
  { key: 'accuracy', label: 'Best test accuracy', numeric: true },
  { key: 'params', label: 'Parameters', numeric: true },
  { key: 'runs', label: 'Runs', numeric: true },
  { key: 'activity', label: 'Last activity' },
  { key: 'mark', label: 'Mark' },
];

/**
 * A table on a wide screen; on a phone (review.css, 600 pixels and less) each student is a card
 * of its own, every value beside its column's name, and the header row a row of sort buttons.
 * The roles are spelled out because CSS that stacks a table's rows takes its table semantics
 * away in some browsers (Safari): a screen reader still reads a table, each value with its column.
 */
function ClassTable({ review, students }: { review: ClassReview; students: ReviewStudent[] }) {
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'name', direction: 'ascending' });
  const sorted = sortStudents(students, sort.key, sort.direction);
  const goals = review.assignment.goals;
  const label = (key: SortKey) => COLUMNS.find((c) => c.key === key)!.label;
  const header = (column: (typeof COLUMNS)[number]) => {
    const active = sort.key === column.key;
    return (
      <th key={column.key} scope="col" role="columnheader" aria-sort={active ? sort.direction : 'none'} className={column.numeric ? 'num' : undefined}>
        <button
          type="button"
          className="sort-button"
          onClick={() => setSort({ key: column.key, direction: active && sort.direction === 'ascending' ? 'descending' : active ? 'ascending' : column.numeric || column.key === 'activity' ? 'descending' : 'ascending' })}
        >
          {column.label}
          <span aria-hidden="true" className="sort-button__arrow">{active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-scroll review-table-box">
      <table className="review-table" role="table">
        <caption className="visually-hidden">Every student's progress on {review.assignment.title}; the column buttons sort the table.</caption>
        <thead role="rowgroup">
          <tr role="row">
            {COLUMNS.slice(0, 2).map(header)}
            {goals.map((g, i) => (
              <th key={g.id} scope="col" role="columnheader" className="review-table__goal review-table__plain-head" title={g.text}>
                <span aria-hidden="true">Goal {i + 1}</span>
                <span className="visually-hidden">{`Goal ${i + 1}: ${g.text}`}</span>
              </th>
            ))}
            {COLUMNS.slice(2).map(header)}
            <th scope="col" role="columnheader" className="review-table__plain-head">Training</th>
          </tr>
        </thead>
        <tbody role="rowgroup">
          {sorted.map((student) => (
            <tr key={student.studentId} role="row">
              <th scope="row" role="rowheader" className="review-table__one-line">{student.displayName}</th>
              <LabelledCell label={label('progress')}>
                <ProgressBadge student={student} withReturned={false} />
                {student.submission?.returnedAt && <span className="review-table__secondary">feedback returned</span>}
              </LabelledCell>
              {goals.map((g, i) => {
                const result = student.submission?.goalResults.find((r) => r.goalId === g.id);
                return (
                  <LabelledCell key={g.id} label={`Goal ${i + 1}`} className="review-table__goal" title={result?.message}>
                    {result ? <span className={`goal-result goal-result--${result.met ? 'met' : 'missed'}`}>{result.met ? '✓ met' : '✕ not met'}</span> : student.submission ? 'grading…' : '—'}
                  </LabelledCell>
                );
              })}
              <LabelledCell label={label('accuracy')} className="num">{student.bestTestAccuracy !== null ? formatPercent(student.bestTestAccuracy) : '—'}</LabelledCell>
              <LabelledCell label={label('params')} className="num">{formatParams(student.params)}</LabelledCell>
              <LabelledCell label={label('runs')} className="num">{student.runCount}</LabelledCell>
              <LabelledCell label={label('activity')} className="review-table__one-line">{student.lastActivity ? formatDateTime(student.lastActivity) : 'never'}</LabelledCell>
              {/* The hand-in is where the mark is given: its link sits under the mark, not in a column of its own. */}
              <LabelledCell label={label('mark')}>
                {student.submission?.mark ?? '—'}
                {student.submission && (
                  <Link className="review-table__secondary" href={`/submissions/${student.submission.id}`}>
                    Open<span className="visually-hidden"> hand-in of {student.displayName}</span>
                  </Link>
                )}
              </LabelledCell>
              <LabelledCell label="Training"><DiagnosisBadge diagnosis={diagnoseStudent(student)} /></LabelledCell>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A cell of the class table with its column's name, shown only when the rows stack on a phone.
 * Screen readers skip that name: they announce the column header with the value already.
 */
function LabelledCell({ label, className, title, children }: { label: string; className?: string; title?: string; children: ReactNode }) {
  return (
    <td role="cell" className={className} title={title}>
      <span className="review-table__label" aria-hidden="true">{label}</span>
      <div className="review-table__value">{children}</div>
    </td>
  );
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function formatDuration(seconds: number): string {
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 86400)} days`;
}
