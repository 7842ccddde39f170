/**
 * What TF.js calls build a spec's model: factory name and config for each layer, read from
 * the catalogue. Both the code printed for students (./emit-tfjs) and the model the trainer
 * builds (server/training/build-model) come from this one plan, so they can't drift apart.
 */
import { getLayer, initializerRecipe, type ArgDefinition, type LayerDefinition } from '../catalog';
import { isInitializerSettings } from '../format/initializer';
import type { ModelSpec } from '../format/model-spec';

export interface TfjsLayerCall {
  nodeId: string;
  /** Catalogue key, for naming variables. */
  type: string;
  /** Name under tf.layers, e.g. "conv2d". */
  factory: string;
  /** Config object for the factory: essential and non-default arguments only. */
  config: Record<string, unknown>;
  /** Node ids feeding this layer (functional models). */
  inputs: string[];
  /**
   * Wrappers only (Bidirectional): the layer made first and given to `factory` as
   * `config.layer`, which a plain config object can't hold.
   */
  wrapped?: TfjsWrappedLayer;
}

export interface TfjsWrappedLayer {
  factory: string;
  config: Record<string, unknown>;
}

/**
 * A starting-weights recipe with settings, in a layer's config: whoever runs the plan makes it
 * with `tf.initializers[factory](config)` (the code printed for students reads the same).
 */
export class TfjsInitializerCall {
  constructor(
    readonly factory: string,
    readonly config: Readonly<Record<string, unknown>>,
    /**
     * Set where TF.js has no such initializer and `factory` names a function the printed code
     * defines and the trainer has its own copy of (UNTRUNCATED_VARIANCE_SCALING).
     */
    readonly helper = false,
  ) {}
}

/**
 * Keras's VarianceScaling(distribution="untruncated_normal"): TF.js's varianceScaling draws only
 * a truncated bell curve or an even spread, so the printed code defines this function (its
 * source below) and server/training/build-model.ts makes the same initializer. It is TF.js's
 * varianceScaling (so its settings and saved form stay TF.js's) drawing from the whole bell
 * curve, with the spread Keras uses: sqrt(scale / fan), fans counted as TF.js counts them.
 */
export const UNTRUNCATED_VARIANCE_SCALING = 'untruncatedVarianceScaling';
export const UNTRUNCATED_VARIANCE_SCALING_SOURCE = `// TF.js has no VarianceScaling with distribution "untruncated_normal" (Keras has): this one draws it.
function ${UNTRUNCATED_VARIANCE_SCALING}({scale, mode}) {
  const initializer = tf.initializers.varianceScaling({scale, mode, distribution: 'normal'});
  initializer.apply = (shape, dtype) => {
    const field = shape.length > 2 ? shape.slice(0, -2).reduce((a, b) => a * b, 1) : 1;
    const [fanIn, fanOut] = shape.length >= 2 ? [shape[shape.length - 2] * field, shape[shape.length - 1] * field] : [Math.sqrt(shape[0] ?? 1), Math.sqrt(shape[0] ?? 1)];
    const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    return tf.randomNormal(shape, 0, Math.sqrt(scale / Math.max(1, fan)), dtype);
  };
  return initializer;
}`;

export interface TfjsInput {
  nodeId: string;
  shape: unknown;
}

export type TfjsModelPlan =
  | { kind: 'sequential'; layers: TfjsLayerCall[] }
  | { kind: 'functional'; inputs: TfjsInput[]; layers: TfjsLayerCall[]; outputs: string[] };

/**
 * Works on any spec, valid or not (students see the code of a model that still has
 * problems); layers of unknown types are left out. Only validated specs should be built.
 */
export function planTfjsModel(spec: ModelSpec): TfjsModelPlan {
  const inputs: TfjsInput[] = [];
  const layers: TfjsLayerCall[] = [];
  for (const node of spec.layers) {
    const layer = getLayer(node.type);
    if (!layer) continue;
    if (layer.isInput) {
      inputs.push({ nodeId: node.id, shape: node.args.shape ?? layer.args.find((a) => a.name === 'shape')?.default });
      continue;
    }
    if (layer.tfjsFactory === null) continue;
    const call: TfjsLayerCall = { nodeId: node.id, type: node.type, factory: layer.tfjsFactory, config: {}, inputs: [...node.inputs] };
    const wraps = layer.wraps;
    if (wraps && wraps.inner.tfjsFactory) {
      call.config = configOf(layer.args.filter((a) => wraps.ownArgs.includes(a.name)), node.args);
      call.wrapped = { factory: wraps.inner.tfjsFactory, config: configOf(wraps.inner.args, node.args) };
    } else {
      call.config = configOf(layer.args, node.args);
    }
    layers.push(call);
  }

  if (spec.kind === 'functional') return { kind: 'functional', inputs, layers, outputs: [...spec.outputs] };
  // A sequential model has no separate input layer in TF.js: the first layer carries inputShape.
  const first = layers[0];
  const input = inputs[0];
  if (first && input) first.config = { inputShape: input.shape, ...first.config };
  return { kind: 'sequential', layers };
}

/** Essential and non-default arguments only: the code reads as short as the blocks. */
function configOf(args: LayerDefinition['args'], given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const arg of args) {
    const value = given[arg.name] === undefined ? arg.default : given[arg.name];
    if (arg.essential || !sameValue(arg, value, arg.default)) config[arg.name] = simplify(arg, value);
  }
  return config;
}

function simplify(arg: ArgDefinition, value: unknown): unknown {
  if (arg.type === 'intOrPair' && arg.pairOnly) return typeof value === 'number' ? [value, value] : value;
  // 3,3 reads better as 3 and means the same to TF.js.
  if ((arg.type === 'intOrPair' || arg.type === 'intTuple') && Array.isArray(value) && value.length > 1 && value.every((v) => v === value[0])) {
    return value[0];
  }
  return tfjsValue(arg, value);
}

/** The value TF.js is given for an argument: enum options may stand for null or a config object. */
export function tfjsValue(arg: ArgDefinition, value: unknown): unknown {
  if (arg.type !== 'enum') return value;
  if (isInitializerSettings(value)) return initializerCall(value);
  const option = arg.options.find((o) => o.value === value);
  return option && 'tfjs' in option ? option.tfjs : value;
}

function sameValue(arg: ArgDefinition, a: unknown, b: unknown): boolean {
  if (arg.type === 'intOrPair' || arg.type === 'intTuple') return JSON.stringify(simplify(arg, a)) === JSON.stringify(simplify(arg, b));
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** TF.js's factory and config for a recipe: the same setting names as Keras, TF.js's spelling of the choices (fan_in → fanIn). */
function initializerCall(settings: Readonly<Record<string, unknown>> & { kind: string }): TfjsInitializerCall | unknown {
  const recipe = initializerRecipe(settings.kind);
  if (!recipe) return settings;
  const config: Record<string, unknown> = {};
  for (const setting of recipe.settings) {
    const value = settings[setting.name];
    config[setting.name] = setting.options?.find((o) => o.value === value)?.tfjs ?? value;
  }
  if (settings.kind === 'varianceScaling' && settings.distribution === 'untruncated_normal') {
    return new TfjsInitializerCall(UNTRUNCATED_VARIANCE_SCALING, { scale: config.scale, mode: config.mode }, true);
  }
  return new TfjsInitializerCall(recipe.tfjsFactory, config);
}
