/**
 * Starting-weight recipes that need settings of their own (a Keras file's
 * VarianceScaling(scale=0.5), Constant(0.3), Orthogonal(gain=2)…). Each is a small block a
 * student plugs in beside a layer's "… start as" dropdown, which then reads "custom"; the
 * spec stores the recipe as an InitializerSettings object (format/initializer.ts). This table
 * is the one home of their wording, defaults (Keras's and TF.js's, which agree) and the names
 * Keras and TF.js give them: blocks, block reading, code, Keras files and the trainer read it.
 */
import { initializerSettingsSchema, type InitializerKind, type InitializerSettings } from '../format/initializer';
import type { ArgDefinition } from './define';
import { INITIALIZERS } from './enums';

/** The dropdown choice that means "the settings block plugged in beside me". Never in a spec. */
export const CUSTOM_INITIALIZER = 'custom';
export const CUSTOM_INITIALIZER_LABEL = 'custom (block →)';

export interface InitializerSettingOption {
  /** Keras's value (what the spec stores). */
  value: string;
  label: string;
  /** TF.js's name for it. */
  tfjs: string;
}

export interface InitializerSetting {
  /** Keras's and TF.js's name, and the spec's key. */
  name: string;
  label: string;
  doc: string;
  type: 'float' | 'enum';
  default: number | string;
  options?: readonly InitializerSettingOption[];
}

export interface InitializerRecipe {
  kind: InitializerKind;
  /** First words on the block. */
  label: string;
  kerasClass: string;
  /** Name under tf.initializers. */
  tfjsFactory: string;
  doc: string;
  settings: readonly InitializerSetting[];
}

const gain = (what: string): InitializerSetting => ({ name: 'gain', label: 'times', type: 'float', default: 1, doc: `Multiplies the ${what} by this number.` });

