/**
 * The argument groups every layer with weights repeats in Keras (initializer, regularizer,
 * constraint per weight, plus an activity regularizer), written once so every layer words
 * them the same way.
 */
import { choice, type EnumArgSpec } from './define';
import { CONSTRAINTS, INITIALIZERS, REGULARIZERS } from './enums';

type WeightArgs<P extends string> = { [K in `${P}Initializer` | `${P}Regularizer` | `${P}Constraint`]: EnumArgSpec };

/**
 * `prefix` is the TF.js name of the weight ("kernel", "bias", "recurrent", …); `words` is how
 * a student reads it ("weights", "bias numbers"); `initializer` is TF.js's default for it.
 */
export function weightArgs<const P extends string>(prefix: P, words: string, initializer: string): WeightArgs<P> {
  return {
    [`${prefix}Initializer`]: choice(INITIALIZERS, {
      default: initializer,
      label: `${words} start as`,
      advanced: true,
      doc: `How the ${words} are set before training starts.`,
    }),
    [`${prefix}Regularizer`]: choice(REGULARIZERS, {
      default: 'none',
      label: `${words} penalty`,
      advanced: true,
      doc: `A penalty on big ${words}, added to the loss, that helps against memorising.`,
    }),
    [`${prefix}Constraint`]: choice(CONSTRAINTS, {
      default: 'none',
      label: `${words} limit`,
      advanced: true,
      doc: `A rule applied to the ${words} after every training step.`,
    }),
  } as WeightArgs<P>;
}

export function activityRegularizerArg(): { activityRegularizer: EnumArgSpec } {
  return {
    activityRegularizer: choice(REGULARIZERS, {
      default: 'none',
      label: 'output penalty',
      advanced: true,
      doc: "A penalty on big outputs of this layer, added to the loss.",
    }),
  };
}
