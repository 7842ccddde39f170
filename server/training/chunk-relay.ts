/**
 * Training processes hold no database connection (the embedded database could not give them
 * one): they ask their parent for an uploaded dataset a chunk at a time, and this answers.
 */
import type { RunSource } from './ports';
import type { ParentMessage, WorkerMessage } from './protocol';
import type { TrainingProcess } from './training-process';

/**
 * Reads a chunk for a training process, only of the dataset of the job that process holds
 * now: the job's owner was allowed to read it when the run was queued.
 */
export function answerChunkRequest(
  worker: TrainingProcess,
  request: Extract<WorkerMessage, { type: 'chunk-request' }>,
  source: RunSource | undefined,
): void {
  const reply = (message: ParentMessage) => worker.send(message);
  const { requestId, datasetId, startRow } = request;
  const dataset = worker.run?.job.runId === request.runId ? worker.run.job.dataset : undefined;
  if (dataset?.kind !== 'stored' || dataset.datasetId !== datasetId) {
    reply({ type: 'chunk', requestId, error: 'This run is over, or its data belongs to another run. Press Train again.' });
    return;
  }
  if (!source) {
    reply({ type: 'chunk', requestId, error: 'This server cannot read uploaded datasets for training. Ask your teacher to check how it was started.' });
    return;
  }
  source.readChunk(datasetId, startRow).then(
    (chunk) => reply({ type: 'chunk', requestId, chunk }),
    (error: unknown) => reply({ type: 'chunk', requestId, error: error instanceof Error ? error.message : String(error) }),
  );
}
