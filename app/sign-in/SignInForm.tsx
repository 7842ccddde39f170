'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { describeWork, goTo, signIn } from '../account/auth-client';
import { describeApiError } from '../trpc/errors';
import { useTRPC, useTRPCClient } from '../trpc/react';
import '../account/account.css';

export function SignInForm() {
  const id = useId();
  const trpc = useTRPC();
  const client = useTRPCClient();
  // Asked afresh: the header's copy may be from before this browser did its first work.
  const me = useQuery({ ...trpc.account.me.queryOptions(), refetchOnMount: 'always' });
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [bring, setBring] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const work = describeWork(me.data?.anonymousWork);

  return (
    <div className="auth-page">
      <form
        className="auth-card"
        aria-labelledby={`${id}-title`}
        onSubmit={async (event) => {
          event.preventDefault();
          setError(null);
          if (!username.trim() || !password) return setError('Type your username and your password.');
          setBusy(true);
          const answer = await signIn(username.trim(), password);
          if (!answer.ok) {
            setBusy(false);
            return setError(answer.error);
          }
          if (work && bring) {
            try {
              await client.account.bringAnonymousWork.mutate();
            } catch (problem) {
              setBusy(false);
              return setError(`You are signed in, but your work from this browser could not be moved: ${describeApiError(problem).message}`);
            }
          }
          goTo('/');
        }}
      >
        <h1 id={`${id}-title`}>Sign in</h1>
        {me.data?.account ? (
          <p className="notice" role="status">
            You are signed in as {me.data.account.displayName} ({me.data.account.username}). Signing in here switches to another account.
          </p>
        ) : (
          <p className="auth-card__lead">With your account your work follows you to any computer.</p>
        )}
        <div className="field">
          <label htmlFor={`${id}-username`}>Username</label>
          <input id={`${id}-username`} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" spellCheck={false} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input id={`${id}-password`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" maxLength={500} />
        </div>
        {work && !me.data?.account && (
          <div className="field field--check auth-bring">
            <input id={`${id}-bring`} type="checkbox" checked={bring} onChange={(e) => setBring(e.target.checked)} />
            <label htmlFor={`${id}-bring`}>Bring the work from this browser into my account ({work})</label>
          </div>
        )}
        <button type="submit" className="button button--primary button--large" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p role="alert" className="field__error">
            {error}
          </p>
        )}
        <p className="auth-footer">
          No account yet? <Link href="/sign-up">Make one</Link> with the class code from your teacher. Forgot your password? Your teacher can give you a new one.
        </p>
      </form>
    </div>
  );
}
