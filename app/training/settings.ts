import { OPTIMIZERS, trainingSpecSchema, type TrainingSpec } from '../../blocks/spec/model-spec';

/**
 * The training form's rules. Limits come from the persisted schema (one home), this file
 * only adds the words: what each setting is called and what to type instead.
 */
export type NumericSetting = 'learningRate' | 'batchSize' | 'epochs';

export const NUMERIC_SETTINGS: Record<NumericSetting, { label: string; noun: string; example: string; help: string; step: string }> = {
  learningRate: {
    label: 'Learning rate',
    noun: 'a learning rate',
    example: '0.001',
    help: 'How big a step the network takes when it learns from a mistake.',
    step: 'any',
  },
  batchSize: {
    label: 'Batch size',
    noun: 'a batch size',
    example: '64',
    help: 'How many pictures the network looks at before each step.',
    step: '1',
  },
  epochs: {
    label: 'Epochs',
    noun: 'the number of epochs',
    example: '3',
    help: 'How many times the network sees the whole training set.',
    step: '1',
  },
};

export const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  adam: 'Adam (a good default)',
  sgd: 'SGD (plain gradient descent)',
  momentum: 'SGD with momentum',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
};

export const DATASET_LABELS: Record<TrainingSpec['dataset'], string> = {
  mnist: 'MNIST handwritten digits',
};

export type ParsedSetting = { ok: true; value: number } | { ok: false; message: string };

export function parseSetting(field: NumericSetting, text: string): ParsedSetting {
  const { label, noun, example } = NUMERIC_SETTINGS[field];
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Type ${noun}, for example ${example}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) {
    return { ok: false, message: `“${trimmed}” is not a number. Type ${noun}, for example ${example}.` };
  }
  const schema = trainingSpecSchema.shape[field];
  if (schema.safeParse(value).success) return { ok: true, value };
  const min = schema.minValue ?? 0;
  const max = schema.maxValue ?? Infinity;
  if (schema.isInt) return { ok: false, message: `${label} must be a whole number from ${min} to ${max}.` };
  return {
    ok: false,
    message: `${label} must be more than ${min} and at most ${max}. Small values such as ${example} work best.`,
  };
}
