/**
 * A training cell's Blockly JSON → its training settings, without importing Blockly, so the
 * server reads saved notebooks the same way the page does. Never throws: anything unexpected
 * becomes a diagnostic on the block to change. A setting without a block takes its documented
 * default (NUMBER_SETTINGS, DEFAULT_TRAINING), so the result is always a complete, valid set of
 * settings; errors in the diagnostics are what stop a run.
 */
import { getOptimizer, METRIC_DEFINITIONS, NUMBER_SETTINGS, OPTIMIZER_DEFINITIONS, type ExtraMetric, type NumberSettingKey } from '../catalog/training';
import type { BlockState } from '../format/block-types';
import type { Diagnostic } from '../format/diagnostic';
import { blockIdOf, isDisabled, readTopBlocks, stackBlocks } from './from-workspace';
import { DEFAULT_MOMENTUM, DEFAULT_PATIENCE, DEFAULT_TRAINING, LOSSES, type Loss, type Optimizer, type TrainingSpec } from '../format/model-spec';
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
  optimizerOfBlockType,
} from '../format/training-block-types';

/** Everything a training cell sets with blocks; the dataset is chosen in the cell's header instead. */
export type TrainingSettings = Omit<TrainingSpec, 'dataset'>;

/** One setting a block gives. Metrics are the exception: one block per metric, several allowed. */
export type SettingSlot = 'optimizer' | 'loss' | 'epochs' | 'batchSize' | 'validationSplit' | 'earlyStopping' | 'seed';

export interface TrainingConversion {
  settings: TrainingSettings;
  /** The block each setting was read from; a missing slot means its default is used. */
  blockOf: Partial<Record<SettingSlot, string>>;
  /** The block of each metric asked for. */
  metricBlocks: Partial<Record<ExtraMetric, string>>;
  /** Id of the "train the model" block, where cell-wide problems are shown. */
  trainBlockId: string | null;
  diagnostics: Diagnostic[];
}

/** What a training cell trains with when it has no block for a setting. */
export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = {
  optimizer: DEFAULT_TRAINING.optimizer,
  learningRate: DEFAULT_TRAINING.learningRate,
  loss: DEFAULT_TRAINING.loss,
  metrics: [],
  epochs: DEFAULT_TRAINING.epochs,
  batchSize: DEFAULT_TRAINING.batchSize,
  validationSplit: 0,
  earlyStopping: false,
  seed: DEFAULT_TRAINING.seed,
};

/** How each setting block is named in messages ("the epochs block"). */
const SLOT_BLOCK_NAMES: Record<Exclude<SettingSlot, 'optimizer'>, string> = {
  loss: '"loss"',
  epochs: '"epochs"',
  batchSize: '"batch size"',
  validationSplit: '"validation split"',
  earlyStopping: '"stop early after"',
  seed: '"random seed"',
};

const NUMBER_BLOCKS: Record<string, { slot: SettingSlot; key: NumberSettingKey }> = {
  [EPOCHS_BLOCK_TYPE]: { slot: 'epochs', key: 'epochs' },
  [BATCH_SIZE_BLOCK_TYPE]: { slot: 'batchSize', key: 'batchSize' },
  [VALIDATION_SPLIT_BLOCK_TYPE]: { slot: 'validationSplit', key: 'validationSplit' },
  [EARLY_STOPPING_BLOCK_TYPE]: { slot: 'earlyStopping', key: 'patience' },
  [SEED_BLOCK_TYPE]: { slot: 'seed', key: 'seed' },
};

