/**
 * How catalogue (TF.js, camelCase) argument names map to Keras's Python names. One home for
 * it, because the Keras code printer, the Keras JSON importer/exporter and the command line's
 * catalogue listing must agree.
 */

/**
 * Arguments whose Keras name is not plain snake_case of the TF.js name, keyed by Keras class.
 * Keras 3 renamed a few; the importer accepts every name listed, the exporter writes the first.
 */
const KERAS_ARG_NAMES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  LeakyReLU: { alpha: ['alpha', 'negative_slope'] },
};

/** "kernelSize" → "kernel_size". */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/** The name Keras uses for a catalogue argument of `kerasClass`. */
export function kerasArgName(kerasClass: string, argName: string): string {
  return KERAS_ARG_NAMES[kerasClass]?.[argName]?.[0] ?? snakeCase(argName);
}

/** Every Keras name (old and new) that means this catalogue argument. */
export function kerasArgNames(kerasClass: string, argName: string): readonly string[] {
  return KERAS_ARG_NAMES[kerasClass]?.[argName] ?? [snakeCase(argName)];
}
