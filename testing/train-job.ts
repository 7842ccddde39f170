import { builtInSource, isBuiltInDatasetId } from '../blocks/format/datasets';
import type { ModelSpec, TrainingSpec } from '../blocks/format/model-spec';
import type { TrainJob } from '../server/training/protocol';

/** A job for a built-in set as startRun would queue it: the set the settings name, resolved into the job's dataset. */
export function builtInJob(runId: string, spec: ModelSpec, training: TrainingSpec, extra: Partial<TrainJob> = {}): TrainJob {
  if (!isBuiltInDatasetId(training.dataset)) throw new Error('builtInJob needs settings that name a built-in dataset.');
  return { runId, spec, training, dataset: builtInSource(training.dataset), ...extra };
}
