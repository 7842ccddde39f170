/**
 * Blockly JSON block definitions and the toolbox of a training cell, derived from the training
 * catalogue (blocks/catalog/training.ts). Plain data (no Blockly import), like ./definitions.
 */
import type * as Blockly from 'blockly';
import {
  LOSS_BLOCK_DOC,
  LOSS_DEFINITIONS,
  METRIC_BLOCK_DOC,
  METRIC_DEFINITIONS,
  NUMBER_SETTINGS,
  OPTIMIZER_DEFINITIONS,
  TRAIN_BLOCK_DOC,
  TRAINING_COLOURS,
  type NumberSettingKey,
  type OptimizerDefinition,
} from '../catalog/training';
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
  TRAINING_SETTING_CONNECTION,
  VALIDATION_SPLIT_BLOCK_TYPE,
  optimizerBlockType,
} from '../format/training-block-types';
import type { BlockJson } from './block-json';

const setting = (colour: string) => ({ previousStatement: TRAINING_SETTING_CONNECTION, nextStatement: TRAINING_SETTING_CONNECTION, colour });

/**
 * A number box that refuses what the setting's limits refuse: Blockly clamps a typed value into
 * [min, max] and rounds whole-number settings. (The learning rate's "more than 0" is left to the
 * workspace reader, which says so; a box that silently turned 0 into 0.000001 would confuse.)
 */
function numberField(key: NumberSettingKey, value = NUMBER_SETTINGS[key].start): Record<string, unknown> {
  const s = NUMBER_SETTINGS[key];
  return { type: 'field_number', name: TRAINING_FIELDS[key], value, min: s.min, max: s.max, ...(s.integer ? { precision: 1 } : {}), tooltip: s.doc };
}

export function trainBlockJson(): BlockJson {
  return {
    type: TRAIN_BLOCK_TYPE,
    message0: 'train the model',
    message1: '%1',
    args1: [{ type: 'input_statement', name: TRAIN_SETTINGS_INPUT, check: TRAINING_SETTING_CONNECTION }],
    colour: TRAINING_COLOURS.train,
    tooltip: TRAIN_BLOCK_DOC,
  };
}

/** "Adam optimizer  learning rate [0.003]": the title is a label of its own, so it reads as the block's name. */
export function optimizerBlockJson(optimizer: OptimizerDefinition): BlockJson {
  const args: Record<string, unknown>[] = [{ type: 'field_label', text: optimizer.label }, numberField('learningRate', optimizer.learningRate)];
  if (optimizer.hasMomentum) args.push(numberField('momentum'));
  return {
    type: optimizerBlockType(optimizer.key),
    message0: optimizer.hasMomentum ? '%1 learning rate %2 momentum %3' : '%1 learning rate %2',
    args0: args,
    ...setting(TRAINING_COLOURS.optimizer),
    tooltip: optimizer.doc,
  };
}

function numberBlockJson(type: string, key: NumberSettingKey, colour: string, after = ''): BlockJson {
  const s = NUMBER_SETTINGS[key];
  return {
    type,
    message0: `${s.label} %1${after ? ` ${after}` : ''}`,
    args0: [numberField(key)],
    ...setting(colour),
    tooltip: s.doc,
  };
}

export function trainingBlockJson(): BlockJson[] {
  return [
    trainBlockJson(),
    ...OPTIMIZER_DEFINITIONS.map(optimizerBlockJson),
    {
      type: LOSS_BLOCK_TYPE,
      message0: 'loss %1',
      args0: [{ type: 'field_dropdown', name: TRAINING_FIELDS.loss, options: LOSS_DEFINITIONS.map((l) => [l.label, l.key]) }],
      ...setting(TRAINING_COLOURS.loss),
      tooltip: LOSS_BLOCK_DOC,
    },
    {
      type: METRIC_BLOCK_TYPE,
      message0: 'also measure %1',
      args0: [{ type: 'field_dropdown', name: TRAINING_FIELDS.metric, options: METRIC_DEFINITIONS.map((m) => [m.label, m.key]) }],
      ...setting(TRAINING_COLOURS.loss),
      tooltip: METRIC_BLOCK_DOC,
    },
    numberBlockJson(EPOCHS_BLOCK_TYPE, 'epochs', TRAINING_COLOURS.settings),
    numberBlockJson(BATCH_SIZE_BLOCK_TYPE, 'batchSize', TRAINING_COLOURS.settings),
    numberBlockJson(VALIDATION_SPLIT_BLOCK_TYPE, 'validationSplit', TRAINING_COLOURS.settings),
    numberBlockJson(EARLY_STOPPING_BLOCK_TYPE, 'patience', TRAINING_COLOURS.settings, 'epochs without improving'),
    numberBlockJson(SEED_BLOCK_TYPE, 'seed', TRAINING_COLOURS.settings),
  ];
}

export const TRAINING_CATEGORY_NAME = 'Training';

/** The training cell's toolbox: the train block, the optimizers, loss and metrics, the other settings. */
export function buildTrainingToolbox(): Blockly.utils.toolbox.ToolboxDefinition {
  const block = (type: string, fields?: Record<string, unknown>) => ({ kind: 'block', type, ...(fields ? { fields } : {}) });
  return {
    kind: 'categoryToolbox',
    contents: [
      { kind: 'category', name: TRAINING_CATEGORY_NAME, colour: TRAINING_COLOURS.train, contents: [block(TRAIN_BLOCK_TYPE)] },
      { kind: 'category', name: 'Optimizer', colour: TRAINING_COLOURS.optimizer, contents: OPTIMIZER_DEFINITIONS.map((o) => block(optimizerBlockType(o.key))) },
      {
        kind: 'category',
        name: 'Loss and metrics',
        colour: TRAINING_COLOURS.loss,
        // One "also measure" block per metric, so the choices can be read without opening a list.
        contents: [block(LOSS_BLOCK_TYPE), ...METRIC_DEFINITIONS.map((m) => block(METRIC_BLOCK_TYPE, { [TRAINING_FIELDS.metric]: m.key }))],
      },
      {
        kind: 'category',
        name: 'Settings',
        colour: TRAINING_COLOURS.settings,
        contents: [EPOCHS_BLOCK_TYPE, BATCH_SIZE_BLOCK_TYPE, VALIDATION_SPLIT_BLOCK_TYPE, EARLY_STOPPING_BLOCK_TYPE, SEED_BLOCK_TYPE].map((t) => block(t)),
      },
    ],
  };
}

/** Every training block type, for tests and the toolbox check. */
export const TRAINING_BLOCK_TYPES: readonly string[] = trainingBlockJson().map((b) => b.type);
