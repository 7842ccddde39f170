/**
 * The training settings as a catalogue, beside the layer catalogue: one home for what each
 * setting is called on its block, where it starts, its limits and its one-line doc, and for
 * the optimizers, losses and metrics with their TF.js, Keras and PyTorch names. The training
 * blocks, the workspace reader, the code printers and the trainer all read this file; the
 * limits themselves come from the persisted schema (trainingSpecSchema), so the block, the
 * reader and the server can never disagree about them.
 */
import {
  DEFAULT_MOMENTUM,
  DEFAULT_PATIENCE,
  DEFAULT_TRAINING,
  LOSSES,
  OPTIMIZERS,
  trainingSpecSchema,
  type Loss,
  type Metric,
  type Optimizer,
} from '../format/model-spec';

/** Colours of the training blocks (the train block and its three toolbox groups). */
export const TRAINING_COLOURS = {
  train: '#444c5c',
  optimizer: '#c2410c',
  loss: '#0f766e',
  settings: '#4338ca',
} as const;

export type NumberSettingKey = 'learningRate' | 'momentum' | 'epochs' | 'batchSize' | 'validationSplit' | 'patience' | 'seed';

export interface NumberSetting {
  key: NumberSettingKey;
  /** As written on the block, before its box: "batch size". */
  label: string;
  /** How a message starts about it: "The batch size must be…". */
  noun: string;
  /** What a new block starts with. */
  start: number;
  min: number;
  max: number;
  /** The learning rate must be more than 0, not 0 itself. */
  minExclusive: boolean;
  integer: boolean;
  doc: string;
}

type SchemaNumber = { minValue: number | null; maxValue: number | null; isInt: boolean; safeParse(v: unknown): { success: boolean } };

/** The limits of a setting, read from the schema the server checks every stored setting against. */
function limits(key: NumberSettingKey): Pick<NumberSetting, 'min' | 'max' | 'minExclusive' | 'integer'> {
  const declared = trainingSpecSchema.shape[key] as unknown as SchemaNumber | { unwrap(): SchemaNumber };
  // Settings older notebooks lack are optional; their limits sit on the inner schema.
  const schema = 'unwrap' in declared ? declared.unwrap() : declared;
  const min = schema.minValue ?? 0;
  return { min, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER, minExclusive: !schema.safeParse(min).success, integer: schema.isInt };
}

const setting = (key: NumberSettingKey, label: string, noun: string, start: number, doc: string): NumberSetting => ({ key, label, noun, start, doc, ...limits(key) });

export const NUMBER_SETTINGS: Readonly<Record<NumberSettingKey, NumberSetting>> = {
  learningRate: setting(
    'learningRate',
    'learning rate',
    'The learning rate',
    DEFAULT_TRAINING.learningRate,
    'How big a step the network takes when it learns from a mistake. Too big and it jumps around; too small and it learns slowly.',
  ),
  momentum: setting('momentum', 'momentum', 'Momentum', DEFAULT_MOMENTUM, 'How much of its last step the optimizer keeps going with, from 0 (none) to 0.99. 0.9 is the usual choice.'),
  epochs: setting('epochs', 'epochs', 'The number of epochs', DEFAULT_TRAINING.epochs, 'How many times the network sees all the training rows.'),
  batchSize: setting(
    'batchSize',
    'batch size',
    'The batch size',
    DEFAULT_TRAINING.batchSize,
    'How many examples the network looks at before each step. Bigger batches need more memory; smaller ones make noisier steps.',
  ),
  validationSplit: setting(
    'validationSplit',
    'validation split',
    'The validation split',
    0.2,
    'The share of the training rows kept back to check the model after every epoch (0.2 keeps back the last 20%, after shuffling with the random seed). The model never trains on them. Only used when the data has no validation rows of its own.',
  ),
  patience: setting(
    'patience',
    'stop early after',
    'The patience (epochs to wait)',
    DEFAULT_PATIENCE,
    'Stops training when the validation accuracy has not got better for this many epochs in a row (Keras calls it "patience").',
  ),
  seed: setting(
    'seed',
    'random seed',
    'The random seed',
    DEFAULT_TRAINING.seed,
    'The same seed gives the same result when you train again on the same computer: the starting weights, dropout and the shuffling all come from it.',
  ),
};

