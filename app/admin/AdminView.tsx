'use client';

import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import '../account/account.css';

/** A code nobody guesses: 4 groups of 4 from an alphabet without look-alikes. */
function randomTeacherCode(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

export function AdminView() {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.account.admin.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.account.admin.list.queryKey() });
  const setRole = useMutation(trpc.account.admin.setRole.mutationOptions({ onSuccess: refresh }));
  const setCode = useMutation(trpc.account.admin.setTeacherCode.mutationOptions({ onSuccess: refresh }));
  const createTeacher = useMutation(trpc.account.admin.createTeacher.mutationOptions({ onSuccess: refresh }));
  const [code, setCodeText] = useState('');
  const [teacherName, setTeacherName] = useState('');
  const [teacherUsername, setTeacherUsername] = useState('');

  if (list.isPending) return <p role="status">Loading accounts…</p>;
  if (list.isError) {
    return (
      <div className="auth-page">
        <p role="alert" className="notice notice--error">
          {describeApiError(list.error).message}
        </p>
      </div>
    );
  }
  const { accounts, teacherCode } = list.data;

  return (
    <div className="auth-page auth-page--wide">
      <h1>Admin</h1>

      <section className="auth-card" aria-labelledby={`${id}-code`}>
        <h2 id={`${id}-code`}>Teacher code</h2>
        <p className="auth-card__lead">
          A teacher who signs up with this code becomes a teacher. Give it to your colleagues, never to students; change it when a term starts.
        </p>
        <p>
          {teacherCode ? (
            <>
              Current code: <span className="account-code">{teacherCode}</span>
            </>
          ) : (
            'No teacher code is set, so nobody can sign up as a teacher. You can still make teacher accounts below.'
          )}
        </p>
        <form
          className="form-row"
          onSubmit={(event) => {
            event.preventDefault();
            setCode.mutate({ code });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-code-input`}>New teacher code</label>
            <input id={`${id}-code-input`} value={code} onChange={(e) => setCodeText(e.target.value)} autoComplete="off" spellCheck={false} maxLength={100} />
          </div>
          <button type="button" className="button" onClick={() => setCodeText(randomTeacherCode())}>
            New code
          </button>
          <button type="submit" className="button button--primary" disabled={setCode.isPending}>
            Save code
          </button>
          {teacherCode && (
            <button type="button" className="button button--danger-outline" onClick={() => setCode.mutate({ code: null })}>
              Remove code
            </button>
          )}
        </form>
        {setCode.isError && (
          <p role="alert" className="field__error">
            {describeApiError(setCode.error).message}
          </p>
        )}
      </section>

      <section className="auth-card" aria-labelledby={`${id}-new`}>
        <h2 id={`${id}-new`}>Make a teacher account</h2>
        <form
          className="form-row"
          onSubmit={(event) => {
            event.preventDefault();
            createTeacher.mutate({ displayName: teacherName, username: teacherUsername });
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-t-name`}>Teacher’s name</label>
            <input id={`${id}-t-name`} value={teacherName} onChange={(e) => setTeacherName(e.target.value)} placeholder="Ms Rivera" maxLength={100} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-t-user`}>Their username</label>
            <input id={`${id}-t-user`} value={teacherUsername} onChange={(e) => setTeacherUsername(e.target.value)} placeholder="rivera" autoCapitalize="none" spellCheck={false} maxLength={100} />
          </div>
          <button type="submit" className="button button--primary" disabled={createTeacher.isPending}>
            Make teacher account
          </button>
        </form>
        {createTeacher.isError && (
          <p role="alert" className="field__error">
            {describeApiError(createTeacher.error).message}
          </p>
        )}
        {createTeacher.isSuccess && (
          <p role="status" className="auth-bring">
            {createTeacher.data.displayName} can sign in as <span className="account-code">{createTeacher.data.username}</span> with the first password{' '}
            <span className="account-code">{createTeacher.data.password}</span>. Give it to them now: it is not shown again. They can change it on their account page.
          </p>
        )}
      </section>

      <section className="auth-card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>Accounts ({accounts.length})</h2>
        <div className="account-table__scroll">
          <table className="account-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Change role</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr key={a.id}>
                  <td>{a.displayName}</td>
                  <td className="account-code">{a.username}</td>
                  <td>{a.role}</td>
                  <td>
                    {a.role === 'student' && (
                      <button type="button" className="button button--small" onClick={() => setRole.mutate({ userId: a.id, role: 'teacher' })} aria-label={`Make ${a.displayName} (${a.username}) a teacher`}>
                        Make teacher
                      </button>
                    )}
                    {a.role === 'teacher' && (
                      <button type="button" className="button button--small" onClick={() => setRole.mutate({ userId: a.id, role: 'student' })} aria-label={`Make ${a.displayName} (${a.username}) a student`}>
                        Make student
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {setRole.isError && (
          <p role="alert" className="field__error">
            {describeApiError(setRole.error).message}
          </p>
        )}
      </section>
    </div>
  );
}
