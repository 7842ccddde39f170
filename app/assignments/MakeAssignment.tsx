'use client';

import Link from 'next/link';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lockChoiceLabel } from '../../blocks/locked-cells';
import { notebookDataOf, type Cell } from '../../blocks/format/notebook';
import { Icon } from '../components/Icons';
import type { SaveState } from '../lib/autosave';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { defaultDueDate, toDateTimeLocal } from './format';
import { GoalFields } from './GoalFields';
import { goalsFromRows, type GoalRow } from './goal-rows';
import { TestSetPicker, useTestSetChoice } from './TestSetPicker';
import './assignments.css';

/**
 * "Make an assignment…" on a teacher's own notebook: shown to anyone who teaches a class. The
 * assignment is a copy of the notebook as saved now; later edits here change nothing for students.
 */
export function MakeAssignmentButton(props: { notebookId: string; title: string; cells: readonly Cell[]; flushSave: () => Promise<SaveState> }) {
  const trpc = useTRPC();
  const classes = useQuery(trpc.class.list.queryOptions());
  const [open, setOpen] = useState(false);
  const teaching = classes.data?.teaching ?? [];
  if (teaching.length === 0) return null;
  return (
    <>
      <button type="button" className="button make-assignment-button" onClick={() => setOpen(true)}>
        <Icon name="check" /> Make an assignment…
      </button>
      {open && <MakeAssignmentDialog {...props} classes={teaching} onClose={() => setOpen(false)} />}
    </>
  );
}

function MakeAssignmentDialog(props: {
  notebookId: string;
  title: string;
  cells: readonly Cell[];
  classes: readonly { id: string; name: string }[];
  flushSave: () => Promise<SaveState>;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [classId, setClassId] = useState(props.classes[0]!.id);
  const [title, setTitle] = useState(props.title);
  const [due, setDue] = useState(() => toDateTimeLocal(defaultDueDate()));
  // Instructions are what teachers lock most: text cells start ticked.
  const [lockedIds, setLockedIds] = useState<ReadonlySet<string>>(() => new Set(props.cells.filter((c) => c.type === 'markdown').map((c) => c.id)));
  const [goalRows, setGoalRows] = useState<GoalRow[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [testSetChoice, setTestSetChoice] = useState('');
  const notebookData = useMemo(() => notebookDataOf(props.cells), [props.cells]);
  const notebookUploadIds = useMemo(() => props.cells.flatMap((c) => (c.type === 'data' && c.source.kind === 'upload' ? [c.source.datasetId] : [])), [props.cells]);
  const testSet = useTestSetChoice(notebookData, notebookUploadIds, testSetChoice);

  useEffect(() => {
    ref.current?.showModal();
  }, []);

  const create = useMutation(
    trpc.assignment.create.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.assignment.listForClass.queryKey({ classId }) }),
    }),
  );

  async function submit() {
    setProblem(null);
    const chosenGoals = goalsFromRows(goalRows);
    if (typeof chosenGoals === 'string') return setProblem(chosenGoals);
    if (testSet.problem) return setProblem(testSet.problem);
    const dueAt = new Date(due);
    if (Number.isNaN(dueAt.getTime())) return setProblem('Pick a due date and time.');
    const saved = await props.flushSave();
    if (saved.status !== 'saved') return setProblem('The notebook could not be saved just now, so the assignment would miss your last changes. Try again in a moment.');
    create.mutate({
      notebookId: props.notebookId,
      classId,
      title,
      dueAt: dueAt.toISOString(),
      lockedCellIds: props.cells.filter((c) => lockedIds.has(c.id)).map((c) => c.id),
      goals: chosenGoals,
      testDataset: testSet.source,
    });
  }

  const className = props.classes.find((c) => c.id === classId)?.name ?? '';
  return (
    <dialog
      ref={ref}
      className="dialog dialog--wide"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={`${id}-title`} className="dialog__title">Make an assignment</h2>
      {create.isSuccess ? (
        <div className="dialog__body" role="status">
          <p>
            <strong>{title.trim()}</strong> is now an assignment for {className}. Your students find it on their home page, each with their own copy.
          </p>
          <p>Changes you make to this notebook from now on do not change the assignment.</p>
          <div className="dialog__actions">
            <Link className="button" href="/classes">See your classes</Link>
            <button type="button" className="button button--primary" onClick={props.onClose} autoFocus>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form
          className="make-assignment"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <p className="dialog__body">Students each get their own copy of this notebook as it is now, and hand in a trained run.</p>
          <div className="make-assignment__row">
            <div className="field">
              <label htmlFor={`${id}-class`}>Class</label>
              <select id={`${id}-class`} value={classId} onChange={(e) => setClassId(e.target.value)}>
                {props.classes.map((c) => (
                  <option key={c.id} value={c.id}>{c.name}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-due`}>Due</label>
              <input id={`${id}-due`} type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} required />
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${id}-name`}>Title</label>
            <input id={`${id}-name`} value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} required />
          </div>

          <fieldset className="make-assignment__group">
            <legend>Locked cells</legend>
            <p className="hint">Students can read and run a locked cell, but not change or delete it.</p>
            <ul className="make-assignment__cells">
              {props.cells.map((cell, index) => (
                <li key={cell.id} className="field field--check">
                  <input
                    id={`${id}-lock-${index}`}
                    type="checkbox"
                    checked={lockedIds.has(cell.id)}
                    onChange={(e) =>
                      setLockedIds((ids) => {
                        const next = new Set(ids);
                        if (e.target.checked) next.add(cell.id);
                        else next.delete(cell.id);
                        return next;
                      })
                    }
                  />
                  <label htmlFor={`${id}-lock-${index}`}>Lock {lockChoiceLabel(cell, index)}</label>
                </li>
              ))}
            </ul>
          </fieldset>

          <GoalFields
            value={goalRows}
            onChange={setGoalRows}
            hint="Checked automatically on every hand-in. Test accuracy is measured on the hidden test set below, which students never see."
          />

          <fieldset className="make-assignment__group">
            <legend>Grading data</legend>
            <TestSetPicker id={`${id}-test-set`} notebookData={notebookData} state={testSet} onChoose={setTestSetChoice} />
          </fieldset>

          {(problem || create.isError) && (
            <p role="alert" className="notice notice--error">
              {problem ?? describeApiError(create.error).message}
            </p>
          )}
          <div className="dialog__actions">
            <button type="button" className="button" onClick={props.onClose}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              {create.isPending ? 'Making it…' : 'Make assignment'}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
