import { z } from 'zod';

/**
 * How a layer's weights start, as a spec stores it: either the name of a catalogue option
 * ("glorotUniform", "zeros"…), or an initializer with its own settings, for recipes no named
 * option is (a Keras file's VarianceScaling(scale=0.5), Constant(0.3), Orthogonal(gain=2)…).
 * The settings are Keras's and TF.js's (snake_case mode/distribution values, as Keras writes
 * them); the messages complete "its … ", so the shape checker can show them to a student.
 */
const number = z.number({ message: 'must be a number' }).finite({ message: 'must be a number' });

export const VARIANCE_SCALING_MODES = ['fan_in', 'fan_out', 'fan_avg'] as const;
/** Keras 2.2.4's "normal" is read as "truncated_normal" (what it means there) before it gets here. */
export const VARIANCE_SCALING_DISTRIBUTIONS = ['truncated_normal', 'uniform', 'untruncated_normal'] as const;

export const initializerSettingsSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('varianceScaling'),
    scale: number.positive({ message: 'must be more than 0' }),
    mode: z.enum(VARIANCE_SCALING_MODES, { message: 'must be fan_in, fan_out or fan_avg' }),
    distribution: z.enum(VARIANCE_SCALING_DISTRIBUTIONS, { message: 'must be truncated_normal, uniform or untruncated_normal' }),
  }),
  z.strictObject({ kind: z.literal('randomUniform'), minval: number, maxval: number }).refine((v) => v.minval <= v.maxval, {
    message: 'must be no smaller than the lowest number',
    path: ['maxval'],
  }),
  z.strictObject({ kind: z.literal('randomNormal'), mean: number, stddev: number.nonnegative({ message: 'must be 0 or more' }) }),
  z.strictObject({ kind: z.literal('truncatedNormal'), mean: number, stddev: number.nonnegative({ message: 'must be 0 or more' }) }),
  z.strictObject({ kind: z.literal('constant'), value: number }),
  z.strictObject({ kind: z.literal('orthogonal'), gain: number }),
  z.strictObject({ kind: z.literal('identity'), gain: number }),
]);
export type InitializerSettings = z.infer<typeof initializerSettingsSchema>;
export type InitializerKind = InitializerSettings['kind'];

/** What a spec's `…Initializer` argument holds. */
export const initializerValueSchema = z.union([z.string().min(1).max(100), initializerSettingsSchema]);
export type InitializerValue = z.infer<typeof initializerValueSchema>;

export function isInitializerSettings(value: unknown): value is InitializerSettings {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { kind?: unknown }).kind === 'string';
}
