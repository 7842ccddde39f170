/**
 * Writes a training workspace in exactly the form Blockly saves it, so settings written here
 * (a new training cell, or an older notebook's settings turned into blocks) load into the
 * editor and save back unchanged, and read back as the same settings.
 */
import { DEFAULT_MOMENTUM, DEFAULT_PATIENCE } from '../format/model-spec';
import type { BlockState, WorkspaceState } from '../format/block-types';
import {
  BATCH_SIZE_BLOCK_TYPE,
  EARLY_STOPPING_BLOCK_TYPE,
  EPOCHS_BLOCK_TYPE,
  LOSS_BLOCK_TYPE,
  METRIC_BLOCK_TYPE,
  SEED_BLOCK_TYPE,
  TRAIN_BLOCK_TYPE,
  TRAIN_SETTINGS_INPUT,
  TRAINING_FIELDS,
  VALIDATION_SPLIT_BLOCK_TYPE,
  optimizerBlockType,
} from '../format/training-block-types';
import { DEFAULT_TRAINING_SETTINGS, type TrainingSettings } from '../workspace/training-from-workspace';

/**
 * A "train the model" block holding one block per setting: the optimizer, loss, metrics,
 * epochs, batch size and seed always (so a student sees what there is to change), a
 * validation split and early stopping only when they are switched on.
 */
export function trainingWorkspace(idPrefix: string, settings: Partial<TrainingSettings> = {}): WorkspaceState {
  const s = { ...DEFAULT_TRAINING_SETTINGS, ...settings };
  const blocks: BlockState[] = [
    {
      type: optimizerBlockType(s.optimizer),
      id: `${idPrefix}-optimizer`,
      fields:
        s.optimizer === 'momentum'
          ? { [TRAINING_FIELDS.learningRate]: s.learningRate, [TRAINING_FIELDS.momentum]: s.momentum ?? DEFAULT_MOMENTUM }
          : { [TRAINING_FIELDS.learningRate]: s.learningRate },
    },
    { type: LOSS_BLOCK_TYPE, id: `${idPrefix}-loss`, fields: { [TRAINING_FIELDS.loss]: s.loss } },
    ...(s.metrics ?? [])
      .filter((m) => m !== 'accuracy')
      .map((metric): BlockState => ({ type: METRIC_BLOCK_TYPE, id: `${idPrefix}-metric-${metric}`, fields: { [TRAINING_FIELDS.metric]: metric } })),
    { type: EPOCHS_BLOCK_TYPE, id: `${idPrefix}-epochs`, fields: { [TRAINING_FIELDS.epochs]: s.epochs } },
    { type: BATCH_SIZE_BLOCK_TYPE, id: `${idPrefix}-batch-size`, fields: { [TRAINING_FIELDS.batchSize]: s.batchSize } },
    ...(s.validationSplit ? [{ type: VALIDATION_SPLIT_BLOCK_TYPE, id: `${idPrefix}-validation-split`, fields: { [TRAINING_FIELDS.validationSplit]: s.validationSplit } }] : []),
    ...(s.earlyStopping ? [{ type: EARLY_STOPPING_BLOCK_TYPE, id: `${idPrefix}-early-stopping`, fields: { [TRAINING_FIELDS.patience]: s.patience ?? DEFAULT_PATIENCE } }] : []),
    { type: SEED_BLOCK_TYPE, id: `${idPrefix}-seed`, fields: { [TRAINING_FIELDS.seed]: s.seed } },
  ];
  return trainBlockWorkspace(idPrefix, blocks);
}

/** The train block around `settings` (top to bottom), as Blockly saves a workspace holding only it. */
export function trainBlockWorkspace(idPrefix: string, settings: readonly BlockState[]): WorkspaceState {
  let chain: BlockState | undefined;
  // Built bottom-up because each block holds the one below it in `next`.
  for (let i = settings.length - 1; i >= 0; i--) {
    const block: BlockState = { ...settings[i]! };
    if (chain) block.next = { block: chain };
    chain = block;
  }
  const train: BlockState = { type: TRAIN_BLOCK_TYPE, id: `${idPrefix}-train`, x: 40, y: 40 };
  if (chain) train.inputs = { [TRAIN_SETTINGS_INPUT]: { block: chain } };
  return { blocks: { languageVersion: 0, blocks: [train] } };
}