export const INITIALIZER_RECIPES: readonly InitializerRecipe[] = [
  {
    kind: 'varianceScaling',
    label: 'variance scaling',
    kerasClass: 'VarianceScaling',
    tfjsFactory: 'varianceScaling',
    doc: 'Random numbers whose spread shrinks as more numbers flow into (fan in) or out of (fan out) each unit. Glorot, He and LeCun are this recipe with particular settings.',
    settings: [
      { name: 'scale', label: 'scale', type: 'float', default: 1, doc: 'How spread out the numbers are, before dividing by the count: 2 suits relu layers (He), 1 most others. More than 0.' },
      {
        name: 'mode',
        label: 'divided by',
        type: 'enum',
        default: 'fan_in',
        options: [
          { value: 'fan_in', label: 'inputs (fan in)', tfjs: 'fanIn' },
          { value: 'fan_out', label: 'outputs (fan out)', tfjs: 'fanOut' },
          { value: 'fan_avg', label: 'average of both (fan avg)', tfjs: 'fanAvg' },
        ],
        doc: 'Which count of numbers the scale is divided by.',
      },
      {
        name: 'distribution',
        label: 'drawn from',
        type: 'enum',
        default: 'truncated_normal',
        options: [
          // TF.js's VarianceScaling draws a truncated bell curve for "normal" and an even spread for
          // anything else, its own "truncatedNormal" included: so Keras's truncated_normal is "normal".
          { value: 'truncated_normal', label: 'a bell curve without extremes', tfjs: 'normal' },
          { value: 'uniform', label: 'an even spread', tfjs: 'uniform' },
          // TF.js has none: the plan asks for UNTRUNCATED_VARIANCE_SCALING instead (codegen/tfjs-plan.ts).
          { value: 'untruncated_normal', label: 'a whole bell curve', tfjs: 'untruncatedNormal' },
        ],
        doc: 'The shape of the random numbers: a bell curve cut off at two spreads (truncated normal), spread evenly (uniform), or a whole bell curve (untruncated normal).',
      },
    ],
  },
  {
    kind: 'randomNormal',
    label: 'random normal',
    kerasClass: 'RandomNormal',
    tfjsFactory: 'randomNormal',
    doc: 'Random numbers from a bell curve with this middle (mean) and spread (standard deviation).',
    settings: [
      { name: 'mean', label: 'mean', type: 'float', default: 0, doc: 'The middle of the bell curve.' },
      { name: 'stddev', label: 'spread', type: 'float', default: 0.05, doc: 'The standard deviation: how far from the mean most numbers fall. 0 or more.' },
    ],
  },
  {
    kind: 'truncatedNormal',
    label: 'truncated normal',
    kerasClass: 'TruncatedNormal',
    tfjsFactory: 'truncatedNormal',
    doc: 'Random numbers from a bell curve, without those more than two spreads away from the mean.',
    settings: [
      { name: 'mean', label: 'mean', type: 'float', default: 0, doc: 'The middle of the bell curve.' },
      { name: 'stddev', label: 'spread', type: 'float', default: 0.05, doc: 'The standard deviation: how far from the mean most numbers fall. 0 or more.' },
    ],
  },
  {
    kind: 'randomUniform',
    label: 'random uniform',
    kerasClass: 'RandomUniform',
    tfjsFactory: 'randomUniform',
    doc: 'Random numbers spread evenly between the two numbers.',
    settings: [
      { name: 'minval', label: 'from', type: 'float', default: -0.05, doc: 'The smallest number.' },
      { name: 'maxval', label: 'to', type: 'float', default: 0.05, doc: 'The biggest number (not below the smallest).' },
    ],
  },
  {
    kind: 'constant',
    label: 'constant',
    kerasClass: 'Constant',
    tfjsFactory: 'constant',
    doc: 'Every number starts at this value.',
    settings: [{ name: 'value', label: 'value', type: 'float', default: 0, doc: 'The number every weight starts at.' }],
  },
  {
    kind: 'orthogonal',
    label: 'orthogonal',
    kerasClass: 'Orthogonal',
    tfjsFactory: 'orthogonal',
    doc: 'Random numbers arranged so no two rows point the same way, multiplied by a number.',
    settings: [gain('numbers')],
  },
  {
    kind: 'identity',
    label: 'identity',
    kerasClass: 'Identity',
    tfjsFactory: 'identity',
    doc: 'Ones on the diagonal and zeros elsewhere, multiplied by a number (square weights only).',
    settings: [gain('ones')],
  },
];

export function initializerRecipe(kind: string): InitializerRecipe | undefined {
  return INITIALIZER_RECIPES.find((r) => r.kind === kind);
}

/** The layer arguments that say how weights start (the dropdown a settings block may replace). */
export function isInitializerArg(arg: ArgDefinition): boolean {
  return arg.type === 'enum' && arg.options === INITIALIZERS;
}

/** A recipe's settings with every one filled in (given or default), read from plain values. */
export function recipeSettings(recipe: InitializerRecipe, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const settings: Record<string, unknown> = { kind: recipe.kind };
  for (const s of recipe.settings) settings[s.name] = given[s.name] === undefined ? s.default : given[s.name];
  return settings;
}

/** Why a settings object can't start weights, completing "…, but its ___", or null when it can. */
export function initializerProblem(value: unknown): { setting: string | null; must: string } | null {
  const parsed = initializerSettingsSchema.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  const key = typeof issue?.path[0] === 'string' ? issue.path[0] : null;
  const recipe = initializerRecipe(String((value as { kind?: unknown }).kind));
  const setting = recipe?.settings.find((s) => s.name === key);
  if (!recipe) return { setting: null, must: 'is not a starting-weights recipe Layerbook knows' };
  if (!setting) return { setting: null, must: 'has a setting Layerbook does not know' };
  return { setting: setting.label, must: issue?.message ?? 'is not valid' };
}

/** How code and messages name a recipe: "VarianceScaling(scale=0.5, mode=fan_in, distribution=uniform)". */
export function describeInitializer(settings: InitializerSettings): string {
  const recipe = initializerRecipe(settings.kind);
  const { kind, ...rest } = settings;
  return `${recipe?.kerasClass ?? kind}(${Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(', ')})`;
}
