import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosaver, MAX_RETRY_AFTER_MS, type SaveState } from './autosave';

interface Call { doc: string; version: number; resolve: (v: { version: number }) => void; reject: (e: unknown) => void }

function setup(version = 1) {
  const calls: Call[] = [];
  const states: SaveState[] = [];
  const saver = new Autosaver<string>({
    version,
    delayMs: 800,
    retryMs: 5000,
    save: (doc, v) => new Promise((resolve, reject) => calls.push({ doc, version: v, resolve, reject })),
    describeError: (e) => ({
      conflict: (e as { code?: string }).code === 'CONFLICT',
      message: (e as Error).message,
      retryAfterMs: (e as { retryAfterMs?: number }).retryAfterMs ?? null,
    }),
    onState: (s) => states.push(s),
  });
  return { saver, calls, states };
}

describe('Autosaver', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits for a pause in typing, then saves only the newest content', async () => {
    const { saver, calls, states } = setup();
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(500);
    saver.edit('ab');
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(0);
    expect(states.at(-1)?.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.map((c) => c.doc)).toEqual(['ab']);
    expect(states.at(-1)?.status).toBe('saving');
    calls[0].resolve({ version: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.status).toBe('saved');
    expect(saver.currentVersion).toBe(2);
  });

  it('sends the version each save returned, and never two saves at once', async () => {
    const { saver, calls } = setup(7);
    saver.edit('one');
    await vi.advanceTimersByTimeAsync(800);
    saver.edit('two');
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(1);
    calls[0].resolve({ version: 8 });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => [c.doc, c.version])).toEqual([['one', 7], ['two', 8]]);
  });

  it('stops saving after a conflict and keeps the server message', async () => {
    const { saver, calls, states } = setup();
    saver.edit('mine');
    await vi.advanceTimersByTimeAsync(800);
    calls[0].reject(Object.assign(new Error('Someone else saved this notebook. Reload to see it.'), { code: 'CONFLICT' }));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ status: 'conflict', message: 'Someone else saved this notebook. Reload to see it.' });
    saver.edit('more');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(1);
    expect((await saver.flush()).status).toBe('conflict');
  });

  it('retries after other failures, with the newest content', async () => {
    const { saver, calls, states } = setup();
    saver.edit('v1');
    await vi.advanceTimersByTimeAsync(800);
    calls[0].reject(new Error('Network down'));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ status: 'error', message: 'Network down' });
    expect(saver.hasUnsavedChanges()).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls.map((c) => c.doc)).toEqual(['v1', 'v1']);
  });

  it('flush saves at once and resolves when the content is stored', async () => {
    const { saver, calls } = setup();
    saver.edit('now');
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.doc)).toEqual(['now']);
    calls[0].resolve({ version: 2 });
    expect(await flushed).toEqual({ status: 'saved', message: null });
    expect(saver.hasUnsavedChanges()).toBe(false);
  });

  it('flush waits for a running save and then saves edits made meanwhile', async () => {
    const { saver, calls } = setup();
    saver.edit('first');
    await vi.advanceTimersByTimeAsync(800);
    saver.edit('second');
    const flushed = saver.flush();
    calls[0].resolve({ version: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => [c.doc, c.version])).toEqual([['first', 1], ['second', 2]]);
    calls[1].resolve({ version: 3 });
    expect((await flushed).status).toBe('saved');
  });

  it('flush reports a failed save instead of pretending it worked', async () => {
    const { saver, calls } = setup();
    saver.edit('x');
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    calls[0].reject(new Error('Server is restarting'));
    expect(await flushed).toEqual({ status: 'error', message: 'Server is restarting' });
  });

  const tooMany = (seconds: number) =>
    Object.assign(new Error(`Your notebook was saved too many times in a short time. Wait ${seconds} seconds and try again.`), { retryAfterMs: seconds * 1000 });

  it('waits as long as the server asked after a 429, even while the student keeps editing, then saves the newest content', async () => {
    const { saver, calls, states } = setup();
    saver.edit('v1');
    await vi.advanceTimersByTimeAsync(800);
    calls[0].reject(tooMany(30));
    await vi.advanceTimersByTimeAsync(0);
    const told = { status: 'error', message: 'Your notebook was saved too many times in a short time. Wait 30 seconds and try again.', retryInMs: 30_000 };
    expect(states.at(-1)).toEqual(told);
    await vi.advanceTimersByTimeAsync(10_000);
    saver.edit('v2');
    await vi.advanceTimersByTimeAsync(5_000);
    saver.edit('v3');
    // Past the 5 s a network failure waits, and past each edit's pause: still nothing sent.
    await vi.advanceTimersByTimeAsync(14_900);
    expect(calls).toHaveLength(1);
    // The sentence saying how long to wait stays on the page for the whole wait.
    expect(states.at(-1)).toEqual(told);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.doc)).toEqual(['v1', 'v3']);
    calls[1].resolve({ version: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)).toEqual({ status: 'saved', message: null });
  });

  it('does not send a flush during the wait, and reports why', async () => {
    const { saver, calls } = setup();
    saver.edit('v1');
    await vi.advanceTimersByTimeAsync(800);
    calls[0].reject(tooMany(20));
    await vi.advanceTimersByTimeAsync(0);
    expect(await saver.flush()).toMatchObject({ status: 'error', message: expect.stringContaining('Wait 20 seconds'), retryInMs: 20_000 });
    expect(calls).toHaveLength(1);
    expect(saver.hasUnsavedChanges()).toBe(true);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toHaveLength(2);
  });

  it('follows a Retry-After for at most two minutes, so work never sits unsaved for an hour', async () => {
    const { saver, calls, states } = setup();
    saver.edit('v1');
    await vi.advanceTimersByTimeAsync(800);
    calls[0].reject(tooMany(3600));
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.retryInMs).toBe(MAX_RETRY_AFTER_MS);
    await vi.advanceTimersByTimeAsync(MAX_RETRY_AFTER_MS - 1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
  });
});
