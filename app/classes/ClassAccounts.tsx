'use client';

import { useEffect, useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import '../account/account.css';

interface FirstPassword {
  displayName: string;
  username: string;
  password: string;
}

/** The printable sheet: one slip per student, to cut out and hand over. Passwords are shown once and never stored. */
function Slips({ accounts, label }: { accounts: FirstPassword[]; label?: string }) {
  return (
    <ul className="print-sheet__slips" aria-label={label}>
      {accounts.map((a) => (
        <li key={a.username} className="print-sheet__slip">
          <strong>{a.displayName}</strong>
          <dl>
            <dt>Username</dt>
            <dd>{a.username}</dd>
            <dt>Password</dt>
            <dd>{a.password}</dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}

export function PasswordSheet({ className, accounts, onClose }: { className: string; accounts: FirstPassword[]; onClose?: () => void }) {
  const id = useId();
  // The printed copy sits directly in <body>, so print CSS can hide everything else and let the slips flow over pages.
  const [body, setBody] = useState<HTMLElement | null>(null);
  useEffect(() => setBody(document.body), []);
  return (
    <>
      {body &&
        createPortal(
          <div className="print-only" aria-hidden="true">
            <h1>Layerbook sign-in slips: {className}</h1>
            <p>Open {window.location.host}, press Sign in, and type the username and password on your slip.</p>
            <Slips accounts={accounts} />
          </div>,
          body,
        )}
      <section className="print-sheet" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>Layerbook sign-in slips: {className}</h3>
        <p className="print-sheet__actions auth-card__lead">
          Print this now and cut it into slips: the passwords are not shown again. Students sign in at {typeof window === 'undefined' ? 'Layerbook' : window.location.host}
          {' '}and can change their password on their account page.
        </p>
        <div className="print-sheet__actions form-row">
          <button type="button" className="button button--primary" onClick={() => window.print()}>
            Print slips
          </button>
          {onClose && (
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          )}
        </div>
        <Slips accounts={accounts} label="Usernames and first passwords" />
      </section>
    </>
  );
}

/** A teacher pastes their class list; each name gets an account in this class. */
export function ClassAccountsForm({ classId, className }: { classId: string; className: string }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [names, setNames] = useState('');
  const [open, setOpen] = useState(false);
  const create = useMutation(
    trpc.account.createClassAccounts.mutationOptions({
      onSuccess: () => {
        setNames('');
        void queryClient.invalidateQueries({ queryKey: trpc.class.list.queryKey() });
      },
    }),
  );

  if (create.data) return <PasswordSheet className={create.data.className} accounts={create.data.accounts} onClose={() => create.reset()} />;
  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)} aria-label={`Make student accounts for ${className}`}>
        Make student accounts…
      </button>
    );
  }
  return (
    <form
      className="class-form"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ classId, names: names.split('\n') });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-names`}>Students’ names, one per line</label>
        <textarea id={`${id}-names`} value={names} onChange={(e) => setNames(e.target.value)} rows={6} placeholder={'Sam Lee\nAna Silva'} />
        <p className="field__help">Each gets a username and a first password on a sheet you print. No e-mail needed.</p>
      </div>
      <div className="form-row">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Making accounts…' : 'Make accounts'}
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      {create.isError && (
        <p role="alert" className="field__error">
          {describeApiError(create.error).message}
        </p>
      )}
    </form>
  );
}

/** A new first password for one student of the class (their other sessions end). */
export function ResetPasswordButton({ classId, member }: { classId: string; member: { userId: string; displayName: string } }) {
  const trpc = useTRPC();
  const reset = useMutation(trpc.account.resetStudentPassword.mutationOptions());
  if (reset.data) {
    return (
      <span role="status" className="class-card__reset">
        New password for {reset.data.username}: <strong className="account-code">{reset.data.password}</strong>
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button button--small"
        disabled={reset.isPending}
        aria-label={`Reset the password of ${member.displayName}`}
        onClick={() => reset.mutate({ classId, studentId: member.userId })}
      >
        Reset password
      </button>
      {reset.isError && (
        <span role="alert" className="field__error">
          {describeApiError(reset.error).message}
        </span>
      )}
    </>
  );
}