export function trainingFromWorkspace(workspace: unknown): TrainingConversion {
  const diagnostics: Diagnostic[] = [];
  const blockOf: Partial<Record<SettingSlot, string>> = {};
  const metricBlocks: Partial<Record<ExtraMetric, string>> = {};
  const result = (settings: TrainingSettings, trainBlockId: string | null): TrainingConversion => ({ settings, blockOf, metricBlocks, trainBlockId, diagnostics });

  const topBlocks = readTopBlocks(workspace);
  if (topBlocks === null) {
    diagnostics.push({
      blockId: null,
      severity: 'error',
      code: 'unreadable-workspace',
      message: "The saved blocks of this training cell couldn't be read.",
      fix: 'Reload the page. If it keeps happening, delete this training cell and add a new one.',
    });
    return result({ ...DEFAULT_TRAINING_SETTINGS }, null);
  }

  const trainBlocks = topBlocks.filter((b) => b.type === TRAIN_BLOCK_TYPE);
  for (const stray of topBlocks.filter((b) => b.type !== TRAIN_BLOCK_TYPE)) {
    const hasMore = stackBlocks(stray).length > 1;
    diagnostics.push({
      blockId: blockIdOf(stray),
      severity: 'warning',
      code: 'stray-block',
      message: `This ${describeBlock(stray)} block is not inside the "train the model" block, so it is ignored${hasMore ? ', together with the blocks stuck below it' : ''}.`,
      fix: 'Drag it into the "train the model" block if you want to use it, or delete it.',
    });
  }
  if (trainBlocks.length === 0) {
    diagnostics.push({
      blockId: null,
      severity: 'error',
      code: 'no-train-block',
      message: 'There is no "train the model" block, so there is nothing to say how to train.',
      fix: 'Drag a "train the model" block from the Training category onto the workspace and put setting blocks inside it.',
    });
    return result({ ...DEFAULT_TRAINING_SETTINGS }, null);
  }
  for (const extra of trainBlocks.slice(1)) {
    diagnostics.push({
      blockId: blockIdOf(extra),
      severity: 'error',
      code: 'extra-train-block',
      message: `There are ${trainBlocks.length} "train the model" blocks, but one training cell trains one way at a time.`,
      fix: 'Delete the extra "train the model" block, or move the settings you want into the first one.',
    });
  }

  const train = trainBlocks[0]!;
  const settings: TrainingSettings = { ...DEFAULT_TRAINING_SETTINGS, metrics: [] };
  let patience = DEFAULT_PATIENCE;
  let momentum = DEFAULT_MOMENTUM;
  const metrics: ExtraMetric[] = [];

  /** The first block for a slot wins; a later one is pointed out and ignored. */
  const claim = (slot: SettingSlot, block: BlockState, id: string | null, name: string): boolean => {
    const first = blockOf[slot];
    if (first === undefined) {
      if (id !== null) blockOf[slot] = id;
      return true;
    }
    diagnostics.push({
      blockId: id,
      severity: 'warning',
      code: 'duplicate-setting',
      message: `There is another ${name} block above this one, so this ${describeBlock(block)} block is ignored.`,
      fix: `Delete this block, or delete the ${name} block above if you want this one instead.`,
    });
    return false;
  };

  for (const block of stackBlocks(train.inputs?.[TRAIN_SETTINGS_INPUT]?.block)) {
    if (isDisabled(block)) continue;
    const id = blockIdOf(block);
    const optimizerKey = optimizerOfBlockType(block.type);
    if (optimizerKey !== null) {
      const known = OPTIMIZER_DEFINITIONS.find((o) => o.key === optimizerKey);
      if (!known) {
        diagnostics.push(unknownBlock(block, id));
        continue;
      }
      if (!claim('optimizer', block, id, 'optimizer')) continue;
      settings.optimizer = known.key;
      settings.learningRate = readNumber(block, id, 'learningRate', known.learningRate, diagnostics);
      if (known.hasMomentum) momentum = readNumber(block, id, 'momentum', DEFAULT_MOMENTUM, diagnostics);
      continue;
    }
    if (block.type === LOSS_BLOCK_TYPE) {
      if (!claim('loss', block, id, SLOT_BLOCK_NAMES.loss)) continue;
      const raw = block.fields?.[TRAINING_FIELDS.loss];
      if ((LOSSES as readonly unknown[]).includes(raw)) settings.loss = raw as Loss;
      else diagnostics.push(unknownChoice(id, 'loss', raw));
      continue;
    }
    if (block.type === METRIC_BLOCK_TYPE) {
      const raw = block.fields?.[TRAINING_FIELDS.metric];
      const metric = METRIC_DEFINITIONS.find((m) => m.key === raw);
      if (!metric) {
        diagnostics.push(unknownChoice(id, 'also measure', raw));
        continue;
      }
      if (metrics.includes(metric.key)) {
        diagnostics.push({
          blockId: id,
          severity: 'warning',
          code: 'duplicate-setting',
          message: `An "also measure" block above already measures ${metric.label}, so this one is ignored.`,
          fix: 'Delete this block, or pick a different metric in it.',
        });
        continue;
      }
      metrics.push(metric.key);
      if (id !== null) metricBlocks[metric.key] = id;
      continue;
    }
    const numberBlock = NUMBER_BLOCKS[block.type];
    if (numberBlock) {
      if (!claim(numberBlock.slot, block, id, SLOT_BLOCK_NAMES[numberBlock.slot as Exclude<SettingSlot, 'optimizer'>])) continue;
      const value = readNumber(block, id, numberBlock.key, NUMBER_SETTINGS[numberBlock.key].start, diagnostics);
      if (numberBlock.slot === 'earlyStopping') {
        settings.earlyStopping = true;
        patience = value;
      } else {
        (settings as Record<string, unknown>)[numberBlock.key] = value;
      }
      continue;
    }
    diagnostics.push(unknownBlock(block, id));
  }

  // The same keys in the same order every time, so stored settings compare as JSON.
  const ordered: TrainingSettings = {
    optimizer: settings.optimizer,
    learningRate: settings.learningRate,
    ...(settings.optimizer === 'momentum' ? { momentum } : {}),
    loss: settings.loss,
    // Kept in the catalogue's order, whatever order the blocks are in.
    metrics: METRIC_DEFINITIONS.map((m) => m.key).filter((key) => metrics.includes(key)),
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    validationSplit: settings.validationSplit,
    earlyStopping: settings.earlyStopping,
    ...(settings.earlyStopping ? { patience } : {}),
    seed: settings.seed,
  };
  return result(ordered, blockIdOf(train));
}

