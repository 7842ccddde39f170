import { and, eq, inArray } from 'drizzle-orm';
import type { OpenedDatabase } from '../../db/client';
import { runs } from '../../db/schema';
import type { TrainingRunnerOptions } from '../training/runner';
import { createRunEventPublisher } from './run-events-channel';

/** How often a runner on a shared queue looks for jobs and cancels that arrived elsewhere. */
export const SHARED_QUEUE_POLL_MS = 1_000;

/**
 * What a TrainingRunner needs when other machines use the same queue: poll for their jobs,
 * announce events for their web servers, and notice cancels made through them.
 */
export function sharedQueueRunnerOptions(
  database: OpenedDatabase,
): Pick<TrainingRunnerOptions, 'pollMs' | 'onEvent' | 'findCancelled'> {
  return {
    pollMs: SHARED_QUEUE_POLL_MS,
    onEvent: createRunEventPublisher(database),
    findCancelled: async (runIds) => {
      const rows = await database.db
        .select({ id: runs.id })
        .from(runs)
        .where(and(inArray(runs.id, runIds), eq(runs.status, 'cancelled')));
      return rows.map((r) => r.id);
    },
  };
}
