/**
 * ModelSpec → Keras JSON in the tf.keras 2 form (`Functional`/`Sequential`, InputLayer with
 * `batch_input_shape`), which Keras 2, Keras 3 and TF.js's `tf.models.modelFromJSON` all load.
 * Every layer is written generically from the catalogue, like the importer reads it.
 */
import { getLayer, initializerRecipe, type ArgDefinition } from '../catalog';
import { isInitializerSettings } from '../format/initializer';
import { kerasArgName, snakeCase } from '../codegen/keras-names';
import type { ModelSpec } from '../format/model-spec';
import type { KerasEndpoint, KerasLayerBaseConfig, KerasLayerJson, KerasModelJson } from './format';

/** ModelSpec → Keras 2 model JSON (what tf.keras's model.to_json() writes), loadable by Keras and TF.js. */
export function exportKerasJson(spec: ModelSpec): KerasModelJson {
  const layers: KerasLayerJson[] = [];
  const functional = spec.kind === 'functional';
  const nameOf = kerasLayerNames(spec);
  for (const node of spec.layers) {
    const layer = getLayer(node.type);
    if (!layer) throw new Error(`Layerbook doesn't know the layer type "${node.type}", so it can't be exported.`);
    const config: KerasLayerBaseConfig = { name: nameOf(node.id), trainable: true, dtype: 'float32' };
    if (layer.isInput) {
      // An open size ("any") is Keras's None: batch_input_shape [null, null] for text of any length.
      config.batch_input_shape = [null, ...((node.args.shape ?? layer.args.find((a) => a.name === 'shape')?.default) as (number | null)[])];
    } else if (layer.wraps) {
      const wraps = layer.wraps;
      writeArgs(layer.args.filter((a) => wraps.ownArgs.includes(a.name)), layer.kerasClass, node.args, config);
      const innerConfig = writeArgs(wraps.inner.args, wraps.inner.kerasClass, node.args, { name: `${nameOf(node.id)}_${snakeCase(wraps.inner.key)}`, trainable: true, dtype: 'float32' });
      config.layer = { class_name: wraps.inner.kerasClass, config: innerConfig };
    } else {
      writeArgs(layer.args, layer.kerasClass, node.args, config);
    }
    const entry: KerasLayerJson = { class_name: layer.kerasClass, config };
    if (functional) {
      entry.name = nameOf(node.id);
      entry.inbound_nodes = node.inputs.length === 0 ? [] : [node.inputs.map((id) => [nameOf(id), 0, 0, {}])];
    }
    layers.push(entry);
  }
  const config = functional
    ? { name: spec.name, layers, input_layers: spec.inputs.map((id): KerasEndpoint => [nameOf(id), 0, 0]), output_layers: spec.outputs.map((id): KerasEndpoint => [nameOf(id), 0, 0]) }
    : { name: spec.name, layers };
  return { class_name: functional ? 'Functional' : 'Sequential', config, keras_version: '2.15.0', backend: 'tensorflow' };
}

/**
 * Layer names Keras accepts (letters, digits, _ . -; Keras 3 refuses "/"), one per block id.
 * Block ids are Blockly's random ids or `use/inner` paths of made blocks, so both can hold
 * other characters; a clash after cleaning gets a numbered suffix.
 */
function kerasLayerNames(spec: ModelSpec): (id: string) => string {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const { id } of spec.layers) {
    const base = id.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[^A-Za-z]/, 'layer_$&');
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    names.set(id, name);
  }
  return (id) => names.get(id) ?? id;
}

function writeArgs(args: readonly ArgDefinition[], kerasClass: string, given: Readonly<Record<string, unknown>>, config: Record<string, unknown>): Record<string, unknown> {
  for (const arg of args) {
    const value = given[arg.name] === undefined ? arg.default : given[arg.name];
    config[kerasArgName(kerasClass, arg.name)] = toKeras(arg, value);
  }
  return config;
}

function toKeras(arg: ArgDefinition, value: unknown): unknown {
  if (arg.type === 'enum' && isInitializerSettings(value)) {
    // A recipe with settings: Keras's own class and config, e.g. {"class_name": "Constant", "config": {"value": 0.3}}.
    const { kind, ...config } = value;
    return { class_name: initializerRecipe(kind)?.kerasClass ?? kind, config };
  }
  if (arg.type === 'enum') {
    const option = arg.options.find((o) => o.value === value);
    if (!option) return value;
    if ('tfjs' in option) {
      // Where TF.js has no name for the option, write the config object it is given, in Keras's spelling.
      const tfjs = option.tfjs as { className?: string; config?: unknown } | null;
      return tfjs === null || typeof tfjs !== 'object' ? tfjs : { class_name: tfjs.className, config: tfjs.config };
    }
    return option.keras;
  }
  // Keras writes sizes as lists: kernel_size [3, 3].
  if (arg.type === 'intOrPair' && typeof value === 'number') return [value, value];
  return value;
}