/**
 * A number box's value, or `fallback` with an error naming the limits. Blockly's number
 * fields already refuse values outside them; this catches hand-edited or older JSON.
 */
function readNumber(block: BlockState, id: string | null, key: NumberSettingKey, fallback: number, diagnostics: Diagnostic[]): number {
  const setting = NUMBER_SETTINGS[key];
  const raw = block.fields?.[TRAINING_FIELDS[key]];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const fits =
    Number.isFinite(value) &&
    (setting.minExclusive ? value > setting.min : value >= setting.min) &&
    value <= setting.max &&
    (!setting.integer || Number.isInteger(value));
  if (fits) return value;
  diagnostics.push({
    blockId: id,
    severity: 'error',
    code: 'bad-training-setting',
    message: `${setting.noun} ${rangeWords(key)}, but this block says ${raw === undefined || raw === '' ? 'nothing' : JSON.stringify(raw)}.`,
    fix: `Type ${setting.integer ? 'a whole number' : 'a number'} ${setting.minExclusive ? `above ${setting.min}` : `from ${setting.min}`} to ${setting.max} into it, for example ${setting.start}.`,
  });
  return fallback;
}

/** "must be a whole number from 1 to 100": the limits of a setting in words, for every message about it. */
export function rangeWords(key: NumberSettingKey): string {
  const s = NUMBER_SETTINGS[key];
  if (s.integer) return `must be a whole number from ${s.min} to ${s.max}`;
  return s.minExclusive ? `must be more than ${s.min} and at most ${s.max}` : `must be a number from ${s.min} to ${s.max}`;
}

function unknownChoice(id: string | null, blockName: string, raw: unknown): Diagnostic {
  return {
    blockId: id,
    severity: 'error',
    code: 'bad-training-setting',
    message: `This "${blockName}" block is set to ${JSON.stringify(raw) ?? 'nothing'}, which Layerbook doesn't know.`,
    fix: 'Pick one of the choices in its list.',
  };
}

function unknownBlock(block: BlockState, id: string | null): Diagnostic {
  return {
    blockId: id,
    severity: 'warning',
    code: 'unknown-training-block',
    message: `A "${block.type}" block is not a training setting, so it is ignored.`,
    fix: 'Delete it. Training settings are in the Optimizer, Loss and Settings categories.',
  };
}

/** How a block is named in a message: "Adam optimizer", "epochs". */
export function describeBlock(block: Pick<BlockState, 'type'>): string {
  const optimizerKey = optimizerOfBlockType(block.type);
  if (optimizerKey !== null) {
    const known = OPTIMIZER_DEFINITIONS.find((o) => o.key === optimizerKey);
    return known ? `"${getOptimizer(known.key as Optimizer).label}"` : `"${block.type}"`;
  }
  if (block.type === METRIC_BLOCK_TYPE) return '"also measure"';
  if (block.type === TRAIN_BLOCK_TYPE) return '"train the model"';
  if (block.type === LOSS_BLOCK_TYPE) return SLOT_BLOCK_NAMES.loss;
  const number = NUMBER_BLOCKS[block.type];
  return number ? SLOT_BLOCK_NAMES[number.slot as Exclude<SettingSlot, 'optimizer'>] : `"${block.type}"`;
}
