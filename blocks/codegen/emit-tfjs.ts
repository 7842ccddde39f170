/**
 * ModelSpec → TF.js source text that builds the same model when run after
 * `import * as tf from '@tensorflow/tfjs'`. Shown read-only next to the blocks.
 */
import type { ModelSpec } from '../format/model-spec';
import { JsCode, commentText, jsLiteral } from './literal';
import { TfjsInitializerCall, UNTRUNCATED_VARIANCE_SCALING_SOURCE, planTfjsModel, type TfjsLayerCall } from './tfjs-plan';

export interface EmitOptions {
  /** Comment lines printed first (without the leading //). */
  comments?: readonly string[];
}

export function emitTfjs(spec: ModelSpec, options: EmitOptions = {}): string {
  const lines = (options.comments ?? []).map((c) => `// ${commentText(c)}`);
  const plan = planTfjsModel(spec);
  // A starting-weights recipe TF.js lacks is a function defined first.
  const configs = plan.layers.flatMap((l) => [l.config, ...(l.wrapped ? [l.wrapped.config] : [])]);
  if (configs.some((c) => Object.values(c).some((v) => v instanceof TfjsInitializerCall && v.helper))) lines.push(UNTRUNCATED_VARIANCE_SCALING_SOURCE, '');
  const factoryCall = (factory: string, config: Record<string, unknown>) =>
    `tf.layers.${factory}(${Object.keys(config).length === 0 ? '' : jsLiteral(withInitializerCode(config))})`;
  const call = (layer: TfjsLayerCall) => {
    if (!layer.wrapped) return factoryCall(layer.factory, layer.config);
    // The inner layer is code, not a value, so it is printed in front of the wrapper's own settings.
    const own = Object.keys(layer.config).length === 0 ? '' : `, ${jsLiteral(withInitializerCode(layer.config)).slice(1, -1)}`;
    return `tf.layers.${layer.factory}({layer: ${factoryCall(layer.wrapped.factory, layer.wrapped.config)}${own}})`;
  };

  if (plan.kind === 'sequential') {
    lines.push('const model = tf.sequential();');
    for (const layer of plan.layers) lines.push(`model.add(${call(layer)});`);
    return lines.join('\n') + '\n';
  }

  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  const nameFor = (nodeId: string, type: string) => {
    const n = (counts.get(type) ?? 0) + 1;
    counts.set(type, n);
    const name = `${type}${n}`;
    names.set(nodeId, name);
    return name;
  };
  const refs = (ids: readonly string[]) => {
    const list = ids.map((id) => names.get(id) ?? 'undefined');
    return list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
  };
  for (const input of plan.inputs) lines.push(`const ${nameFor(input.nodeId, 'input')} = tf.input({shape: ${jsLiteral(input.shape)}});`);
  for (const layer of plan.layers) {
    const name = nameFor(layer.nodeId, layer.type);
    lines.push(`const ${name} = ${call(layer)}.apply(${refs(layer.inputs)});`);
  }
  lines.push(`const model = tf.model({inputs: ${refs(plan.inputs.map((i) => i.nodeId))}, outputs: ${refs(plan.outputs)}});`);
  return lines.join('\n') + '\n';
}

/** Recipes with settings print as the call that makes them: kernelInitializer: tf.initializers.constant({value: 0.3}). */
function withInitializerCode(config: Record<string, unknown>): Record<string, unknown> {
  const printed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const call = value instanceof TfjsInitializerCall ? `${value.helper ? '' : 'tf.initializers.'}${value.factory}(${jsLiteral(value.config)})` : null;
    printed[key] = call === null ? value : new JsCode(call);
  }
  return printed;
}