export interface OptimizerDefinition {
  key: Optimizer;
  /** The block's title: "Adam optimizer". */
  label: string;
  /** tf.train.<tfjs>(learningRate…) */
  tfjs: string;
  /** keras.optimizers.<keras>(learning_rate=…) */
  keras: string;
  /** torch.optim.<pytorch>(model.parameters(), lr=…) */
  pytorch: string;
  /** The learning rate a new block starts with (a value that trains well with it). */
  learningRate: number;
  /** Only SGD with momentum has a momentum box. */
  hasMomentum: boolean;
  doc: string;
}

const optimizer = (key: Optimizer, label: string, names: { tfjs: string; keras: string; pytorch: string }, learningRate: number, doc: string): OptimizerDefinition => ({
  key,
  label,
  ...names,
  learningRate,
  hasMomentum: key === 'momentum',
  doc,
});

/** In OPTIMIZERS order. The learning rates are the usual starting points for each (Keras's defaults, except where noted). */
export const OPTIMIZER_DEFINITIONS: readonly OptimizerDefinition[] = [
  optimizer('sgd', 'SGD optimizer', { tfjs: 'sgd', keras: 'SGD', pytorch: 'SGD' }, 0.01, 'Plain gradient descent: every step moves each weight a little downhill. Simple, but slow.'),
  optimizer(
    'momentum',
    'SGD with momentum',
    { tfjs: 'momentum', keras: 'SGD', pytorch: 'SGD' },
    0.01,
    'Gradient descent that keeps rolling the way it was already going, like a ball down a hill. Faster than plain SGD.',
  ),
  optimizer(
    'adam',
    'Adam optimizer',
    { tfjs: 'adam', keras: 'Adam', pytorch: 'Adam' },
    DEFAULT_TRAINING.learningRate,
    'A good first choice: it works out a step size for every weight by itself. Starts at 0.003 here, a little faster than Keras\'s 0.001.',
  ),
  optimizer('rmsprop', 'RMSprop optimizer', { tfjs: 'rmsprop', keras: 'RMSprop', pytorch: 'RMSprop' }, 0.001, 'Takes smaller steps for weights whose slope keeps jumping around. Often used for recurrent networks.'),
  optimizer('adagrad', 'Adagrad optimizer', { tfjs: 'adagrad', keras: 'Adagrad', pytorch: 'Adagrad' }, 0.01, 'Gives weights that are rarely changed bigger steps. Its steps shrink the longer it trains.'),
  optimizer(
    'adadelta',
    'Adadelta optimizer',
    { tfjs: 'adadelta', keras: 'Adadelta', pytorch: 'Adadelta' },
    1,
    'Like Adagrad, but its steps do not shrink forever. It is meant to run with a learning rate of 1 (older Keras\'s default).',
  ),
  optimizer('adamax', 'Adamax optimizer', { tfjs: 'adamax', keras: 'Adamax', pytorch: 'Adamax' }, 0.002, 'A steadier variant of Adam. Starts at 0.002, the value from the paper that introduced it.'),
];

export function getOptimizer(key: Optimizer): OptimizerDefinition {
  return OPTIMIZER_DEFINITIONS.find((o) => o.key === key)!;
}

export interface LossDefinition {
  key: Loss;
  /** In the loss block's dropdown and in messages. */
  label: string;
  keras: string;
  doc: string;
}

/** In LOSSES order; which ones fit a dataset is lossesForClassCount's rule (model-spec). */
export const LOSS_DEFINITIONS: readonly LossDefinition[] = [
  {
    key: 'categoricalCrossentropy',
    label: 'categorical crossentropy',
    keras: 'categorical_crossentropy',
    doc: 'Scores how much probability the model gave the right class. The usual loss for picking one class out of several.',
  },
  {
    key: 'sparseCategoricalCrossentropy',
    label: 'sparse categorical crossentropy',
    keras: 'sparse_categorical_crossentropy',
    doc: 'The same score, but the labels are class numbers (0, 1, 2…) instead of one-hot lists.',
  },
  {
    key: 'binaryCrossentropy',
    label: 'binary crossentropy',
    keras: 'binary_crossentropy',
    doc: 'Scores each output as its own yes/no answer. Only fits data with two classes.',
  },
  {
    key: 'meanSquaredError',
    label: 'mean squared error',
    keras: 'mean_squared_error',
    doc: 'The average of the squared differences. Made for predicting amounts (a price, a temperature), not classes.',
  },
];

