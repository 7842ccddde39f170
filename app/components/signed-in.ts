import { z } from 'zod';

/** Set by the server on every page request (server/page-account.ts): who is signed in, as the session says. */
export const PAGE_ACCOUNT_HEADER = 'x-layerbook-page-account';

const pageAccountSchema = z
  .object({
    displayName: z.string(),
    username: z.string(),
    role: z.enum(['admin', 'teacher', 'student']),
  })
  .nullable();

/** Who is signed in when the page was rendered: an account, `null` for nobody, `undefined` when the page cannot tell. */
export type PageAccount = z.infer<typeof pageAccountSchema> | undefined;

/** Reads the header's value; anything unreadable means "cannot tell", and the menu asks the API as before. */
export function readPageAccount(value: string | null): PageAccount {
  if (value === null) return undefined;
  try {
    const parsed = pageAccountSchema.safeParse(JSON.parse(decodeURIComponent(value)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
