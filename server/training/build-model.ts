/**
 * ModelSpec → tf.LayersModel through the catalogue's TF.js plan (factory name + config per
 * layer) — the same plan the code shown to students is printed from, and never by running
 * code text. The spec is checked again here because specs also come from the database.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { TfjsInitializerCall, UNTRUNCATED_VARIANCE_SCALING, planTfjsModel, type TfjsLayerCall } from '../../blocks/codegen/tfjs-plan';
import { DEFAULT_MAX_PARAMS, compileSpec } from '../../blocks/compile';
import type { ModelSpec } from '../../blocks/format/model-spec';

type Tf = typeof tfjs;
type Initializer = ReturnType<Tf['initializers']['constant']>;
type LayerFactory = (config: Record<string, unknown>) => tfjs.layers.Layer;

export class InvalidModelError extends Error {
  override name = 'InvalidModelError';
}

export interface BuildOptions {
  /** Refuse bigger models before allocating any weights. */
  maxParams?: number;
}

export function buildModel(tf: Tf, spec: ModelSpec, options: BuildOptions = {}): tfjs.LayersModel {
  const checked = compileSpec(spec, { maxParams: options.maxParams ?? DEFAULT_MAX_PARAMS });
  if (!checked.spec) {
    const problems = checked.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.message} ${d.fix}`);
    throw new InvalidModelError(`This model can't be built: ${problems.join(' | ')}`);
  }
  const plan = planTfjsModel(checked.spec);
  const factory = (name: string): LayerFactory => {
    const fn = (tf.layers as unknown as Record<string, LayerFactory | undefined>)[name];
    if (typeof fn !== 'function') throw new InvalidModelError(`TF.js has no layer factory tf.layers.${name}.`);
    return fn;
  };
  // Recipes with settings become TF.js initializers, as the printed code makes them.
  const initializer = (call: TfjsInitializerCall): Initializer => {
    if (call.helper && call.factory === UNTRUNCATED_VARIANCE_SCALING) return untruncatedVarianceScaling(tf, call.config as { scale: number; mode: FanMode });
    const fn = (tf.initializers as unknown as Record<string, ((config: unknown) => Initializer) | undefined>)[call.factory];
    if (typeof fn !== 'function') throw new InvalidModelError(`TF.js has no initializer tf.initializers.${call.factory}.`);
    return fn({ ...call.config });
  };
  const withInitializers = (config: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(config).map(([key, value]) => [key, value instanceof TfjsInitializerCall ? initializer(value) : value]));
  const make = (call: TfjsLayerCall): tfjs.layers.Layer => {
    const inner = call.wrapped && factory(call.wrapped.factory)(withInitializers(call.wrapped.config));
    const config = withInitializers(call.config);
    return factory(call.factory)(inner ? { layer: inner, ...config } : config);
  };

  if (plan.kind === 'sequential') {
    const model = tf.sequential();
    for (const layer of plan.layers) model.add(make(layer));
    return model;
  }

  const tensors = new Map<string, tfjs.SymbolicTensor>();
  for (const input of plan.inputs) tensors.set(input.nodeId, tf.input({ shape: input.shape as number[] }));
  for (const layer of plan.layers) {
    const inputs = layer.inputs.map((id) => tensors.get(id)!);
    const output = make(layer).apply(inputs.length === 1 ? inputs[0]! : inputs);
    tensors.set(layer.nodeId, output as tfjs.SymbolicTensor);
  }
  const pick = (ids: readonly string[]) => ids.map((id) => tensors.get(id)!);
  return tf.model({ inputs: pick(plan.inputs.map((i) => i.nodeId)), outputs: pick(plan.outputs) });
}

type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/**
 * Keras's VarianceScaling(distribution="untruncated_normal"), which TF.js lacks: the same as the
 * function the printed code defines (UNTRUNCATED_VARIANCE_SCALING_SOURCE in blocks/codegen/tfjs-plan.ts).
 */
function untruncatedVarianceScaling(tf: Tf, { scale, mode }: { scale: number; mode: FanMode }): Initializer {
  const initializer = tf.initializers.varianceScaling({ scale, mode, distribution: 'normal' });
  initializer.apply = (weightShape, dtype) => {
    // Weight shapes are always known numbers (only data shapes have open sizes).
    const shape = weightShape as number[];
    const field = shape.length > 2 ? shape.slice(0, -2).reduce((a, b) => a * b, 1) : 1;
    const [fanIn, fanOut] = shape.length >= 2 ? [shape[shape.length - 2]! * field, shape[shape.length - 1]! * field] : [Math.sqrt(shape[0] ?? 1), Math.sqrt(shape[0] ?? 1)];
    const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    return tf.randomNormal(shape, 0, Math.sqrt(scale / Math.max(1, fan)), dtype as 'float32' | undefined);
  };
  return initializer;
}
