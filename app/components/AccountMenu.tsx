'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { goTo, signOut } from '../account/auth-client';
import { useTRPC } from '../trpc/react';
import type { PageAccount } from './signed-in';

const ROLE_NAMES = { admin: 'admin', teacher: 'teacher', student: 'student' } as const;

/**
 * Who is signed in, with Sign out; or Sign in for everyone else (anonymous work stays in this
 * browser). `initial` is who the server saw when it rendered the page, shown until the API's
 * answer (which then wins: a sign-out in another tab, a changed name).
 */
export function AccountMenu({ initial }: { initial: PageAccount }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const [leaving, setLeaving] = useState(false);
  const account = me.isPending ? initial : (me.data?.account ?? null);

  if (account === undefined) return <span className="account-menu account-menu--loading" aria-hidden="true" />;
  if (!account) {
    return (
      <div className="account-menu">
        <Link href="/sign-in" className="site-header__link site-header__link--strong">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <div className="account-menu">
      {account.role === 'admin' && (
        <Link href="/admin" className="site-header__link account-menu__admin">
          Admin
        </Link>
      )}
      <Link href="/account" className="account-menu__who" aria-label={`Signed in as ${account.displayName} (${account.username}, ${ROLE_NAMES[account.role]}). Your account`}>
        <span className="account-menu__avatar" aria-hidden="true">
          {account.displayName.trim().charAt(0).toUpperCase() || '?'}
        </span>
        <span className="account-menu__name">{account.displayName}</span>
      </Link>
      <button
        type="button"
        className="site-header__link account-menu__out"
        disabled={leaving}
        onClick={async () => {
          setLeaving(true);
          await signOut();
          goTo('/');
        }}
      >
        {leaving ? 'Signing out…' : 'Sign out'}
      </button>
    </div>
  );
}
