import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { readRunTraining } from './run-snapshot';
import type { TrainingSpec } from '../../blocks/format/model-spec';
import type { Database } from '../../db/client';
import { runs } from '../../db/schema';

/** A finished run, as far as timing goes. */
export interface TimedRun {
  totalParams: number;
  epochs: number;
  seconds: number;
}

/** Runs count as "of similar size" within this factor of parameters either way. */
const SIMILAR_PARAMS_FACTOR = 2;
/** How many recent successful runs of the same dataset are looked at. */
const HISTORY_SIZE = 50;

/**
 * How long a run will train, in seconds, from earlier runs of similar size: the median time
 * per epoch of recent runs whose parameter count is within a factor of two, times this run's
 * epochs. Null without such runs: a guess from unlike models would mislead more than help.
 */
export function estimateTrainingSeconds(history: readonly TimedRun[], run: { totalParams: number; epochs: number }): number | null {
  const perEpoch = history
    .filter((h) => h.epochs > 0 && h.seconds > 0)
    .filter((h) => {
      const ratio = Math.max(h.totalParams, 1) / Math.max(run.totalParams, 1);
      return ratio <= SIMILAR_PARAMS_FACTOR && ratio >= 1 / SIMILAR_PARAMS_FACTOR;
    })
    .map((h) => h.seconds / h.epochs)
    .sort((a, b) => a - b);
  if (perEpoch.length === 0) return null;
  const middle = Math.floor(perEpoch.length / 2);
  const median = perEpoch.length % 2 === 1 ? perEpoch[middle]! : (perEpoch[middle - 1]! + perEpoch[middle]!) / 2;
  return Math.round(median * run.epochs);
}

/** The estimate for a run about to be queued, from the recent successful runs on the same dataset. */
export async function estimateRunSeconds(db: Database, run: { totalParams: number; training: TrainingSpec }): Promise<number | null> {
  const rows = await db
    .select({ totalParams: runs.totalParams, training: runs.training, startedAt: runs.startedAt, finishedAt: runs.finishedAt })
    .from(runs)
    .where(and(eq(runs.status, 'succeeded'), isNotNull(runs.startedAt), isNotNull(runs.finishedAt)))
    .orderBy(desc(runs.finishedAt))
    .limit(HISTORY_SIZE * 4);
  const history: TimedRun[] = rows
    .map((r) => ({ ...r, training: readRunTraining(r.training) }))
    .filter((r) => r.training !== null && JSON.stringify(r.training.dataset) === JSON.stringify(run.training.dataset))
    .slice(0, HISTORY_SIZE)
    .map((r) => ({
      totalParams: r.totalParams,
      epochs: r.training!.epochs,
      seconds: (r.finishedAt!.getTime() - r.startedAt!.getTime()) / 1000,
    }));
  return estimateTrainingSeconds(history, { totalParams: run.totalParams, epochs: run.training.epochs });
}
