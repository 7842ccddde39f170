/**
 * Roughly how much memory training a model takes, so the server can refuse a model that
 * would run it out of memory before a single weight is made, and students see why.
 */
import type { Dim } from '../catalog';
import type { Diagnostic } from '../spec/diagnostic';

/** 2 GiB: what one training job may use on the shared server unless configured otherwise. */
export const DEFAULT_MAX_TRAINING_BYTES = 2 * 1024 ** 3;

const BYTES_PER_NUMBER = 4; // float32
/** Each weight is held as the weight, its gradient and Adam's two running averages. */
const COPIES_PER_WEIGHT = 4;

export interface TrainingMemory {
  /** Weights, gradients and optimizer slots. */
  weightBytes: number;
  /** Every layer's output for one batch, kept for the backward pass. */
  activationBytes: number;
  totalBytes: number;
}

/**
 * params × 4 bytes × (weight + gradient + 2 Adam slots) + activations × batch size × 4 bytes.
 * Sizes only known at run time (null) count as 1, so the estimate is a lower bound then.
 */
export function estimateTrainingMemory(layers: readonly { outputShape: Dim[] | null; params: number }[], batchSize: number): TrainingMemory {
  const params = layers.reduce((sum, l) => sum + l.params, 0);
  const activationsPerExample = layers.reduce(
    (sum, l) => sum + (l.outputShape ? l.outputShape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1) : 0),
    0,
  );
  const weightBytes = params * BYTES_PER_NUMBER * COPIES_PER_WEIGHT;
  const activationBytes = activationsPerExample * batchSize * BYTES_PER_NUMBER;
  return { weightBytes, activationBytes, totalBytes: weightBytes + activationBytes };
}

/** "1.5 GB", "820 KB": decimal units with one decimal, as phones and computers show file sizes. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An error when training would need more memory than the server allows. */
export function checkTrainingMemory(memory: TrainingMemory, limits: { maxTrainingBytes: number; batchSize: number }, blockId: string | null): Diagnostic[] {
  if (memory.totalBytes <= limits.maxTrainingBytes) return [];
  return [
    {
      blockId,
      severity: 'error',
      code: 'too-much-memory',
      message: `Training this model with batches of ${limits.batchSize} needs about ${formatBytes(memory.totalBytes)} of memory, more than the ${formatBytes(limits.maxTrainingBytes)} the server allows.`,
      fix:
        memory.activationBytes > memory.weightBytes
          ? 'Use a smaller batch size, fewer filters, or pool the image smaller earlier.'
          : 'Use fewer units or filters in the biggest layers.',
    },
  ];
}
