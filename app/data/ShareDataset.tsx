'use client';

import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DatasetOrigin } from '../../server/services/dataset-access';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { listInWords } from '../../blocks/format/words';
import './share-dataset.css';

type OwnOrigin = Extract<DatasetOrigin, { kind: 'yours' }>;

/**
 * Who may use one of the user's uploads: the classes it is shared with and, for teachers,
 * the whole school. Shown only to someone who teaches a class (or already shared it), so a
 * student's data cell stays as it was.
 */
export function ShareDataset({ dataset }: { dataset: { id: string; name: string; origin: OwnOrigin } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const myClasses = useQuery(trpc.class.list.queryOptions());
  const [picking, setPicking] = useState(false);
  const [chosenClass, setChosenClass] = useState('');

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.dataset.get.queryKey({ id: dataset.id }) });
    // The Classes page lists what each class can use.
    void queryClient.invalidateQueries({ queryKey: trpc.class.list.queryKey() });
  };
  const share = useMutation(
    trpc.dataset.share.mutationOptions({
      onSuccess: () => {
        setPicking(false);
        refresh();
      },
    }),
  );
  const unshare = useMutation(trpc.dataset.unshare.mutationOptions({ onSuccess: refresh }));
  const visibility = useMutation(trpc.dataset.setVisibility.mutationOptions({ onSuccess: refresh }));

  const teaching = myClasses.data?.teaching ?? [];
  const { sharedWith } = dataset.origin;
  const isSchool = dataset.origin.visibility === 'school';
  if (teaching.length === 0 && sharedWith.length === 0 && !isSchool) return null;

  const unshared = teaching.filter((c) => !sharedWith.some((s) => s.classId === c.id));
  const selectedClass = unshared.some((c) => c.id === chosenClass) ? chosenClass : (unshared[0]?.id ?? '');
  const problem = [share, unshare, visibility].find((m) => m.isError)?.error;
  const busy = share.isPending || unshare.isPending || visibility.isPending;

  return (
    <section className="share-dataset" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="share-dataset__title">Who can use {dataset.name}</h3>
      <p className="share-dataset__summary" role="status">
        {sharedWith.length === 0 && !isSchool && 'Only you can use it.'}
        {sharedWith.length > 0 && `Shared with ${listInWords(sharedWith.map((s) => s.className))}.`}
        {isSchool && ' Everyone at this school can use it.'}
      </p>
      {sharedWith.length > 0 && (
        <ul className="share-dataset__classes" aria-label={`Classes that can use ${dataset.name}`}>
          {sharedWith.map((s) => (
            <li key={s.classId}>
              <span>{s.className}</span>
              <button
                type="button"
                className="button button--small"
                disabled={busy}
                onClick={() => unshare.mutate({ id: dataset.id, classId: s.classId })}
              >
                Stop sharing with {s.className}
              </button>
            </li>
          ))}
        </ul>
      )}

      {unshared.length > 0 && !picking && (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            share.reset();
            setPicking(true);
          }}
        >
          Share with class…
        </button>
      )}
      {unshared.length > 0 && picking && (
        <form
          className="share-dataset__form"
          aria-label={`Share ${dataset.name} with a class`}
          onSubmit={(event) => {
            event.preventDefault();
            if (selectedClass) share.mutate({ id: dataset.id, classId: selectedClass });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-class`}>Class</label>
            <select id={`${id}-class`} value={selectedClass} onChange={(event) => setChosenClass(event.target.value)}>
              {unshared.map((c) => (
                <option key={c.id} value={c.id}>{c.name} ({c.memberCount === 1 ? '1 student' : `${c.memberCount} students`})</option>
              ))}
            </select>
          </div>
          <div className="share-dataset__actions">
            <button type="submit" className="button button--primary button--small" disabled={busy}>
              {share.isPending ? 'Sharing…' : 'Share'}
            </button>
            <button type="button" className="button button--small" onClick={() => setPicking(false)}>
              Cancel
            </button>
          </div>
          <p className="field__help">Everyone in the class can then preview it and train on it. They cannot change or delete it.</p>
        </form>
      )}

      {(teaching.length > 0 || isSchool) && (
        <div className="field field--check">
          <input
            id={`${id}-school`}
            type="checkbox"
            checked={isSchool}
            disabled={busy}
            onChange={(event) => visibility.mutate({ id: dataset.id, visibility: event.target.checked ? 'school' : 'private' })}
          />
          <label htmlFor={`${id}-school`}>Everyone at this school can use it</label>
        </div>
      )}
      {problem && (
        <p role="alert" className="field__error">
          {describeApiError(problem).message}
        </p>
      )}
    </section>
  );
}
