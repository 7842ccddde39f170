'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { describeWork, goTo } from '../account/auth-client';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import '../account/account.css';

type Kind = 'student' | 'teacher';

export function SignUpForm() {
  const id = useId();
  const trpc = useTRPC();
  // Asked afresh: the header's copy may be from before this browser did its first work.
  const me = useQuery({ ...trpc.account.me.queryOptions(), refetchOnMount: 'always' });
  const [kind, setKind] = useState<Kind>('student');
  const [displayName, setDisplayName] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [bring, setBring] = useState(true);
  const signUp = useMutation(trpc.account.signUp.mutationOptions({ onSuccess: () => goTo('/') }));
  const fresh = me.data?.freshInstall ?? false;
  const work = describeWork(me.data?.anonymousWork);

  // Whether this sign-up makes the admin comes from the server: wait for it rather than show the wrong form.
  if (me.isPending) return <p role="status">Loading…</p>;
  if (me.data?.account) {
    return (
      <div className="auth-page">
        <div className="auth-card">
          <h1>Make an account</h1>
          <p>
            You are signed in as {me.data.account.displayName} ({me.data.account.username}). Sign out first to make another account.
          </p>
          <Link href="/account" className="button">
            Your account
          </Link>
        </div>
      </div>
    );
  }

  return (
    <div className="auth-page">
      <form
        className="auth-card"
        aria-labelledby={`${id}-title`}
        onSubmit={(event) => {
          event.preventDefault();
          signUp.mutate({
            username,
            password,
            displayName,
            ...(fresh ? {} : kind === 'student' ? { joinCode: code } : { teacherCode: code }),
            bringWork: Boolean(work) && bring,
          });
        }}
      >
        <h1 id={`${id}-title`}>Make an account</h1>
        {fresh ? (
          <p className="notice" role="status">
            Nobody has an account on this Layerbook yet: yours will be the <strong>admin</strong> account, which makes teachers and sets the teacher code.
          </p>
        ) : (
          <>
            <p className="auth-card__lead">You need no e-mail address: just a username and a password.</p>
            <fieldset className="auth-switch">
              <legend className="visually-hidden">I am</legend>
              <label>
                <input type="radio" name={`${id}-kind`} checked={kind === 'student'} onChange={() => setKind('student')} /> I am a student
              </label>
              <label>
                <input type="radio" name={`${id}-kind`} checked={kind === 'teacher'} onChange={() => setKind('teacher')} /> I am a teacher
              </label>
            </fieldset>
            <div className="field">
              <label htmlFor={`${id}-code`}>{kind === 'student' ? 'Class code' : 'Teacher code'}</label>
              <input
                id={`${id}-code`}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                placeholder={kind === 'student' ? 'K7Q-M4P' : ''}
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={100}
                aria-describedby={`${id}-code-help`}
              />
              <p id={`${id}-code-help`} className="field__help">
                {kind === 'student'
                  ? 'The code your teacher wrote on the board. Your account joins that class.'
                  : 'Whoever runs Layerbook at your school gives you this code (they set it on the admin page).'}
              </p>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={`${id}-name`}>{kind === 'teacher' || fresh ? 'Your name as students will see it' : 'Your name as your teacher will see it'}</label>
          <input id={`${id}-name`} value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" maxLength={100} placeholder={kind === 'teacher' || fresh ? 'Ms Rivera' : 'Sam L'} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input
            id={`${id}-username`}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={100}
            aria-describedby={`${id}-username-help`}
          />
          <p id={`${id}-username-help`} className="field__help">
            3 to 30 letters, digits, dots or underscores, such as sam.lee. You type it to sign in.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input id={`${id}-password`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" maxLength={500} aria-describedby={`${id}-password-help`} />
          <p id={`${id}-password-help`} className="field__help">
            At least 8 characters. A short sentence you can remember works well.
          </p>
        </div>
        {work && (
          <div className="field field--check auth-bring">
            <input id={`${id}-bring`} type="checkbox" checked={bring} onChange={(e) => setBring(e.target.checked)} />
            <label htmlFor={`${id}-bring`}>Bring the work from this browser into my account ({work})</label>
          </div>
        )}
        <button type="submit" className="button button--primary button--large" disabled={signUp.isPending}>
          {signUp.isPending ? 'Making your account…' : 'Make my account'}
        </button>
        {signUp.isError && (
          <p role="alert" className="field__error">
            {describeApiError(signUp.error).message}
          </p>
        )}
        <p className="auth-footer">
          Already have an account? <Link href="/sign-in">Sign in</Link>.
        </p>
      </form>
    </div>
  );
}
