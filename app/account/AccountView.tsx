'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { goTo, signOut, signOutEverywhere } from './auth-client';
import './account.css';

const ROLE_TEXT = {
  admin: 'Admin: you make teachers and set the teacher code. You may teach classes of your own; other teachers’ classes and their students’ work are theirs alone.',
  teacher: 'Teacher: you make classes and your students’ accounts.',
  student: 'Student',
} as const;

export function AccountView() {
  const id = useId();
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [leaving, setLeaving] = useState<string | null>(null);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrent('');
        setNext('');
        setAgain('');
      },
    }),
  );
  const account = me.data?.account;

  if (me.isPending) return <p role="status">Loading your account…</p>;
  if (!account) {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <h1>Your account</h1>
          <p>You are not signed in. Your work stays in this browser until you sign in or make an account.</p>
          <div className="form-row">
            <Link href="/sign-in" className="button button--primary">
              Sign in
            </Link>
            <Link href="/sign-up" className="button">
              Make an account
            </Link>
          </div>
        </div>
      </div>
    );
  }

  return (
    <div className="auth-page">
      <section className="auth-card" aria-labelledby={`${id}-who`}>
        <h1 id={`${id}-who`}>Your account</h1>
        <dl className="account-facts">
          <dt>Name</dt>
          <dd>{account.displayName}</dd>
          <dt>Username</dt>
          <dd className="account-code">{account.username}</dd>
          <dt>Role</dt>
          <dd>{ROLE_TEXT[account.role]}</dd>
        </dl>
        {account.role === 'admin' && (
          <Link href="/admin" className="button">
            Admin page
          </Link>
        )}
      </section>

      <form
        className="auth-card"
        aria-labelledby={`${id}-pw`}
        onSubmit={(event) => {
          event.preventDefault();
          setMismatch(next !== again);
          if (next !== again) return;
          change.mutate({ currentPassword: current, newPassword: next });
        }}
      >
        <h2 id={`${id}-pw`}>Change your password</h2>
        <p className="auth-card__lead">Every other computer where you are signed in is signed out.</p>
        <div className="field">
          <label htmlFor={`${id}-current`}>Current password</label>
          <input id={`${id}-current`} type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" maxLength={500} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`}>New password</label>
          <input id={`${id}-new`} type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" maxLength={500} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-again`}>New password again</label>
          <input id={`${id}-again`} type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" maxLength={500} aria-invalid={mismatch} />
        </div>
        <button type="submit" className="button button--primary" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
        {mismatch && (
          <p role="alert" className="field__error">
            The two new passwords are different. Type the same one twice.
          </p>
        )}
        {change.isError && (
          <p role="alert" className="field__error">
            {describeApiError(change.error).message}
          </p>
        )}
        {change.isSuccess && <p role="status">Your password is changed. Other computers are signed out.</p>}
      </form>

      <section className="auth-card" aria-labelledby={`${id}-out`}>
        <h2 id={`${id}-out`}>Sign out</h2>
        <p className="auth-card__lead">Used a school computer or lost a phone? Sign out everywhere ends every session of your account.</p>
        <div className="form-row">
          <button
            type="button"
            className="button"
            disabled={leaving !== null}
            onClick={async () => {
              setLeaving('here');
              await signOut();
              goTo('/');
            }}
          >
            {leaving === 'here' ? 'Signing out…' : 'Sign out'}
          </button>
          <button
            type="button"
            className="button button--danger-outline"
            disabled={leaving !== null}
            onClick={async () => {
              setLeaving('everywhere');
              await signOutEverywhere();
              goTo('/sign-in');
            }}
          >
            {leaving === 'everywhere' ? 'Signing out everywhere…' : 'Sign out everywhere'}
          </button>
        </div>
      </section>
    </div>
  );
}
