/**
 * What the training runner needs from the rest of the server, as interfaces it owns: where
 * outcomes are recorded, where stored data and checkpoints are read, and where its processes
 * say they are alive. services/run-store and queue/workers implement them; this folder imports
 * neither, so no import runs back up from training to them.
 */
import { hostname } from 'node:os';
import type { DatasetChunk } from '../data/job-dataset';
import type { ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import type { Checkpoint, EpochMetrics, SavedOptimizer, SavedWeights } from './protocol';

/** Where a run's outcome is recorded (the database); implemented outside the trainer. */
export interface RunSink {
  /** workerId: the training process's id in the workers table, when there is one. */
  started(runId: string, backend: string, workerId?: string): Promise<void>;
  epoch(runId: string, metrics: EpochMetrics): Promise<void>;
  /** The weights (and optimizer state) after an epoch; only the latest one is kept. */
  checkpoint?(runId: string, epoch: number, weights: SavedWeights, optimizer?: SavedOptimizer): Promise<void>;
  /** Keeps a note about how the run went (early stop, resumed elsewhere) with the run. */
  note?(runId: string, text: string): Promise<void>;
  finished(
    runId: string,
    /** confusionMatrix: absent or null when the run has none (no classes, or too many: server/training/confusion-matrix.ts). */
    result: { testAccuracy: number; testLoss: number; samplesPerSec: number; weights: SavedWeights; confusionMatrix?: ConfusionMatrix | null },
  ): Promise<void>;
  failed(runId: string, message: string): Promise<void>;
  cancelled(runId: string): Promise<void>;
}

/** What training processes ask their parent for, read from the parent's database. */
export interface RunSource {
  /** A chunk of a stored dataset; rejects with a message for the student when it cannot. */
  readChunk(datasetId: string, startRow: number): Promise<DatasetChunk>;
  /** The latest checkpoint of a run, for a job put back in the queue after its machine was lost. */
  checkpoint(runId: string): Promise<Checkpoint | null>;
}

export type WorkerKind = 'embedded' | 'external';

/** The workers table, used by whatever owns training processes (a web server, `layerbook worker`). */
export interface WorkerRegistry {
  register(worker: { id: string; pid: number; backend: string }): Promise<void>;
  /** Says these workers are alive, and which run each is training. */
  beat(beats: ReadonlyArray<{ id: string; runId: string | null }>): Promise<void>;
  remove(id: string): Promise<void>;
}

/** A worker id that tells an operator where to look: the machine, the process and the kind. */
export function workerId(kind: WorkerKind, pid: number): string {
  return `${kind}:${hostname()}:${pid}`;
}
