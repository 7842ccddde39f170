'use client';

import type { SaveState } from '../lib/autosave';

const TEXT: Record<SaveState['status'], string> = {
  saved: 'All changes saved',
  pending: 'Unsaved changes',
  saving: 'Saving…',
  error: 'Not saved yet',
  conflict: 'Not saved',
};

export function SaveIndicator({ state }: { state: SaveState }) {
  return (
    <p className={`save-state save-state--${state.status}`} role="status" aria-live="polite">
      <span className="save-state__dot" aria-hidden="true" />
      {TEXT[state.status]}
      {state.status === 'error' && state.message ? (
        <span className="save-state__detail">
          : {state.message} {state.retryInMs === undefined ? 'Trying again soon.' : 'It saves again by itself then.'}
        </span>
      ) : null}
    </p>
  );
}
