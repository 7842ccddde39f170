import type { ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import type { ModelSpec, TrainingSpec } from '../../blocks/format/model-spec';
import type { RunStatus } from '../../db/schema';
import type { DatasetChunk, JobDataset } from '../data/job-dataset';

/**
 * What flows between the web server and a training worker, and from the server to a
 * browser's progress subscription. Kept in one file so the worker, the runner, the API and
 * the page agree on it.
 */
export type { RunStatus };

export interface TrainJob {
  runId: string;
  spec: ModelSpec;
  training: TrainingSpec;
  /**
   * What to train on: the student's choice (`training.dataset`, kept with the run for the
   * record) resolved by the server when the run was queued. The trainer reads only this.
   */
  dataset: JobDataset;
  /**
   * Set when a worker died after saving a checkpoint: train from `epoch + 1` starting with
   * these weights (and the optimizer's state, when it was saved). Optional, so a job without
   * it trains from the start as it always did.
   */
  resumeFrom?: Checkpoint;
  /**
   * Set on a job put back in the queue because the machine training it stopped answering:
   * whoever takes it loads the run's checkpoint from the database (too big to ride in the
   * queue) into `resumeFrom`, and the run may not be resumed again.
   */
  resumeFromStoredCheckpoint?: true;
}

/** What a run needs to carry on after an epoch, on any machine. */
export interface Checkpoint {
  epoch: number;
  weights: SavedWeights;
  /** The optimizer's own variables (Adam's moments…); absent for an optimizer TF.js cannot save (Adamax). */
  optimizer?: SavedOptimizer;
}

export interface EpochMetrics {
  epoch: number; // 1-based
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
  /** Metrics the training cell asked for beyond loss and accuracy, by TF.js name ("precision", "val_precision"). */
  extra?: Record<string, number>;
}

/** Weights in TF.js's own save format, so a browser can load them with tf.loadLayersModel. */
export interface SavedWeights {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: Uint8Array;
}

/** An optimizer's variables (tf.Optimizer.getWeights) encoded with tf.io.encodeWeights, in their order. */
export interface SavedOptimizer {
  weightSpecs: unknown[];
  weightData: Uint8Array;
}

export type RunEvent =
  | {
      type: 'status';
      status: RunStatus;
      backend?: string;
      queuePosition?: number;
      message?: string;
      /** While queued: about how many seconds the run will train once it starts, from earlier runs of similar size. */
      etaSeconds?: number;
    }
  | {
      type: 'batch';
      epoch: number; // 1-based
      epochs: number;
      batch: number; // 1-based within the epoch
      batchesPerEpoch: number;
      loss: number;
      accuracy: number;
      samplesPerSec: number;
      progress: number; // 0..1 over the whole run
      etaSeconds: number | null;
    }
  | ({ type: 'epoch' } & EpochMetrics)
  /**
   * Something the student should know about how the run went ("stopped early after epoch 5",
   * "carried on from epoch 3 on another computer"). Stored with the run (runs.notes), so a
   * reloaded page shows it too.
   */
  | { type: 'note'; text: string }
  | { type: 'done'; testAccuracy: number; testLoss: number; samplesPerSec: number; seconds: number };

/** Messages a worker process sends to its parent. */
export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'event'; runId: string; event: RunEvent }
  /**
   * What a finished run leaves besides the figures of its `done` event, sent just before it:
   * too big for an event, which every page following the run hears.
   */
  | { type: 'result'; runId: string; weights: SavedWeights; confusionMatrix: ConfusionMatrix | null }
  /** The weights after an epoch that was not the last, so a lost run keeps its progress. */
  | ({ type: 'checkpoint'; runId: string } & Checkpoint)
  /** Asks for rows of the dataset of the run it trains; answered by a `chunk` message with the same requestId. */
  | { type: 'chunk-request'; runId: string; requestId: number; datasetId: string; startRow: number }
  /** cause decides whether the process may take another job (server/training/failures.ts). */
  | { type: 'failed'; runId: string; message: string; cause: FailureCause }
  | { type: 'cancelled'; runId: string };

/**
 * input: the student's model, data or settings (the message is for them; the process is fine);
 * out-of-memory: the run needed more memory than a training process may use;
 * broken: anything else that went wrong inside the process (a WebAssembly abort, an exception).
 */
export type FailureCause = 'input' | 'out-of-memory' | 'broken';

/** Messages the parent sends to a worker process. */
export type ParentMessage =
  | { type: 'train'; job: TrainJob }
  | { type: 'cancel'; runId: string }
  | { type: 'chunk'; requestId: number; chunk: DatasetChunk }
  /** The chunk could not be read; `message` is for the student (the dataset was deleted meanwhile…). */
  | { type: 'chunk'; requestId: number; error: string };
