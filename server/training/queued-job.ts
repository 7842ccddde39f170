import { builtInSource, isBuiltInDatasetId } from '../../blocks/format/datasets';
import type { TrainJob } from './protocol';

/** Jobs queued before the update that stopped packing uploads into them (their dataset's kind was 'inline'). */
export const RETIRED_JOB_MESSAGE =
  'This run was queued before Layerbook on the server was updated, and the new version cannot read it. Press Train again.';

/** A queued job in today's shape, or the run id and the words for a job no version since can train. */
export type QueuedJobReading = { job: TrainJob } | { runId: string; refused: string };

/**
 * The reading point for jobs that waited in the shared queue, possibly across an upgrade:
 * brings every earlier shape to today's TrainJob, so nothing past the queue knows older ones.
 * Earlier shapes: no `dataset` at all (the built-in set named by `training.dataset`), an
 * uploaded dataset whose id was `id`, and uploads packed into the job (kind 'inline'), which
 * are refused.
 */
export function readQueuedJob(data: TrainJob): QueuedJobReading {
  const dataset: unknown = (data as { dataset?: unknown }).dataset;
  if (dataset === undefined || dataset === null) {
    const named: unknown = data.training?.dataset;
    if (!isBuiltInDatasetId(named)) return { runId: data.runId, refused: RETIRED_JOB_MESSAGE };
    return { job: { ...data, dataset: builtInSource(named) } };
  }
  const old = dataset as { kind?: unknown; id?: unknown; datasetId?: unknown };
  if (old.kind === 'stored' && old.datasetId === undefined && typeof old.id === 'string') {
    const { id, ...rest } = old;
    return { job: { ...data, dataset: { ...rest, datasetId: id } as TrainJob['dataset'] } };
  }
  if (old.kind === 'stored' || old.kind === 'builtIn') return { job: data };
  return { runId: data.runId, refused: RETIRED_JOB_MESSAGE };
}
