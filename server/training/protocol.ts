import type { BuiltInSource } from '../../blocks/spec/datasets';
import type { ModelSpec, TrainingSpec } from '../../blocks/spec/model-spec';

/**
 * What flows between the web server and a training worker, and from the server to a
 * browser's progress subscription. Kept in one file so the worker, the runner, the API and
 * the page agree on it.
 */
export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface TrainJob {
  runId: string;
  spec: ModelSpec;
  training: TrainingSpec;
  /**
   * The dataset `training.dataset` resolved against the notebook when the run was queued
   * (a data cell reference needs the notebook). Optional so jobs queued before it existed
   * still run: the trainer then reads `training.dataset`, which was a built-in name.
   */
  dataset?: BuiltInSource | InlineDataset;
  /**
   * Set when a worker died after saving a checkpoint: train from `epoch + 1` starting with
   * these weights. Optional, so a job without it trains from the start as it always did.
   */
  resumeFrom?: { epoch: number; weights: SavedWeights };
}

/**
 * An uploaded dataset travels inside the job, because a worker may not be able to open the
 * database (embedded PGlite belongs to the web server alone). Base64 keeps it JSON-safe for
 * any queue; sizes are bounded by the upload limit.
 */
export interface InlineDataset {
  kind: 'inline';
  id: string;
  name: string;
  inputShape: number[];
  classes: string[];
  trainSize: number;
  validationSize: number;
  testSize: number;
  /** Base64 of Float32 little-endian features, train rows then validation then test. */
  features: string;
  /** Base64 of Int32 little-endian class indices, in the same order. */
  labels: string;
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
  | { type: 'done'; testAccuracy: number; testLoss: number; samplesPerSec: number; seconds: number };

/** Messages a worker process sends to its parent. */
export type WorkerMessage =
  | { type: 'ready'; backend: string }
  | { type: 'event'; runId: string; event: RunEvent }
  | { type: 'weights'; runId: string; weights: SavedWeights }
  /** The weights after an epoch that was not the last, so a lost run keeps its progress. */
  | { type: 'checkpoint'; runId: string; epoch: number; weights: SavedWeights }
  | { type: 'failed'; runId: string; message: string }
  | { type: 'cancelled'; runId: string };

/** Messages the parent sends to a worker process. */
export type ParentMessage = { type: 'train'; job: TrainJob } | { type: 'cancel'; runId: string };
