import { sql } from 'drizzle-orm';
import type { OpenedDatabase } from '../../db/client';
import type { RunEvent } from '../training/protocol';

/**
 * Live progress between machines: a worker on another machine announces each run event with
 * pg_notify, and every web server LISTENs and hands the events to its own subscribers. The
 * durable record (runs, run_metrics) is written separately; a missed notification only
 * delays what a page shows until it reads the database again.
 */
export const RUN_EVENTS_CHANNEL = 'run_events';

/** Batch events come many times a second; the page needs a few. Others always go. */
export const BATCH_EVENT_INTERVAL_MS = 250;

interface Notification {
  runId: string;
  event: RunEvent;
}

/** Returns a function that announces one run event, dropping batch events that come too fast. */
export function createRunEventPublisher(
  database: OpenedDatabase,
  options: { batchIntervalMs?: number; now?: () => number } = {},
): (runId: string, event: RunEvent) => void {
  const interval = options.batchIntervalMs ?? BATCH_EVENT_INTERVAL_MS;
  const now = options.now ?? Date.now;
  const lastBatchAt = new Map<string, number>();
  // One after another, so subscribers hear the events of a run in the order they happened.
  let chain: Promise<unknown> = Promise.resolve();
  return (runId, event) => {
    if (event.type === 'batch') {
      const last = lastBatchAt.get(runId);
      if (last !== undefined && now() - last < interval) return;
      lastBatchAt.set(runId, now());
    } else if (event.type === 'status' && event.status !== 'queued' && event.status !== 'running') {
      lastBatchAt.delete(runId);
    }
    const payload = JSON.stringify({ runId, event } satisfies Notification);
    chain = chain
      .then(() => database.query(sql`select pg_notify(${RUN_EVENTS_CHANNEL}, ${payload})`))
      .catch((error) => console.error(`[queue] could not announce an event of run ${runId}:`, error));
  };
}

/** Calls `onEvent` for every run event announced in the database; resolves to a function that stops listening. */
export async function listenForRunEvents(
  database: OpenedDatabase,
  onEvent: (runId: string, event: RunEvent) => void,
): Promise<() => Promise<void>> {
  const handle = (payload: string) => {
    try {
      const { runId, event } = JSON.parse(payload) as Notification;
      onEvent(runId, event);
    } catch (error) {
      console.error('[queue] a run event could not be read:', error);
    }
  };
  const client = (database.db as unknown as { $client: unknown }).$client;
  if (database.kind === 'pglite') {
    const pglite = client as { listen(channel: string, cb: (payload: string) => void): Promise<() => Promise<void>> };
    return pglite.listen(RUN_EVENTS_CHANNEL, handle);
  }
  const postgresJs = client as { listen(channel: string, cb: (payload: string) => void): Promise<{ unlisten(): Promise<void> }> };
  const subscription = await postgresJs.listen(RUN_EVENTS_CHANNEL, handle);
  return () => subscription.unlisten();
}
