/**
 * ModelSpec → Python Keras code that builds the same model: the same layers, shapes,
 * parameter counts and starting-weight recipes. Every layer is printed from its catalogue
 * entry (Keras class, snake_case argument names, enum options' Keras names).
 */
import { getLayer, initializerRecipe, type ArgDefinition } from '../catalog';
import { isInitializerSettings } from '../format/initializer';
import type { ModelSpec } from '../format/model-spec';
import { kerasArgName, snakeCase } from './keras-names';

/**
 * Where the TF.js default (the catalogue's) differs from Keras's, keyed by catalogue
 * argument name: the printed code must say the TF.js value, or Keras would quietly build a
 * different model (Dense and Conv2D start from glorot_uniform in Keras, glorotNormal in TF.js).
 */
const KERAS_DEFAULTS: Readonly<Record<string, unknown>> = {
  kernelInitializer: 'glorotUniform',
  depthwiseInitializer: 'glorotUniform',
  pointwiseInitializer: 'glorotUniform',
  embeddingsInitializer: 'uniform',
  recurrentActivation: 'sigmoid',
  unitForgetBias: true,
};

export function emitKeras(spec: ModelSpec): string {
  const lines = ['from tensorflow import keras', 'from tensorflow.keras import layers', ''];
  const nodes = spec.layers.filter((n) => getLayer(n.type));
  const inputShape = (id: string) => {
    const node = nodes.find((n) => n.id === id);
    const layer = node && getLayer(node.type);
    return pyValue(node?.args.shape ?? layer?.args.find((a) => a.name === 'shape')?.default, true);
  };

  if (spec.kind === 'sequential') {
    lines.push('model = keras.Sequential(', '    [');
    for (const node of nodes) {
      const layer = getLayer(node.type)!;
      if (layer.isInput) lines.push(`        keras.Input(shape=${inputShape(node.id)}),`);
      else lines.push(`        ${layerCall(node.type, node.args)},`);
    }
    lines.push('    ],', `    name=${pyString(spec.name)},`, ')');
  } else {
    const names = new Map<string, string>();
    const counts = new Map<string, number>();
    const nameFor = (nodeId: string, base: string) => {
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      names.set(nodeId, `${base}_${n}`);
      return `${base}_${n}`;
    };
    const refs = (ids: readonly string[]) => {
      const list = ids.map((id) => names.get(id) ?? 'None');
      return list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
    };
    for (const node of nodes) {
      const layer = getLayer(node.type)!;
      if (layer.isInput) lines.push(`${nameFor(node.id, 'inputs')} = keras.Input(shape=${inputShape(node.id)})`);
      else lines.push(`${nameFor(node.id, snakeCase(node.type))} = ${layerCall(node.type, node.args)}(${refs(node.inputs)})`);
    }
    lines.push(`model = keras.Model(inputs=${refs(spec.inputs)}, outputs=${refs(spec.outputs)}, name=${pyString(spec.name)})`);
  }
  lines.push('model.summary()');
  return lines.join('\n') + '\n';
}

function layerCall(type: string, given: Readonly<Record<string, unknown>>): string {
  const layer = getLayer(type)!;
  const wraps = layer.wraps;
  if (!wraps) return classCall(layer.kerasClass, layer.args, given);
  // Keras takes the inner layer first, by position: layers.Bidirectional(layers.LSTM(64), merge_mode="sum").
  const inner = classCall(wraps.inner.kerasClass, wraps.inner.args, given);
  const own = argParts(layer.kerasClass, layer.args.filter((a) => wraps.ownArgs.includes(a.name)), given);
  return `layers.${layer.kerasClass}(${[inner, ...own].join(', ')})`;
}

function classCall(kerasClass: string, args: readonly ArgDefinition[], given: Readonly<Record<string, unknown>>): string {
  return `layers.${kerasClass}(${argParts(kerasClass, args, given).join(', ')})`;
}

/**
 * Keras settings with no TF.js counterpart, printed with the value TF.js builds: TF.js's GRU
 * is Keras's GRU with reset_after=False (Keras's default, True, adds a second bias).
 */
const KERAS_ONLY_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  GRU: ['reset_after=False'],
};

function argParts(kerasClass: string, args: readonly ArgDefinition[], given: Readonly<Record<string, unknown>>): string[] {
  const parts: string[] = [];
  for (const arg of args) {
    const value = given[arg.name] === undefined ? arg.default : given[arg.name];
    const kerasDefault = arg.name in KERAS_DEFAULTS ? KERAS_DEFAULTS[arg.name] : arg.default;
    if (!arg.essential && sameValue(arg, value, kerasDefault)) continue;
    parts.push(`${kerasArgName(kerasClass, arg.name)}=${argValue(arg, value)}`);
  }
  return [...parts, ...(KERAS_ONLY_SETTINGS[kerasClass] ?? [])];
}

/** The Python text of one argument value. */
export function argValue(arg: ArgDefinition, value: unknown): string {
  if (arg.type === 'enum' && isInitializerSettings(value)) {
    // A recipe with settings: keras.initializers.VarianceScaling(scale=0.5, mode="fan_in", distribution="uniform").
    const { kind, ...settings } = value;
    const parts = Object.entries(settings).map(([name, v]) => `${name}=${pyValue(v)}`);
    return `keras.initializers.${initializerRecipe(kind)?.kerasClass ?? kind}(${parts.join(', ')})`;
  }
  if (arg.type === 'enum') {
    const option = arg.options.find((o) => o.value === value);
    if (option && 'tfjs' in option && option.tfjs === null) return 'None';
    return pyString(option?.keras ?? String(value));
  }
  if ((arg.type === 'intOrPair' || arg.type === 'intTuple') && Array.isArray(value) && value.length > 1 && value.every((v) => v === value[0])) {
    return pyValue(value[0]);
  }
  return pyValue(value, arg.type === 'shape' || arg.type === 'intOrPair' || arg.type === 'intTuple' || arg.type === 'intList');
}

function sameValue(arg: ArgDefinition, a: unknown, b: unknown): boolean {
  return argValue(arg, a) === argValue(arg, b);
}

/** Lists print as tuples where Keras expects tuples (shapes, sizes). */
export function pyValue(value: unknown, tuple = false): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => pyValue(v, tuple));
    if (!tuple) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyString(k)}: ${pyValue(v)}`).join(', ')}}`;
  }
  return 'None';
}

/** JSON's escapes are valid Python escapes, so text typed into a block stays inside its string. */
export function pyString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
