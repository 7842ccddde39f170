'use client';

import { useId, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';

/** After joining or creating, both lists and every dataset picker may have changed. */
function useRefreshAfterClassChange() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: trpc.class.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
  };
}

export function JoinClassForm({ knownName }: { knownName: string | null }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefreshAfterClassChange();
  const [code, setCode] = useState('');
  const [name, setName] = useState(knownName ?? '');
  const join = useMutation(
    trpc.class.join.mutationOptions({
      onSuccess: () => {
        setCode('');
        refresh();
      },
    }),
  );

  return (
    <form
      className="class-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        join.mutate({ code, displayName: name });
      }}
    >
      <h2 id={`${id}-title`} className="class-form__title">Join a class</h2>
      <div className="field">
        <label htmlFor={`${id}-code`}>Class code</label>
        <input
          id={`${id}-code`}
          className="class-form__code-input"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          placeholder="K7Q-M4P"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          aria-describedby={`${id}-code-help`}
        />
        <p id={`${id}-code-help`} className="field__help">
          The code your teacher wrote on the board. Capitals, spaces and dashes do not matter.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Your name as your teacher will see it</label>
        <input id={`${id}-name`} value={name} onChange={(event) => setName(event.target.value)} autoComplete="name" maxLength={100} />
      </div>
      <button type="submit" className="button button--primary" disabled={join.isPending}>
        {join.isPending ? 'Joining…' : 'Join class'}
      </button>
      {join.isError && (
        <p role="alert" className="field__error">
          {describeApiError(join.error).message}
        </p>
      )}
      {join.isSuccess && (
        <p role="status" className="class-form__done">
          You joined {join.data.name}. Your teacher is {join.data.teacherName}.
        </p>
      )}
    </form>
  );
}

export function CreateClassForm({ knownName }: { knownName: string | null }) {
  const trpc = useTRPC();
  const id = useId();
  const refresh = useRefreshAfterClassChange();
  const [className, setClassName] = useState('');
  const [teacherName, setTeacherName] = useState(knownName ?? '');
  const create = useMutation(
    trpc.class.create.mutationOptions({
      onSuccess: () => {
        setClassName('');
        refresh();
      },
    }),
  );

  return (
    <form
      className="class-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name: className, teacherName });
      }}
    >
      <h2 id={`${id}-title`} className="class-form__title">Create a class</h2>
      <p className="class-form__lead">For teachers. You get a code to give your students.</p>
      <div className="field">
        <label htmlFor={`${id}-class`}>Class name</label>
        <input id={`${id}-class`} value={className} onChange={(event) => setClassName(event.target.value)} placeholder="7B Computing" maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-teacher`}>Your name as your students will see it</label>
        <input id={`${id}-teacher`} value={teacherName} onChange={(event) => setTeacherName(event.target.value)} placeholder="Ms Rivera" maxLength={100} />
      </div>
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create class'}
      </button>
      {create.isError && (
        <p role="alert" className="field__error">
          {describeApiError(create.error).message}
        </p>
      )}
      {create.isSuccess && (
        <p role="status" className="class-form__done">
          {create.data.name} is ready. Write its code {create.data.joinCode} on the board.
        </p>
      )}
    </form>
  );
}
