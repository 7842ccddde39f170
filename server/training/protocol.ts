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
}

export interface EpochMetrics {
  epoch: number; // 1-based
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  seconds: number;
}

/** Weights in TF.js's own save format, so a browser can load them with tf.loadLayersModel. */
export interface SavedWeights {
  modelTopology: unknown;
  weightSpecs: unknown[];
  weightData: Uint8Array;
}

export type RunEvent =
  | { type: 'status'; status: RunStatus; backend?: string; queuePosition?: number; message?: string }
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
  | { type: 'failed'; runId: string; message: string }
  | { type: 'cancelled'; runId: string };

/** Messages the parent sends to a worker process. */
export type ParentMessage = { type: 'train'; job: TrainJob } | { type: 'cancel'; runId: string };
