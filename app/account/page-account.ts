import { headers } from 'next/headers';
import type { PageAccount } from '../../server/auth/page-account';

export type { PageAccount };

/** server/auth/page-account.ts's PAGE_ACCOUNT_HEADER (pages may borrow the server's types only, not its values). */
const PAGE_ACCOUNT_HEADER = 'x-layerbook-account';
const ROLES: readonly string[] = ['admin', 'teacher', 'student'];

/**
 * Who the server found signed in for this page, so the header can name them in the first
 * paint: the account, null when nobody is signed in, undefined when the server did not say.
 */
export async function pageAccount(): Promise<PageAccount | null | undefined> {
  const value = (await headers()).get(PAGE_ACCOUNT_HEADER);
  if (value === null) return undefined;
  if (value === 'none') return null;
  try {
    const account = JSON.parse(decodeURIComponent(value)) as Partial<PageAccount>;
    if (typeof account.displayName === 'string' && typeof account.username === 'string' && ROLES.includes(account.role as string)) {
      return { displayName: account.displayName, username: account.username, role: account.role! };
    }
  } catch {
    // Not the server's: say nothing, and let the menu ask the API.
  }
  return undefined;
}
