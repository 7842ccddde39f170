/**
 * Names shared by the training blocks (blocks/blockly) and the code that reads saved training
 * workspaces without Blockly (./training-from-workspace). Changing one of these breaks saved
 * notebooks: add a notebook migration instead.
 */
import type { Optimizer } from './model-spec';

/** "train the model": holds one block per setting. */
export const TRAIN_BLOCK_TYPE = 'train';
export const TRAIN_SETTINGS_INPUT = 'SETTINGS';
/** Connection check so only setting blocks snap into the train block and onto each other. */
export const TRAINING_SETTING_CONNECTION = 'training_setting';

const OPTIMIZER_PREFIX = 'optimizer_';

/** One block per optimizer: "optimizer_adam". */
export function optimizerBlockType(optimizer: Optimizer): string {
  return OPTIMIZER_PREFIX + optimizer;
}

/** "optimizer_adam" → "adam"; null for other blocks. */
export function optimizerOfBlockType(blockType: string): string | null {
  return blockType.startsWith(OPTIMIZER_PREFIX) ? blockType.slice(OPTIMIZER_PREFIX.length) : null;
}

export const LOSS_BLOCK_TYPE = 'train_loss';
export const METRIC_BLOCK_TYPE = 'train_metric';
export const EPOCHS_BLOCK_TYPE = 'train_epochs';
export const BATCH_SIZE_BLOCK_TYPE = 'train_batch_size';
export const VALIDATION_SPLIT_BLOCK_TYPE = 'train_validation_split';
export const EARLY_STOPPING_BLOCK_TYPE = 'train_early_stopping';
export const SEED_BLOCK_TYPE = 'train_seed';

/** Field names: the TrainingSpec key each field sets (the metric block's field holds one metric). */
export const TRAINING_FIELDS = {
  learningRate: 'learningRate',
  momentum: 'momentum',
  loss: 'loss',
  metric: 'metric',
  epochs: 'epochs',
  batchSize: 'batchSize',
  validationSplit: 'validationSplit',
  patience: 'patience',
  seed: 'seed',
} as const;
