/**
 * Roughly how much memory training a model takes, so the server can refuse a model that
 * would run it out of memory before a single weight is made, and students see why.
 */
import type { Dim } from '../catalog';
import type { Diagnostic } from '../format/diagnostic';

/** 2 GiB: what one training job may use on the shared server unless configured otherwise. */
export const DEFAULT_MAX_TRAINING_BYTES = 2 * 1024 ** 3;

const BYTES_PER_NUMBER = 4; // float32

/*
 * The factors below are fitted to peaks measured on the wasm backend by bench/memory.ts
 * (`npm run bench -- memory`; the figures are in memory.test.ts), where the estimate lands
 * within 1.5× of the measured peak for MLPs and CNNs from batch 64 to 1024.
 */
/** Each weight is held as the weight, its gradient, Adam's two running averages and two temporaries of the update. */
const COPIES_PER_WEIGHT = 6;
/** A layer's output is kept for the backward pass, and its gradient is as big. */
const COPIES_PER_OUTPUT = 2;
/** A layer with an activation also keeps the output before the activation, and that one's gradient, and a temporary. */
const EXTRA_COPIES_PER_ACTIVATED_OUTPUT = 3;
/** What any training step takes whatever the model: the WebAssembly heap grows in steps, kernels keep scratch space. */
const FIXED_BYTES = 8_000_000;

export interface TrainingMemory {
  /** Weights, gradients and optimizer slots. */
  weightBytes: number;
  /**
   * Every layer's output for one batch, kept for the backward pass, with its gradient; the
   * patches a convolution unfolds its input into (kernel height × width × input channels per
   * output position); and the fixed part of a step.
   */
  activationBytes: number;
  totalBytes: number;
}

/** What the estimate reads of a layer: its shape trace, and its activation from the model spec when known. */
export interface LayerForMemory {
  type?: string;
  outputShape: Dim[] | null;
  params: number;
  /** 'relu', 'softmax'…; absent or 'linear' for none. */
  activation?: string | null;
}

/**
 * Weights × 4 bytes × 6 copies + (outputs × 2 + activated outputs × 3 + convolution patches)
 * × batch size × 4 bytes + 8 MB. Sizes only known at run time (null) count as 1, so the
 * estimate is a lower bound then.
 */
export function estimateTrainingMemory(layers: readonly LayerForMemory[], batchSize: number): TrainingMemory {
  const params = layers.reduce((sum, l) => sum + l.params, 0);
  let numbersPerExample = 0;
  for (const layer of layers) {
    if (!layer.outputShape) continue;
    const dims = layer.outputShape.slice(1).map((d) => d ?? 1);
    const outputs = dims.reduce((n, d) => n * d, 1);
    const activated = layer.activation && layer.activation !== 'linear' ? EXTRA_COPIES_PER_ACTIVATED_OUTPUT : 0;
    numbersPerExample += outputs * (COPIES_PER_OUTPUT + activated) + convolutionPatches(layer, dims, outputs);
  }
  const weightBytes = params * BYTES_PER_NUMBER * COPIES_PER_WEIGHT;
  const activationBytes = numbersPerExample * batchSize * BYTES_PER_NUMBER + FIXED_BYTES;
  return { weightBytes, activationBytes, totalBytes: weightBytes + activationBytes };
}

/**
 * A convolution multiplies unfolded patches of its input: one patch of kernel × input
 * channels numbers per output position. Its weights are that many per filter (plus a bias),
 * so the patch size is read from the parameter count without knowing the kernel.
 */
function convolutionPatches(layer: LayerForMemory, dims: number[], outputs: number): number {
  if (!layer.type || !/conv/i.test(layer.type) || layer.params === 0 || dims.length < 2) return 0;
  const filters = dims[dims.length - 1]!;
  return (outputs / filters) * Math.floor(layer.params / filters);
}

/** The layers of a shape trace with each one's activation read from the model spec. */
export function layersForMemory(
  layers: readonly { id: string; type: string; outputShape: Dim[] | null; params: number }[],
  spec: { layers: readonly { id: string; args?: Record<string, unknown> }[] },
): LayerForMemory[] {
  const activations = new Map(spec.layers.map((l) => [l.id, typeof l.args?.activation === 'string' ? l.args.activation : null]));
  return layers.map((l) => ({ type: l.type, outputShape: l.outputShape, params: l.params, activation: activations.get(l.id) ?? null }));
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
