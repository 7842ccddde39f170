'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import type { Goal } from '../../blocks/format/goals';
import type { RouterOutputs } from '../trpc/types';
import { DueLine } from '../components/DueLine';
import { toDateTimeLocal } from './format';
import { GoalFields } from './GoalFields';
import { goalsFromRows, rowsFromGoals } from './goal-rows';
import { TestSetPicker, useTestSetChoice } from './TestSetPicker';
import './assignments.css';

type TeacherAssignment = RouterOutputs['assignment']['listForClass'][number];
type TestSetSource = ReturnType<typeof useTestSetChoice>['source'];

/** A class's assignments on its teacher's class card: due dates, how many handed in, goals. */
export function ClassAssignments({ classId, className }: { classId: string; className: string }) {
  const trpc = useTRPC();
  const id = useId();
  const list = useQuery(trpc.assignment.listForClass.queryOptions({ classId }));
  return (
    <section className="class-card__section" aria-labelledby={`${id}-assignments`}>
      <h4 id={`${id}-assignments`} className="class-card__section-title">
        Assignments{list.data && list.data.length > 0 ? ` (${list.data.length})` : ''}
      </h4>
      {list.isError && <p role="alert" className="field__error">Could not load the assignments: {describeApiError(list.error).message}</p>}
      {list.isSuccess && list.data.length === 0 && (
        <p className="class-card__empty">None yet. Open one of your notebooks and choose “Make an assignment…”.</p>
      )}
      {list.isSuccess && list.data.length > 0 && (
        <ul className="class-assignments" aria-label={`Assignments of ${className}`}>
          {list.data.map((a) => (
            <ClassAssignmentItem key={a.id} assignment={a} classId={classId} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ClassAssignmentItem({ assignment: a, classId }: { assignment: TeacherAssignment; classId: string }) {
  const trpc = useTRPC();
  const id = useId();
  const queryClient = useQueryClient();
  const invalidate = () => void queryClient.invalidateQueries({ queryKey: trpc.assignment.listForClass.queryKey({ classId }) });
  const [editingDue, setEditingDue] = useState(false);
  const [due, setDue] = useState(() => toDateTimeLocal(new Date(a.dueAt)));
  const [editingGoals, setEditingGoals] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The class view shows each hand-in's goals, which the server has just judged again.
  const updateGoals = useMutation(
    trpc.assignment.update.mutationOptions({
      onSuccess: () => {
        setEditingGoals(false);
        invalidate();
        void queryClient.invalidateQueries({ queryKey: trpc.review.classView.queryKey({ assignmentId: a.id }) });
      },
    }),
  );
  const [editingTestSet, setEditingTestSet] = useState(false);
  // A new due date or test set changes hand-ins too (late again, graded again): the class view follows.
  const update = useMutation(
    trpc.assignment.update.mutationOptions({
      onSuccess: () => {
        setEditingDue(false);
        setEditingTestSet(false);
        invalidate();
        void queryClient.invalidateQueries({ queryKey: trpc.review.classView.queryKey({ assignmentId: a.id }) });
      },
    }),
  );
  const [editingLocks, setEditingLocks] = useState(false);
  const [locksSaved, setLocksSaved] = useState<string | null>(null);
  // Hand-ins are flagged again by the new locks: the class view shows which changed a locked cell.
  const updateLocks = useMutation(
    trpc.assignment.update.mutationOptions({
      onSuccess: () => {
        setEditingLocks(false);
        invalidate();
        void queryClient.invalidateQueries({ queryKey: trpc.review.classView.queryKey({ assignmentId: a.id }) });
      },
    }),
  );
  const remove = useMutation(trpc.assignment.delete.mutationOptions({ onSuccess: () => (setConfirmDelete(false), invalidate()) }));

  return (
    <li className="class-assignment">
      <div className="class-assignment__main">
        <strong className="class-assignment__title">{a.title}</strong>
        <DueLine dueAt={a.dueAt} className="class-assignment__due" as="span" />
        <span className="class-assignment__count">
          {a.handedIn} of {a.memberCount} handed in
        </span>
        <span className="class-assignment__test-set">{gradedOnWords(a)}</span>
        {a.goalTexts.length > 0 && (
          <ul className="goal-chips goal-chips--small" aria-label={`Goals of ${a.title}`}>
            {a.goalTexts.map((text, i) => (
              <li key={a.goals[i]?.id ?? i} className="goal-chip">{text}</li>
            ))}
          </ul>
        )}
      </div>
      <div className="class-assignment__actions">
        <Link className="button button--small button--primary" href={`/assignments/${a.id}/review`} aria-label={`Class view of ${a.title}`}>
          Class view
        </Link>
        <button type="button" className="button button--small" aria-label={`Change the due date of ${a.title}`} aria-expanded={editingDue} onClick={() => (update.reset(), setEditingDue(!editingDue))}>
          Change due date
        </button>
        <button type="button" className="button button--small" aria-label={`Change the goals of ${a.title}`} aria-expanded={editingGoals} onClick={() => (updateGoals.reset(), setEditingGoals(!editingGoals))}>
          Change goals
        </button>
        <button type="button" className="button button--small" aria-label={`Change the hidden test set of ${a.title}`} aria-expanded={editingTestSet} onClick={() => (update.reset(), setEditingTestSet(!editingTestSet))}>
          Change test set
        </button>
        <button type="button" className="button button--small" aria-label={`Change the locked cells of ${a.title}`} aria-expanded={editingLocks} onClick={() => (updateLocks.reset(), setLocksSaved(null), setEditingLocks(!editingLocks))}>
          Change locked cells
        </button>
        <button type="button" className="button button--small button--danger-outline" aria-label={`Delete ${a.title}`} onClick={() => (remove.reset(), setConfirmDelete(true))}>
          Delete
        </button>
      </div>
      {editingDue && (
        <form
          className="class-assignment__due-form"
          onSubmit={(event) => {
            event.preventDefault();
            const date = new Date(due);
            if (!Number.isNaN(date.getTime())) update.mutate({ id: a.id, dueAt: date.toISOString() });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-due`}>New due date</label>
            <input id={`${id}-due`} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} required />
          </div>
          <button type="submit" className="button button--primary button--small" disabled={update.isPending}>
            Save due date
          </button>
          {update.isError && <p role="alert" className="field__error">{describeApiError(update.error).message}</p>}
        </form>
      )}
      {editingGoals && <GoalsForm assignment={a} saving={updateGoals.isPending} error={updateGoals.isError ? describeApiError(updateGoals.error).message : null} onSave={(goals) => updateGoals.mutate({ id: a.id, goals })} onCancel={() => setEditingGoals(false)} />}
      {editingTestSet && <TestSetForm assignment={a} pending={update.isPending} error={update.isError ? describeApiError(update.error).message : null} onSave={(testDataset) => update.mutate({ id: a.id, testDataset })} />}
      {editingLocks && (
        <LockedCellsForm
          assignment={a}
          saving={updateLocks.isPending}
          error={updateLocks.isError ? describeApiError(updateLocks.error).message : null}
          onSave={(lockedCellIds) => updateLocks.mutate({ id: a.id, lockedCellIds }, { onSuccess: (result) => setLocksSaved(locksSavedWords(a.lockedCellIds, lockedCellIds, result.lockedCells)) })}
          onCancel={() => setEditingLocks(false)}
        />
      )}
      {locksSaved && !editingLocks && (
        <p role="status" className="class-assignment__saved">
          {locksSaved}
        </p>
      )}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete “${a.title}”?`}
        confirmLabel={remove.isPending ? 'Deleting…' : 'Yes, delete it'}
        cancelLabel="Keep it"
        danger
        busy={remove.isPending}
        onConfirm={() => remove.mutate({ id: a.id })}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>Every hand-in and grade of this assignment goes with it. Your students keep their copies of the notebook.</p>
        {remove.isError && (
          <p role="alert" className="notice notice--error">
            Could not delete it: {describeApiError(remove.error).message}
          </p>
        )}
      </ConfirmDialog>
    </li>
  );
}

/**
 * Changing the goals of an assignment students may already have handed in: the server judges
 * every hand-in again, so the teacher is told what happens before saving.
 */
function GoalsForm(props: { assignment: TeacherAssignment; saving: boolean; error: string | null; onSave: (goals: Goal[]) => void; onCancel: () => void }) {
  const { assignment: a } = props;
  const [rows, setRows] = useState(() => rowsFromGoals(a.goals));
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="class-assignment__goals-form"
      aria-label={`Goals of ${a.title}`}
      onSubmit={(event) => {
        event.preventDefault();
        const goals = goalsFromRows(rows);
        if (typeof goals === 'string') return setProblem(goals);
        setProblem(null);
        props.onSave(goals);
      }}
    >
      <GoalFields
        value={rows}
        onChange={setRows}
        hint={
          a.handedIn > 0
            ? 'Every hand-in is checked again against the new goals, from the accuracy already measured; your students see the new results on their hand-ins.'
            : 'Checked automatically on every hand-in.'
        }
      />
      <ChangeFormEnd error={problem ?? props.error} saving={props.saving} saveLabel="Save goals" onCancel={props.onCancel} />
    </form>
  );
}

/**
 * Which cells of an assignment students may not change, ticked as when it was made. Students'
 * open copies take the new locks the next time they ask for the assignment (every minute, and
 * after a hand-in or a refused save); a save that changes a newly locked cell is refused by name.
 */
function LockedCellsForm(props: { assignment: TeacherAssignment; saving: boolean; error: string | null; onSave: (lockedCellIds: string[]) => void; onCancel: () => void }) {
  const { assignment: a } = props;
  const id = useId();
  const [locked, setLocked] = useState<ReadonlySet<string>>(() => new Set(a.lockedCellIds));
  return (
    <form
      className="class-assignment__locks-form"
      aria-label={`Locked cells of ${a.title}`}
      onSubmit={(event) => {
        event.preventDefault();
        props.onSave(a.cells.filter((c) => locked.has(c.id)).map((c) => c.id));
      }}
    >
      <fieldset className="make-assignment__group">
        <legend>Locked cells</legend>
        <p className="hint">
          Students can read and run a locked cell, but not change or delete it.
          {a.handedIn > 0 && ' Hand-ins are checked again: the class view flags each one that changed or deleted a cell locked now.'}
        </p>
        <ul className="make-assignment__cells">
          {a.cells.map((cell, index) => (
            <li key={cell.id} className="field field--check">
              <input
                id={`${id}-lock-${index}`}
                type="checkbox"
                checked={locked.has(cell.id)}
                onChange={(e) =>
                  setLocked((ids) => {
                    const next = new Set(ids);
                    if (e.target.checked) next.add(cell.id);
                    else next.delete(cell.id);
                    return next;
                  })
                }
              />
              <label htmlFor={`${id}-lock-${index}`}>Lock {cell.label}</label>
            </li>
          ))}
        </ul>
      </fieldset>
      <ChangeFormEnd error={props.error} saving={props.saving} saveLabel="Save locked cells" onCancel={props.onCancel} />
    </form>
  );
}

/** The end of a class card's change form: why the change was refused, if it was, then Cancel and Save. */
function ChangeFormEnd(props: { error: string | null; saving: boolean; saveLabel: string; onCancel: () => void }) {
  return (
    <>
      {props.error && (
        <p role="alert" className="field__error">
          {props.error}
        </p>
      )}
      <div className="class-assignment__form-actions">
        <button type="button" className="button button--small" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary button--small" disabled={props.saving}>
          {props.saving ? 'Saving…' : props.saveLabel}
        </button>
      </div>
    </>
  );
}

/** "Locked 1 more cell (3 locked now). 1 of 2 hand-ins now shows a changed locked cell.": what saving the locks did. */
function locksSavedWords(before: readonly string[], after: readonly string[], recount: { handIns: number; flagged: number } | null): string {
  const added = after.filter((cellId) => !before.includes(cellId)).length;
  const removed = before.filter((cellId) => !after.includes(cellId)).length;
  const cells = (n: number) => `${n} ${n === 1 ? 'cell' : 'cells'}`;
  const what = [added > 0 && `locked ${cells(added)} more`, removed > 0 && `unlocked ${cells(removed)}`].filter(Boolean).join(' and ');
  if (!what || !recount) return `The locked cells are as they were (${cells(after.length)} locked).`;
  const first = `${what.charAt(0).toUpperCase()}${what.slice(1)} (${cells(after.length)} locked now).`;
  if (recount.handIns === 0) return `${first} No hand-ins yet; students’ open copies take the new locks within a minute.`;
  const shows = recount.flagged === 1 ? 'shows' : 'show';
  return `${first} ${recount.flagged} of ${recount.handIns} ${recount.handIns === 1 ? 'hand-in' : 'hand-ins'} now ${shows} a changed or deleted locked cell; students’ open copies take the new locks within a minute.`;
}

function gradedOnWords(a: TeacherAssignment): string {
  if (!a.testDatasetName) return 'No test data: goals need none';
  return a.hiddenTestSetId ? `Graded on all of “${a.testDatasetName}” (hidden)` : `Graded on the test split of “${a.testDatasetName}”`;
}

/** Picks another hidden test set for an assignment; the server checks it again as when the assignment was made. */
function TestSetForm(props: { assignment: TeacherAssignment; pending: boolean; error: string | null; onSave: (testDataset: TestSetSource) => void }) {
  const id = useId();
  const [choice, setChoice] = useState(props.assignment.hiddenTestSetId ?? '');
  // The template's data cells are the server's to check here (it answers with the same sentence).
  const state = useTestSetChoice(props.assignment.notebookData, [], choice);
  return (
    <form
      className="class-assignment__test-set-form"
      aria-label={`Hidden test set of ${props.assignment.title}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!state.problem) props.onSave(state.source);
      }}
    >
      <TestSetPicker id={`${id}-test-set`} notebookData={props.assignment.notebookData} state={state} onChoose={setChoice} />
      <p className="hint">Every hand-in, earlier ones too, is graded again on it; your students see the new results on their hand-ins.</p>
      <button type="submit" className="button button--primary button--small" disabled={props.pending || state.problem !== null}>
        Save test set
      </button>
      {props.error && <p role="alert" className="field__error">{props.error}</p>}
    </form>
  );
}
