/**
 * Keras initializers → the catalogue's named initializers. Every Keras spelling is first turned
 * into what it does (an InitializerForm: VarianceScaling with its scale, mode and distribution;
 * a uniform or normal range; a constant; orthogonal/identity with a gain), then matched
 * against the forms the catalogue lists for its options (catalog/enums.ts), so
 * Keras 2.2.4's VarianceScaling(1, fan_avg, uniform) and tf.keras's GlorotUniform both become
 * "glorotUniform", and a Constant(0) becomes "zeros".
 */
import { INITIALIZER_FORMS, type InitializerForm } from '../catalog';
import type { VarianceScalingDistribution, VarianceScalingMode } from './format';
import { has } from './plain-json';

/** Keras's shortcut names (strings in a config) and class names, by what they do. */
const NAMED_FORMS: Readonly<Record<string, InitializerForm>> = {
  glorot_uniform: INITIALIZER_FORMS.glorotUniform!,
  glorot_normal: INITIALIZER_FORMS.glorotNormal!,
  he_uniform: INITIALIZER_FORMS.heUniform!,
  he_normal: INITIALIZER_FORMS.heNormal!,
  lecun_uniform: INITIALIZER_FORMS.leCunUniform!,
  lecun_normal: INITIALIZER_FORMS.leCunNormal!,
  zeros: { kind: 'constant', value: 0 },
  zero: { kind: 'constant', value: 0 },
  ones: { kind: 'constant', value: 1 },
  one: { kind: 'constant', value: 1 },
};

const MODES: readonly VarianceScalingMode[] = ['fan_in', 'fan_out', 'fan_avg'];

/** Why an initializer can't be read, and (where there is more to say than the general advice) what to do. */
export interface UnreadableInitializer {
  unreadable: string;
  fix?: string;
}

/** What a Keras initializer does, or a sentence saying why it can't be read. */
export function initializerForm(value: unknown): InitializerForm | UnreadableInitializer {
  if (typeof value === 'string') {
    const named = NAMED_FORMS[snake(value)];
    if (named && has(NAMED_FORMS, snake(value))) return named;
    return fromClass(pascalFromSnake(value), {});
  }
  if (typeof value === 'object' && value !== null && typeof (value as { class_name?: unknown }).class_name === 'string') {
    const { class_name: className, config } = value as { class_name: string; config?: unknown };
    return fromClass(className, typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {});
  }
  return { unreadable: 'it is neither a name nor a {"class_name", "config"} object' };
}

function fromClass(className: string, config: Record<string, unknown>): InitializerForm | UnreadableInitializer {
  const num = (key: string, fallback: number): number | null => {
    if (!has(config, key) || config[key] === undefined) return fallback;
    return typeof config[key] === 'number' && Number.isFinite(config[key]) ? (config[key] as number) : null;
  };
  const shortcut = NAMED_FORMS[snake(className)];
  if (shortcut && has(NAMED_FORMS, snake(className))) return shortcut;
  switch (className) {
    case 'VarianceScaling': {
      const scale = num('scale', 1);
      const mode = has(config, 'mode') ? config.mode : 'fan_in';
      const distribution = has(config, 'distribution') ? config.distribution : 'truncated_normal';
      if (scale === null || !MODES.includes(mode as VarianceScalingMode)) return { unreadable: 'its scale or mode is not one Keras writes' };
      const kind = distributionOf(distribution);
      if (!kind) return { unreadable: `its distribution "${String(distribution).slice(0, 30)}" is not one Keras writes` };
      return { kind: 'varianceScaling', scale, mode: mode as VarianceScalingMode, distribution: kind };
    }
    case 'RandomUniform': {
      const minval = num('minval', -0.05);
      const maxval = num('maxval', 0.05);
      return minval === null || maxval === null ? { unreadable: 'its minval or maxval is not a number' } : { kind: 'randomUniform', minval, maxval };
    }
    case 'RandomNormal':
    case 'TruncatedNormal': {
      const mean = num('mean', 0);
      const stddev = num('stddev', 0.05);
      if (mean === null || stddev === null) return { unreadable: 'its mean or stddev is not a number' };
      return { kind: className === 'RandomNormal' ? 'randomNormal' : 'truncatedNormal', mean, stddev };
    }
    case 'Constant': {
      const value = num('value', 0);
      return value === null ? { unreadable: 'its value is not one number' } : { kind: 'constant', value };
    }
    case 'Orthogonal':
    case 'Identity': {
      const gain = num('gain', 1);
      return gain === null ? { unreadable: 'its gain is not a number' } : { kind: className === 'Orthogonal' ? 'orthogonal' : 'identity', gain };
    }
    default:
      return { unreadable: `Keras has no initializer called ${className.slice(0, 40)}` };
  }
}

/** Keras 2.2.4's "normal" is a truncated normal (tf.keras 2 kept it as an alias of "truncated_normal"). */
function distributionOf(value: unknown): 'truncated_normal' | 'uniform' | 'untruncated_normal' | null {
  const known: Readonly<Record<VarianceScalingDistribution, 'truncated_normal' | 'uniform' | 'untruncated_normal'>> = {
    normal: 'truncated_normal',
    truncated_normal: 'truncated_normal',
    uniform: 'uniform',
    untruncated_normal: 'untruncated_normal',
  };
  return typeof value === 'string' && has(known, value) ? known[value as VarianceScalingDistribution] : null;
}

/** The catalogue's option value for a form, or null when no option starts weights that way. */
export function namedInitializer(form: InitializerForm): string | null {
  for (const [value, named] of Object.entries(INITIALIZER_FORMS)) if (sameForm(form, named)) return value;
  return null;
}

function sameForm(a: InitializerForm, b: InitializerForm): boolean {
  if (a.kind !== b.kind) return false;
  const close = (x: unknown, y: unknown) => (typeof x === 'number' && typeof y === 'number' ? Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)) : x === y);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function pascalFromSnake(name: string): string {
  return name.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
