/**
 * The few better-auth endpoints the pages call directly (server/auth/auth-route.ts serves only
 * these); everything with Layerbook's own rules goes through tRPC's `account` router.
 */
export interface AuthAnswer {
  ok: boolean;
  /** A sentence to show when not ok. */
  error: string | null;
}

async function post(path: string, body: unknown): Promise<AuthAnswer> {
  try {
    const response = await fetch(`/api/auth${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    if (response.ok) return { ok: true, error: null };
    const json = (await response.json().catch(() => ({}))) as { error?: string };
    return { ok: false, error: json.error ?? 'That did not work. Try again in a moment.' };
  } catch {
    return { ok: false, error: 'Could not reach the server. Check your connection and try again.' };
  }
}

export const signIn = (username: string, password: string) => post('/sign-in/username', { username, password });
export const signOut = () => post('/sign-out', {});
/** Ends every session of this account, on every device, this one included. */
export const signOutEverywhere = () => post('/revoke-sessions', {});

/** Moves to a page with a full load, so every list and the header ask the server again as the new user. */
export function goTo(path: string): void {
  window.location.assign(path);
}

export interface WorkCounts {
  notebooks: number;
  runs: number;
  datasets: number;
  classes: number;
}

/** "2 notebooks, 1 training run and 1 class"; empty when there is nothing. */
export function describeWork(work: WorkCounts | null | undefined): string {
  if (!work) return '';
  const parts = [
    [work.notebooks, 'notebook', 'notebooks'],
    [work.runs, 'training run', 'training runs'],
    [work.datasets, 'dataset', 'datasets'],
    [work.classes, 'class', 'classes'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
