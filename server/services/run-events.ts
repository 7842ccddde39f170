/**
 * Run events: a run's progress for one subscriber, from the run store and then the runner's
 * live stream.
 */
import type { Database } from '../../db/client';
import type { RunEvent } from '../training/protocol';
import { estimateRunSeconds } from './eta';
import { getRun, isTerminal, type RunSummary } from './run-store';
import type { RunQueue } from './runs';

/**
 * A run's progress for one subscriber: what is stored first (so someone who opens the page
 * late sees the epochs so far), then the runner's live events until the run ends.
 */
export async function* runEvents(
  db: Database,
  queue: RunQueue,
  userId: string,
  runId: string,
  signal?: AbortSignal,
  options: { recheckMs?: number } = {},
): AsyncGenerator<RunEvent, void, unknown> {
  await getRun(db, userId, runId);

  // Subscribe before reading the stored state, so no event falls between the two.
  const pending: RunEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = queue.subscribe(runId, (event) => {
    pending.push(event);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    const stored = await getRun(db, userId, runId);
    const etaSeconds = stored.status === 'queued' ? await estimateRunSeconds(db, stored) : null;
    yield { ...storedStatusEvent(stored), ...(etaSeconds === null ? {} : { etaSeconds }) };
    for (const text of stored.notes) yield { type: 'note', text };
    for (const epoch of stored.epochs) yield { type: 'epoch', ...epoch };
    if (isTerminal(stored.status)) {
      const done = storedDoneEvent(stored);
      if (done) yield done;
      return;
    }
    let lastEpoch = stored.epochs.at(-1)?.epoch ?? 0;

    while (!signal?.aborted) {
      const event = pending.shift();
      if (event) {
        if (event.type === 'epoch') {
          if (event.epoch <= lastEpoch) continue;
          lastEpoch = event.epoch;
        }
        yield event;
        if (event.type === 'status' && isTerminal(event.status)) return;
        continue;
      }
      const woken = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), options.recheckMs ?? 5_000);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
      wake = null;
      if (woken) continue;
      // Quiet for a while: the run may have ended without a live event reaching us (the
      // runner forgot it, or it ended between our subscribe and the stored read).
      const latest = await getRun(db, userId, runId);
      if (isTerminal(latest.status)) {
        for (const text of latest.notes.filter((n) => !stored.notes.includes(n))) yield { type: 'note', text };
        for (const epoch of latest.epochs.filter((e) => e.epoch > lastEpoch)) yield { type: 'epoch', ...epoch };
        const done = storedDoneEvent(latest);
        if (done) yield done;
        yield storedStatusEvent(latest);
        return;
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

function storedStatusEvent(run: RunSummary): RunEvent {
  return {
    type: 'status',
    status: run.status,
    ...(run.backend ? { backend: run.backend } : {}),
    ...(run.error ? { message: run.error } : {}),
  };
}

function storedDoneEvent(run: RunSummary): RunEvent | null {
  if (run.status !== 'succeeded' || run.testAccuracy === null || run.testLoss === null) return null;
  const seconds =
    run.startedAt && run.finishedAt ? (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000 : 0;
  return { type: 'done', testAccuracy: run.testAccuracy, testLoss: run.testLoss, samplesPerSec: run.samplesPerSec ?? 0, seconds };
}
