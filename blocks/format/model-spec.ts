import { z } from 'zod';
import { datasetRefSchema } from './datasets';

/**
 * The model spec is the one plain, versioned description of a network that every other
 * part reads: blocks produce it, the shape checker traces it, code generators print it,
 * the trainer builds it and the database stores it. Bump SPEC_VERSION whenever a stored
 * spec would be read differently, and add a migration in ./migrations.ts.
 */
export const SPEC_VERSION = 1;

/** One layer in the graph. `id` is the id of the block it came from, so diagnostics can point at it. */
export const layerNodeSchema = z.object({
  id: z.string().min(1).max(200),
  /** Catalogue key, e.g. "dense", "conv2d", "input". */
  type: z.string().min(1).max(100),
  /** Argument values keyed by the catalogue's camelCase argument names (TF.js config names). */
  args: z.record(z.string(), z.unknown()),
  /** Ids of the nodes whose outputs feed this one, in order. Empty for input nodes. */
  inputs: z.array(z.string()).max(64),
});
export type LayerNode = z.infer<typeof layerNodeSchema>;

export const modelSpecSchema = z.object({
  specVersion: z.literal(SPEC_VERSION),
  /** "sequential" when the graph is one chain from one input; the code generators print tf.sequential then. */
  kind: z.enum(['sequential', 'functional']),
  name: z.string().max(200),
  layers: z.array(layerNodeSchema).max(2000),
  /** Ids of input nodes, in model input order. */
  inputs: z.array(z.string()).max(64),
  /** Ids of the nodes whose outputs are the model outputs, in order. */
  outputs: z.array(z.string()).max(64),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

/** Hyperparameters of a run, kept apart from the model so a training cell can own them later. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];
export const LOSSES = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'] as const;
export type Loss = (typeof LOSSES)[number];
/** What a run reports each epoch besides its loss; accuracy is always reported (the charts need it). */
export const METRICS = ['accuracy', 'precision', 'recall', 'meanAbsoluteError', 'meanSquaredError'] as const;
export type Metric = (typeof METRICS)[number];
export const MAX_VALIDATION_SPLIT = 0.5;

/**
 * The losses that fit labels with `classCount` classes. Every dataset's labels are classes
 * (sent one-hot, or as an index for the sparse loss); binary crossentropy only makes sense
 * for a yes/no choice, so it is offered for two classes alone.
 */
export function lossesForClassCount(classCount: number): Loss[] {
  return LOSSES.filter((loss) => loss !== 'binaryCrossentropy' || classCount === 2);
}

export const trainingSpecSchema = z.object({
  /** "mnist" (every older notebook), another built-in id, or `{ cell: id }` for a data cell above the model. */
  dataset: datasetRefSchema,
  optimizer: z.enum(OPTIMIZERS),
  learningRate: z.number().positive().max(10),
  /** How much of the last step SGD with momentum keeps (Keras's `momentum`); absent means DEFAULT_MOMENTUM. Only read for 'momentum'. */
  momentum: z.number().min(0).max(0.99).optional(),
  batchSize: z.number().int().min(1).max(4096),
  epochs: z.number().int().min(1).max(100),
  loss: z.enum(LOSSES),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  /** Optional so notebooks and runs stored before early stopping existed still parse; absent means off. */
  earlyStopping: z.boolean().optional(),
  /** Epochs without a better checking accuracy before an early stop; absent means DEFAULT_PATIENCE. */
  patience: z.number().int().min(1).max(100).optional(),
  /** Metrics beyond accuracy; absent (older notebooks) means accuracy alone. */
  metrics: z.array(z.enum(METRICS)).max(METRICS.length).optional(),
  /**
   * The share of the training rows held back to check the model after each epoch, as Keras's
   * validationSplit; absent or 0 means the dataset's own validation rows (or its test rows) are used.
   */
  validationSplit: z.number().min(0).max(MAX_VALIDATION_SPLIT).optional(),
});
export type TrainingSpec = z.infer<typeof trainingSpecSchema>;

export const DEFAULT_PATIENCE = 2;
/** What every Keras tutorial uses for SGD with momentum, and what runs stored before the setting existed trained with. */
export const DEFAULT_MOMENTUM = 0.9;

export const DEFAULT_TRAINING: TrainingSpec = {
  dataset: 'mnist',
  optimizer: 'adam',
  learningRate: 0.003,
  batchSize: 32,
  epochs: 4,
  loss: 'categoricalCrossentropy',
  seed: 42,
};
