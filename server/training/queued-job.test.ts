import { describe, expect, it } from 'vitest';
import { builtInSource } from '../../blocks/format/datasets';
import { DEFAULT_TRAINING, type ModelSpec } from '../../blocks/format/model-spec';
import type { StoredDatasetRef } from '../data/job-dataset';
import type { TrainJob } from './protocol';
import { RETIRED_JOB_MESSAGE, readQueuedJob } from './queued-job';

/** The reader never looks at the spec. */
const spec = { specVersion: 1, kind: 'sequential', name: 'tiny', layers: [], inputs: [], outputs: [] } as unknown as ModelSpec;
const upload: StoredDatasetRef = {
  kind: 'stored',
  datasetId: '6a1f3c1e-2a7b-4c84-9d6e-000000000001',
  name: 'My table',
  inputShape: [2],
  classes: ['no', 'yes'],
  sizes: { train: 40, validation: 10, test: 10 },
  encoding: 'float32',
  chunkRows: [60],
};
/** What older versions put in the queue, typed loosely as the queue hands it back. */
const queued = (job: object) => job as TrainJob;

describe('reading a queued job', () => {
  it('passes a job of today unchanged', () => {
    const job: TrainJob = { runId: 'r', spec, training: DEFAULT_TRAINING, dataset: upload };
    expect(readQueuedJob(job)).toEqual({ job });
  });

  it('gives a job from before jobs carried their dataset the built-in set its settings name, with default options', () => {
    const reading = readQueuedJob(queued({ runId: 'r', spec, training: { ...DEFAULT_TRAINING, dataset: 'circle' } }));
    expect(reading).toEqual({ job: { runId: 'r', spec, training: { ...DEFAULT_TRAINING, dataset: 'circle' }, dataset: builtInSource('circle') } });
  });

  it('renames an uploaded dataset’s `id` to `datasetId`', () => {
    const { datasetId, ...rest } = upload;
    const reading = readQueuedJob(queued({ runId: 'r', spec, training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' } }, dataset: { ...rest, id: datasetId } }));
    expect(reading).toEqual({ job: { runId: 'r', spec, training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' } }, dataset: upload } });
  });

  it('refuses a job with the numbers packed inside, and one naming no dataset it can find, saying to press Train again', () => {
    const inline = queued({ runId: 'old', spec, training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' } }, dataset: { kind: 'inline' } });
    expect(readQueuedJob(inline)).toEqual({ runId: 'old', refused: RETIRED_JOB_MESSAGE });
    const cellWithoutDataset = queued({ runId: 'odd', spec, training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' } } });
    expect(readQueuedJob(cellWithoutDataset)).toEqual({ runId: 'odd', refused: RETIRED_JOB_MESSAGE });
  });
});