/** The loss block's tooltip: what a loss is, and which one to pick. */
export const LOSS_BLOCK_DOC =
  "How the model's mistakes are scored while it learns; training tries to make this number small. Categorical crossentropy is the usual choice for data with classes.";

/** The "also measure" block's tooltip. */
export const METRIC_BLOCK_DOC =
  'Another number to watch after every epoch, besides the loss and the accuracy (which are always measured). It does not change how the model learns.';

/** The "train the model" block's tooltip. */
export const TRAIN_BLOCK_DOC =
  'How to train the model: put one block for each setting inside. A setting without a block uses its default (the code on the right shows which).';

export function getLoss(key: Loss): LossDefinition {
  return LOSS_DEFINITIONS.find((l) => l.key === key)!;
}

/** Metrics a "measure" block can add. Accuracy is always measured (the charts need it), so it has no block. */
export type ExtraMetric = Exclude<Metric, 'accuracy'>;

export interface MetricDefinition {
  key: ExtraMetric;
  label: string;
  /**
   * How the TF.js code asks for it. TF.js's own precision compares each output with exactly 1
   * (a softmax output almost never is, so it reads about 0), and it has no 'recall' name at all;
   * so those two are printed as small functions that round the outputs first (above 0.5 counts
   * as a yes), which is what Keras's Precision() and Recall() do. The errors are plain names.
   */
  tfjs: { name: string } | { roundedFunction: 'precision' | 'recall' };
  /** Keras's spelling in metrics=[…]. */
  keras: string;
  doc: string;
}

export const METRIC_DEFINITIONS: readonly MetricDefinition[] = [
  {
    key: 'precision',
    label: 'precision',
    tfjs: { roundedFunction: 'precision' },
    keras: 'keras.metrics.Precision()',
    doc: 'Of the answers the model was sure about (over 50%), the share that were right.',
  },
  {
    key: 'recall',
    label: 'recall',
    tfjs: { roundedFunction: 'recall' },
    keras: 'keras.metrics.Recall()',
    doc: 'Of all the examples, the share whose right class the model was sure about (over 50%).',
  },
  {
    key: 'meanAbsoluteError',
    label: 'mean absolute error',
    tfjs: { name: 'mae' },
    keras: '"mae"',
    doc: 'How far the predicted probabilities are from the right answers (1 for the right class, 0 for the others), on average.',
  },
  {
    key: 'meanSquaredError',
    label: 'mean squared error',
    tfjs: { name: 'mse' },
    keras: '"mse"',
    doc: 'Like mean absolute error, but big misses count much more than small ones.',
  },
];

/** The metrics measured besides the always-measured accuracy, in the catalogue's order. */
export function extraMetrics(metrics: readonly Metric[] | undefined): ExtraMetric[] {
  return METRIC_DEFINITIONS.map((m) => m.key).filter((key) => metrics?.includes(key));
}

export function getMetric(key: ExtraMetric): MetricDefinition {
  return METRIC_DEFINITIONS.find((m) => m.key === key)!;
}

/**
 * Which rows the model is checked on after every epoch: the dataset's own validation rows when
 * it has some (the validation split is not used then), else the last share of the training
 * rows when a validation split is set, else the test rows (MNIST's fixed split has no
 * validation rows). One rule for the trainer, the blocks' messages and the printed code.
 * `hasOwnValidationRows` null: not known yet (an upload whose details are still loading).
 */
export type CheckingRows = 'own' | 'split' | 'test';
export function checkingRows(validationSplit: number | undefined, hasOwnValidationRows: boolean | null): CheckingRows {
  if (hasOwnValidationRows === null) return validationSplit ? 'split' : 'own';
  if (hasOwnValidationRows) return 'own';
  return validationSplit ? 'split' : 'test';
}

/** The name a metric has in a run's per-epoch figures (EpochMetrics.extra); validation figures add "val_". */
export function metricLogName(key: ExtraMetric, validation = false): string {
  return validation ? `val_${key}` : key;
}

// Every enum value has its words, and in the same order (checked once at load, so a new optimizer or loss cannot be forgotten here).
if (OPTIMIZER_DEFINITIONS.map((o) => o.key).join() !== OPTIMIZERS.join() || LOSS_DEFINITIONS.map((l) => l.key).join() !== LOSSES.join()) {
  throw new Error('blocks/catalog/training.ts must describe every optimizer and loss of model-spec.ts, in the same order.');
}
