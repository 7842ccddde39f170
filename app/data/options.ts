import { playgroundOptionsSchema, type PlaygroundOptions } from '../../blocks/format/datasets';

/**
 * The generated sets' settings as a student types them. Limits come from the persisted
 * schema (one home); this file only adds the words.
 */
export type PlaygroundSetting = keyof PlaygroundOptions;

export const PLAYGROUND_SETTINGS: Record<PlaygroundSetting, { label: string; help: string; step: string }> = {
  size: { label: 'Points', help: 'How many points to make, for training, checking and testing together.', step: '1' },
  noise: { label: 'Noise', help: 'How messy the points are: 0 is clean, 1 is very noisy.', step: '0.05' },
  seed: { label: 'Seed', help: 'The same seed always makes the same points. Change it for a new set.', step: '1' },
};

export type ParsedOption = { ok: true; value: number } | { ok: false; message: string };

export function parsePlaygroundSetting(field: PlaygroundSetting, text: string): ParsedOption {
  const { label } = PLAYGROUND_SETTINGS[field];
  const schema = playgroundOptionsSchema.shape[field];
  const min = schema.minValue ?? 0;
  const max = schema.maxValue ?? Infinity;
  const range = schema.isInt ? `a whole number from ${min} to ${max}` : `a number from ${min} to ${max}`;
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Type ${range} for ${label.toLowerCase()}.` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, message: `“${trimmed}” is not a number. ${label} must be ${range}.` };
  if (schema.safeParse(value).success) return { ok: true, value };
  return { ok: false, message: `${label} must be ${range}.` };
}
