'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { goTo, signOut } from '../account/auth-client';
import type { PageAccount } from '../account/page-account';
import { useTRPC } from '../trpc/react';

const ROLE_NAMES = { admin: 'admin', teacher: 'teacher', student: 'student' } as const;

/**
 * Who is signed in, with Sign out; or Sign in for everyone else (anonymous work stays in this
 * browser). `initialAccount` is who the server found for this page (null: nobody), shown in the
 * first paint; the API's answer takes over once it comes (say, a session that ended meanwhile).
 */
export function AccountMenu({ initialAccount }: { initialAccount?: PageAccount | null }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const [leaving, setLeaving] = useState(false);
  const account = me.data ? me.data.account : initialAccount;

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
