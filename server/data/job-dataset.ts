import type { BuiltInSource } from '../../blocks/format/datasets';

/**
 * The dataset a training job trains on, as the server resolved it when the run was queued:
 * a built-in set with its options, or an uploaded dataset by reference. The one shape that
 * travels from startRun through the queue and the runner to the trainer (and `layerbook
 * train`); the notebook's own names for a choice (DatasetRef, a data cell's DataSource) stop
 * at startRun. Jobs queued in older shapes are read by server/training/queued-job.ts.
 */
export type JobDataset = BuiltInSource | StoredDatasetRef;

/**
 * An uploaded dataset by reference: the numbers stay in the database (`dataset_chunks`) and
 * the worker fetches them a chunk at a time while it trains (./stored.ts), so a dataset
 * bigger than a worker's memory still trains and nothing large rides in the queue.
 */
export interface StoredDatasetRef {
  kind: 'stored';
  /** The dataset's id (datasets.id), called datasetId wherever it travels: the data cell, chunk requests. */
  datasetId: string;
  name: string;
  inputShape: number[];
  classes: string[];
  sizes: { train: number; validation: number; test: number };
  /** 'float32', or 'uint8' pictures read as value / 255. */
  encoding: 'float32' | 'uint8';
  /** Rows of each stored chunk in order (chunk k starts where chunk k-1 ends): the reader fetches by this layout. */
  chunkRows: number[];
}

/** Consecutive examples of a stored dataset, as stored: `rowCount` rows from `startRow` on. */
export interface DatasetChunk {
  startRow: number;
  rowCount: number;
  /** rowCount × input size values in the dataset's encoding, little-endian. */
  features: Uint8Array;
  /** rowCount Int32 little-endian class indices. */
  labels: Uint8Array;
}
