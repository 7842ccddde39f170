/**
 * Keras `model.to_json()` (and a Keras 3 `.keras` file's config.json) → ModelSpec, for every
 * dialect format.ts describes: Keras 2.2.4, tf.keras 2.x and Keras 3. export.ts writes back.
 *
 * Every layer is read generically from the catalogue (Keras class, argument names, enum
 * options' Keras identifiers), so a new catalogue file is importable without touching this
 * one. The input is untrusted: sizes are checked before any work, loops are bounded, and the
 * graph is walked without recursion, so a hostile file can't hang or crash the reader.
 */
import { INITIALIZERS, LAYERS, describeInitializer, initializerProblem, type ArgDefinition, type LayerDefinition } from '../catalog';
import type { InitializerValue } from '../format/initializer';
import { kerasArgNames, snakeCase } from '../codegen/keras-names';
import { checkLimits, inferShapes } from '../shapes';
import { branchStepsOf, branchingWorkspace } from '../templates/branching';
import { modelWorkspace } from '../templates/build';
import type { WorkspaceState } from '../format/block-types';
import type { Diagnostic } from '../format/diagnostic';
import { isPlainChain } from '../workspace/from-workspace';
import { SPEC_VERSION, type LayerNode, type ModelSpec } from '../format/model-spec';
import { KERAS_MODEL_CLASSES } from './format';
import { initializerForm, namedInitializer } from './initializers';
import { JsonTooDeep, has, plainJson } from './plain-json';

/** More layers than any model a class trains; far below what the spec schema allows. */
export const MAX_IMPORT_LAYERS = 500;
export const MAX_IMPORT_PARAMS = 5_000_000;
const MAX_NAME_LENGTH = 200;
const MAX_INBOUND = 64;

const MODEL_CLASSES = KERAS_MODEL_CLASSES;

export interface KerasImport {
  /** Null when the file can't become a Layerbook model; diagnostics say why. */
  spec: ModelSpec | null;
  /** Blocks for the spec (a straight stack inside one model block); null with spec. */
  workspace: WorkspaceState | null;
  diagnostics: Diagnostic[];
}

export interface KerasImportOptions {
  maxParams?: number;
}

/** True for anything shaped like model.to_json() output (so it should be read by this file). */
export function isKerasJson(value: unknown): boolean {
  return isRecord(value) && typeof value.class_name === 'string' && isRecord(value.config);
}

/** Thrown inside this module only; becomes the import's one error. */
class ImportProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
    readonly layerName: string | null = null,
  ) {
    super(message);
  }
}

export function importKerasJson(json: unknown, options: KerasImportOptions = {}): KerasImport {
  const warnings: Diagnostic[] = [];
  try {
    const spec = readModel(plainCopy(json), warnings);
    const trace = inferShapes(spec);
    const problems = [
      ...trace.diagnostics,
      ...checkLimits(trace.totalParams, { maxParams: options.maxParams ?? MAX_IMPORT_PARAMS }),
    ].map((d) => (d.code === 'too-many-params' ? { ...d, fix: 'Import a smaller model: fewer units or filters, or more pooling before Flatten.' } : d));
    const diagnostics = [...warnings, ...problems];
    if (problems.some((d) => d.severity === 'error')) return { spec: null, workspace: null, diagnostics };
    return { spec, workspace: workspaceFor(spec), diagnostics };
  } catch (error) {
    if (!(error instanceof ImportProblem)) throw error;
    return {
      spec: null,
      workspace: null,
      diagnostics: [...warnings, { blockId: error.layerName, severity: 'error', code: error.code, message: error.message, fix: error.fix }],
    };
  }
}

function plainCopy(json: unknown): unknown {
  try {
    return plainJson(json);
  } catch (error) {
    if (!(error instanceof JsonTooDeep)) throw error;
    throw new ImportProblem('bad-keras', `This Keras file is ${error.message}; model.to_json() never nests that deep.`, 'Save the model again with model.to_json().');
  }
}

function readModel(json: unknown, warnings: Diagnostic[]): ModelSpec {
  if (!isKerasJson(json) || !isRecord(json)) {
    throw new ImportProblem('not-keras', 'This is not a Keras model file: it needs "class_name" and "config" at the top.', 'Save the model in Python with model.to_json() and import that text.');
  }
  const className = json.class_name as string;
  if (!MODEL_CLASSES.has(className)) {
    throw new ImportProblem(
      'not-a-model',
      `This Keras file describes a ${short(className)}, not a model (Sequential or Model).`,
      'Save the whole model with model.to_json(), not a single layer.',
    );
  }
  const config = json.config as Record<string, unknown>;
  const rawLayers = config.layers;
  if (!Array.isArray(rawLayers)) throw new ImportProblem('bad-keras', 'This Keras file has no list at config.layers.', 'Save the model again with model.to_json().');
  if (rawLayers.length > MAX_IMPORT_LAYERS) {
    throw new ImportProblem('too-many-layers', `This model has ${rawLayers.length} layers; Layerbook imports at most ${MAX_IMPORT_LAYERS}.`, 'Import a smaller model.');
  }
  const name = typeof config.name === 'string' && config.name.trim() !== '' ? config.name.slice(0, MAX_NAME_LENGTH) : 'model';
  if (className === 'Sequential') {
    // A Sequential model built with model.build(shape) keeps the shape beside its layers:
    // build_input_shape (Keras 2), or the model's build_config (Keras 3).
    const builtShape = batchShapeFrom(config.build_input_shape) ?? buildShapeOf(json);
    const layers = applyInputLengths(readSequential(rawLayers, warnings, builtShape));
    return { specVersion: SPEC_VERSION, kind: 'sequential', name, layers, inputs: [layers[0]!.id], outputs: [layers[layers.length - 1]!.id] };
  }
  const graph = readFunctional(config, rawLayers, warnings);
  applyInputLengths(graph.layers);
  return { specVersion: SPEC_VERSION, kind: isPlainChain(graph.layers, graph.outputs) ? 'sequential' : 'functional', name, ...graph };
}

interface RawLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  raw: Record<string, unknown>;
  where: string;
}

function rawLayer(value: unknown, index: number, names: Set<string>): RawLayer {
  const where = `config.layers[${index}]`;
  if (!isRecord(value) || typeof value.class_name !== 'string' || !isRecord(value.config)) {
    throw new ImportProblem('bad-keras', `The layer at ${where} has no "class_name" and "config".`, 'Save the model again with model.to_json().');
  }
  const config = value.config;
  const name = typeof config.name === 'string' ? config.name : typeof value.name === 'string' ? value.name : `layer_${index + 1}`;
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw new ImportProblem('bad-keras', `The layer at ${where} has a name that is empty or longer than ${MAX_NAME_LENGTH} characters.`, 'Rename the layer in Python and save again.');
  }
  if (names.has(name)) {
    throw new ImportProblem('duplicate-layer-name', `Two layers are called "${name}".`, 'Give every layer its own name in Python and save again.', name);
  }
  names.add(name);
  return { className: value.class_name, name, config, raw: value, where };
}

function readSequential(rawLayers: unknown[], warnings: Diagnostic[], builtShape: (number | null)[] | null): LayerNode[] {
  const names = new Set<string>();
  const layers: LayerNode[] = [];
  for (let i = 0; i < rawLayers.length; i++) {
    const raw = rawLayer(rawLayers[i], i, names);
    // Older Keras 2 files have no InputLayer: the first layer carries the input shape.
    if (layers.length === 0 && raw.className !== 'InputLayer') {
      const shape = batchShapeOf(raw.config) ?? buildShapeOf(raw.raw) ?? builtShape;
      if (!shape) {
        throw new ImportProblem(
          'no-input-shape',
          `The first layer "${raw.name}" doesn't say what shape of data goes into the model.`,
          'In Python, start the model with keras.Input(shape=...) and save it again.',
          raw.name,
        );
      }
      const inputId = uniqueName(`${raw.name}_input`, names);
      layers.push({ id: inputId, type: 'input', args: { shape }, inputs: [] });
    }
    const previous = layers[layers.length - 1];
    layers.push(convertLayer(raw, previous ? [previous.id] : [], warnings));
  }
  if (layers.length === 0) throw new ImportProblem('empty-model', 'This Keras model has no layers.', 'Add layers to the model in Python and save it again.');
  return layers;
}

/**
 * A functional model, branches and all: layers in an order where every layer comes after the
 * ones feeding it, which is the order the blocks show them in.
 */
function readFunctional(
  config: Record<string, unknown>,
  rawLayers: unknown[],
  warnings: Diagnostic[],
): { layers: LayerNode[]; inputs: string[]; outputs: string[] } {
  const names = new Set<string>();
  const raws = rawLayers.map((value, i) => rawLayer(value, i, names));
  const byName = new Map(raws.map((r) => [r.name, r]));
  const inboundOf = new Map<string, string[]>();
  for (const raw of raws) {
    const inbound = inboundNames(raw);
    for (const source of inbound) {
      if (!byName.has(source)) {
        throw new ImportProblem(
          'dangling-reference',
          `The layer "${raw.name}" takes its input from "${short(source)}", but there is no layer with that name.`,
          'The file is incomplete or was edited by hand: save the model again with model.to_json().',
          raw.name,
        );
      }
    }
    inboundOf.set(raw.name, inbound);
  }
  const inputNames = endpointNames(config.input_layers, 'input_layers');
  const outputNames = endpointNames(config.output_layers, 'output_layers');
  for (const endpoint of [...inputNames, ...outputNames]) {
    if (!byName.has(endpoint)) {
      throw new ImportProblem('dangling-reference', `The model lists "${short(endpoint)}" as an input or output, but there is no layer with that name.`, 'Save the model again with model.to_json().');
    }
  }
  const order = topologicalOrder(raws, inboundOf);
  const used = new Set(outputNames);
  for (const inbound of inboundOf.values()) for (const source of inbound) used.add(source);
  const layers: LayerNode[] = [];
  for (const raw of order) {
    const node = convertLayer(raw, inboundOf.get(raw.name) ?? [], warnings);
    layers.push(node);
  }
  if (layers.some((l) => !used.has(l.id))) {
    throw new ImportProblem('unused-layers', 'Some layers of this model are not on the way from its input to its output.', 'Remove the unused layers in Python and save again.');
  }
  const declaredInputs = layers.filter((l) => l.type === 'input').map((l) => l.id);
  if (declaredInputs.length !== inputNames.length || inputNames.some((n) => !declaredInputs.includes(n))) {
    throw new ImportProblem('bad-keras', "The model's input_layers don't match its input layers.", 'Save the model again with model.to_json().');
  }
  return { layers, inputs: inputNames, outputs: outputNames };
}

/** Kahn's algorithm: no recursion, and a cycle shows up as layers that never become ready. */
function topologicalOrder(raws: RawLayer[], inboundOf: Map<string, string[]>): RawLayer[] {
  const waiting = new Map(raws.map((r) => [r.name, new Set(inboundOf.get(r.name))]));
  const dependents = new Map<string, string[]>();
  for (const raw of raws) for (const source of inboundOf.get(raw.name) ?? []) dependents.set(source, [...(dependents.get(source) ?? []), raw.name]);
  const byName = new Map(raws.map((r) => [r.name, r]));
  const ready = raws.filter((r) => waiting.get(r.name)!.size === 0).map((r) => r.name);
  const filePosition = new Map(raws.map((r, i) => [r.name, i]));
  const order: RawLayer[] = [];
  while (ready.length > 0) {
    // Of the layers ready to go, the one listed first in the file: a file already in a good
    // order (as Keras and Layerbook write them) keeps it, so the blocks match the code.
    let pick = 0;
    for (let i = 1; i < ready.length; i++) if (filePosition.get(ready[i]!)! < filePosition.get(ready[pick]!)!) pick = i;
    const name = ready.splice(pick, 1)[0]!;
    order.push(byName.get(name)!);
    for (const next of dependents.get(name) ?? []) {
      const left = waiting.get(next)!;
      left.delete(name);
      if (left.size === 0) ready.push(next);
    }
  }
  if (order.length < raws.length) {
    const stuck = raws.filter((r) => !order.includes(r)).map((r) => `"${r.name}"`);
    throw new ImportProblem(
      'cycle',
      `The layers ${stuck.slice(0, 5).join(', ')} feed into each other in a circle, so there is no first layer to start from.`,
      'A model must run from input to output without loops: save it again with model.to_json().',
      order.length < raws.length ? raws.find((r) => !order.includes(r))!.name : null,
    );
  }
  return order;
}

/** Names of the layers feeding `raw`, from Keras 2 ([[[name, 0, 0, {}]]]) or Keras 3 ({args: [keras tensor]}) nodes. */
function inboundNames(raw: RawLayer): string[] {
  const nodes = raw.raw.inbound_nodes;
  if (nodes === undefined || (Array.isArray(nodes) && nodes.length === 0)) return [];
  if (!Array.isArray(nodes)) throw badInbound(raw);
  if (nodes.length > 1) {
    throw new ImportProblem('shared-layer', `The layer "${raw.name}" is used more than once in the model (a shared layer).`, 'Layerbook models use each layer once: give each use its own layer in Python.', raw.name);
  }
  const node = nodes[0];
  const names: string[] = [];
  const add = (name: unknown) => {
    if (typeof name !== 'string') throw badInbound(raw);
    if (names.length >= MAX_INBOUND) throw badInbound(raw);
    names.push(name);
  };
  if (Array.isArray(node)) {
    for (const entry of node.slice(0, MAX_INBOUND + 1)) add(Array.isArray(entry) ? entry[0] : undefined);
  } else if (isRecord(node) && Array.isArray(node.args)) {
    // Keras 3: each argument is a tensor (or a list of tensors, for Add/Concatenate).
    for (const arg of node.args.slice(0, MAX_INBOUND + 1)) {
      const tensors = Array.isArray(arg) ? arg.slice(0, MAX_INBOUND + 1) : [arg];
      for (const tensor of tensors) {
        const history = isRecord(tensor) && isRecord(tensor.config) ? tensor.config.keras_history : undefined;
        add(Array.isArray(history) ? history[0] : undefined);
      }
    }
  } else {
    throw badInbound(raw);
  }
  return names;
}

function badInbound(raw: RawLayer): ImportProblem {
  return new ImportProblem('bad-keras', `The connections ("inbound_nodes") of the layer "${raw.name}" can't be read.`, 'Save the model again with model.to_json().', raw.name);
}

/** input_layers/output_layers: [[name, 0, 0], …], or Keras 3's [name, 0, 0] for a single one. */
function endpointNames(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new ImportProblem('bad-keras', `This Keras model has no list at config.${field}.`, 'Save the model again with model.to_json().');
  if (typeof value[0] === 'string') return [value[0]];
  return value.slice(0, MAX_INBOUND + 1).map((entry) => {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') {
      throw new ImportProblem('bad-keras', `An entry of config.${field} can't be read.`, 'Save the model again with model.to_json().');
    }
    return entry[0];
  });
}

/**
 * Keras settings Layerbook has no block setting for, and the values at which they change
 * nothing about the model: accepted silently there, refused (naming them) anywhere else.
 */
const NEUTRAL_VALUES: ReadonlyMap<string, (value: unknown) => boolean> = new Map<string, (value: unknown) => boolean>([
  ['name', () => true],
  ['trainable', (v) => v === true],
  ['dtype', (v) => isFloat32(v)],
  ['batch_input_shape', () => true],
  ['batch_shape', () => true],
  ['input_shape', () => true],
  ['sparse', (v) => v === false],
  ['ragged', (v) => v === false],
  ['data_format', (v) => v === 'channels_last'],
  ['groups', (v) => v === 1],
  // A seed picks the random numbers, not the model.
  ['seed', () => true],
  ['noise_shape', (v) => v === null],
  ['axis', (v) => v === -1 || (Array.isArray(v) && v.length === 1 && v[0] === -1)],
  ['keepdims', (v) => v === false],
  // How TensorFlow lays out a recurrent layer's work; TF.js ignores it, the numbers are the same.
  ['implementation', (v) => v === 0 || v === 1 || v === 2],
  ['time_major', (v) => v === false],
  ['return_state', (v) => v === false],
  ['stateful', (v) => v === false],
  ['zero_output_for_mask', (v) => v === false],
  ['reset_after', (v) => v === false],
  ['synchronized', (v) => v === false],
  ['output_padding', (v) => v === null],
  ['lora_rank', (v) => v === null],
]);

/** What to do about a setting that would change the model, where there is more to say than "remove it". */
const SETTING_FIXES: ReadonlyMap<string, string> = new Map([
  ['reset_after', 'TF.js, which trains Layerbook models, has only the GRU of reset_after=False (it has fewer bias numbers): in Python, build the GRU with reset_after=False and save again.'],
  ['dtype', 'Layerbook models compute in float32: remove the dtype or mixed-precision policy in Python and save again.'],
  ['return_state', 'Layerbook layers have one output: use return_sequences instead, or remove return_state in Python and save again.'],
  ['stateful', 'Layerbook trains on shuffled batches, where a memory kept between batches means nothing: use stateful=False in Python and save again.'],
]);

function isFloat32(value: unknown): boolean {
  if (value === 'float32' || value === null) return true;
  // Keras 3: {"class_name": "DTypePolicy", "config": {"name": "float32"}}.
  return isRecord(value) && isRecord(value.config) && value.config.name === 'float32';
}

function convertLayer(raw: RawLayer, inputs: string[], _warnings: Diagnostic[]): LayerNode {
  if (raw.className === 'Lambda') {
    throw new ImportProblem(
      'lambda-layer',
      `The layer "${raw.name}" is a Lambda layer: it holds Python code, which Layerbook can't read or run.`,
      'Replace the Lambda layer with built-in Keras layers and save the model again.',
      raw.name,
    );
  }
  if (MODEL_CLASSES.has(raw.className)) {
    throw new ImportProblem('nested-model', `The layer "${raw.name}" is a whole model inside the model.`, 'Put its layers directly into the outer model in Python and save again.', raw.name);
  }
  const layer = findLayer(raw);
  const args: Record<string, unknown> = {};
  const used = new Set<string>();
  if (layer.isInput) {
    const shape = batchShapeOf(raw.config);
    if (!shape) throw new ImportProblem('no-input-shape', `The input layer "${raw.name}" has no shape.`, 'In Python, give keras.Input a shape and save the model again.', raw.name);
    args.shape = shape;
    // Word numbers come in as whole numbers (int32); that is the same model.
    if (typeof raw.config.dtype === 'string' && /^u?int(8|16|32|64)$|^float(16|32|64)$/.test(raw.config.dtype)) used.add('dtype');
  }
  const inputLength = raw.className === 'Embedding' && has(raw.config, 'input_length') ? raw.config.input_length : null;
  if (raw.className === 'Embedding' && has(raw.config, 'input_length')) used.add('input_length');
  const wraps = layer.wraps;
  const ownArgs = layer.args.filter((arg) => !(layer.isInput && arg.name === 'shape') && (!wraps || wraps.ownArgs.includes(arg.name)));
  for (const key of readArgs(ownArgs, layer.kerasClass, raw.config, raw, args)) used.add(key);
  const innerRefused: string[] = [];
  if (wraps) {
    // findLayer checked that config.layer is the inner layer's {class_name, config}.
    const inner = raw.config.layer as { class_name: string; config: Record<string, unknown> };
    used.add('layer');
    // Keras 3 also writes out the backward copy it makes itself from the same layer.
    const backward = raw.config.backward_layer;
    if (isRecord(backward) && backward.class_name === inner.class_name) used.add('backward_layer');
    const innerUsed = readArgs(wraps.inner.args, wraps.inner.kerasClass, inner.config, raw, args);
    innerRefused.push(...refusedSettings(inner.config, innerUsed).map((key) => `layer.${key}`));
  }
  if (raw.config.data_format === 'channels_first') {
    throw new ImportProblem(
      'channels-first',
      `The layer "${raw.name}" expects images with the colour channels first; Layerbook's layers want them last.`,
      'Use data_format="channels_last" (the Keras default) in Python and save again.',
      raw.name,
    );
  }
  const refused = [...refusedSettings(raw.config, used), ...innerRefused];
  if (refused.length > 0) {
    const shown = refused.slice(0, 6).map((key) => `${short(key)}=${short(JSON.stringify(settingValue(raw.config, key)) ?? 'undefined')}`);
    const fix = refused.map((key) => SETTING_FIXES.get(key.replace(/^layer\./, ''))).find((f) => f !== undefined);
    throw new ImportProblem(
      'unsupported-setting',
      `The ${layer.label} layer "${raw.name}" has ${refused.length === 1 ? 'a setting' : 'settings'} that would change the model and that Layerbook has no block setting for: ${shown.join(', ')}${refused.length > 6 ? ', …' : ''}.`,
      fix ?? `In Python, remove ${refused.length === 1 ? 'it' : 'them'} (or set ${refused.length === 1 ? 'it' : 'them'} to the Keras default) and save the model again.`,
      raw.name,
    );
  }
  const node: LayerNode = { id: raw.name, type: layer.key, args, inputs };
  if (inputLength !== null) INPUT_LENGTHS.set(node, { lengths: Array.isArray(inputLength) ? inputLength : [inputLength], layerName: raw.name });
  return node;
}

/** Embedding's input_length, kept until the whole model is read (it says how long the Input's sequences are). */
const INPUT_LENGTHS = new WeakMap<LayerNode, { lengths: unknown[]; layerName: string }>();

/**
 * Keras 2 Embedding(input_length=80) fixes the sequence length even when the Input leaves it
 * open, as TF.js does when it builds the model: the Input block gets that length. A length
 * that contradicts the Input's is refused.
 */
function applyInputLengths(layers: LayerNode[]): LayerNode[] {
  const byId = new Map(layers.map((l) => [l.id, l]));
  for (const layer of layers) {
    const given = INPUT_LENGTHS.get(layer);
    if (!given) continue;
    const source = byId.get(layer.inputs[0] ?? '');
    const shape = source?.type === 'input' && Array.isArray(source.args.shape) ? [...(source.args.shape as (number | null)[])] : null;
    if (!shape) continue;
    given.lengths.forEach((length, i) => {
      if (length === null || i >= shape.length) return;
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) {
        throw new ImportProblem('bad-keras', `The Embedding layer "${given.layerName}" has an input_length that is not a whole number.`, 'Set input_length to the length of the sequences (or remove it) in Python and save again.', given.layerName);
      }
      if (shape[i] !== null && shape[i] !== length) {
        throw new ImportProblem(
          'input-length-mismatch',
          `The Embedding layer "${given.layerName}" says its sequences are ${length} long (input_length), but the model's input says ${shape[i]}.`,
          'Make input_length and the Input shape agree in Python (or remove input_length) and save again.',
          given.layerName,
        );
      }
      shape[i] = length;
    });
    source!.args = { ...source!.args, shape };
  }
  return layers;
}

function settingValue(config: Record<string, unknown>, key: string): unknown {
  if (!key.startsWith('layer.')) return config[key];
  const inner = config.layer;
  return isRecord(inner) && isRecord(inner.config) ? inner.config[key.slice('layer.'.length)] : undefined;
}

/** The catalogue layer for a Keras layer; a wrapper (Bidirectional) is told apart by the layer inside it. */
function findLayer(raw: RawLayer): LayerDefinition {
  const candidates = LAYERS.filter((l) => l.kerasClass === raw.className);
  if (candidates.length === 0) {
    throw new ImportProblem(
      'unknown-layer',
      `The layer "${raw.name}" is a ${short(raw.className)}, which Layerbook doesn't have (yet).`,
      `Replace it with one of: ${[...new Set(LAYERS.map((l) => l.kerasClass))].join(', ')}.`,
      raw.name,
    );
  }
  const wrappers = candidates.filter((l) => l.wraps);
  if (wrappers.length === 0) return candidates[0]!;
  const inner = raw.config.layer;
  const innerClass = isRecord(inner) && isRecord(inner.config) && typeof inner.class_name === 'string' ? inner.class_name : null;
  const found = wrappers.find((l) => l.wraps!.inner.kerasClass === innerClass);
  if (!found) {
    throw new ImportProblem(
      'unknown-layer',
      innerClass === null
        ? `The ${short(raw.className)} layer "${raw.name}" has no layer inside it that can be read.`
        : `The layer "${raw.name}" is a ${short(raw.className)} around a ${short(innerClass)}, which Layerbook doesn't have (yet).`,
      `Put one of these inside the ${short(raw.className)}: ${wrappers.map((l) => l.wraps!.inner.kerasClass).join(', ')}.`,
      raw.name,
    );
  }
  return found;
}

/** Reads `args` from a Keras config into `into`; returns the Keras keys it used. */
function readArgs(args: readonly ArgDefinition[], kerasClass: string, config: Record<string, unknown>, raw: RawLayer, into: Record<string, unknown>): Set<string> {
  const used = new Set<string>();
  for (const arg of args) {
    for (const kerasName of kerasArgNames(kerasClass, arg.name)) {
      if (!has(config, kerasName)) continue;
      used.add(kerasName);
      into[arg.name] = fromKeras(arg, config[kerasName], raw, kerasName);
    }
  }
  return used;
}

/** Keras settings that were not read and would change the model (unknown keys included). */
function refusedSettings(config: Record<string, unknown>, used: ReadonlySet<string>): string[] {
  return Object.keys(config).filter((key) => {
    if (used.has(key)) return false;
    const value = config[key];
    const neutral = NEUTRAL_VALUES.get(key);
    if (neutral) return !neutral(value);
    // Settings Keras writes as None when unused (activity_regularizer, constraints…).
    return value !== null;
  });
}

/** Keras value → catalogue value. Range checks are left to the shape checker, which words them for blocks. */
function fromKeras(arg: ArgDefinition, value: unknown, raw: RawLayer, kerasName: string): unknown {
  if (arg.type === 'enum' && arg.options === INITIALIZERS) return initializerFromKeras(value, raw, kerasName);
  if (arg.type === 'enum') {
    // Keras 3 and tf.keras write some options as {class_name: "L1L2", config: {...}}.
    const id = isRecord(value) && typeof value.class_name === 'string' ? snakeCase(value.class_name) : value;
    // null (Python None) is the option TF.js is given null for, e.g. "no regularizer".
    const option =
      id === null
        ? arg.options.find((o) => 'tfjs' in o && o.tfjs === null)
        : arg.options.find((o) => o.keras === id || o.value === id || o.keras === String(id).toLowerCase());
    if (!option) {
      throw new ImportProblem(
        'unknown-option',
        `The layer "${raw.name}" uses ${kerasName}=${short(JSON.stringify(id) ?? String(id))}, which Layerbook doesn't have.`,
        `Use one of: ${arg.options.map((o) => o.keras).join(', ')}.`,
        raw.name,
      );
    }
    return option.value;
  }
  if (arg.type === 'intOrPair' && Array.isArray(value) && value.length === 1) return value[0];
  // tf.keras 2 writes BatchNormalization's axis as a list once built: [3].
  if (arg.type === 'int' && Array.isArray(value) && value.length === 1) return value[0];
  return value;
}

/**
 * A named option where one starts weights the same way (Keras 2.2.4's VarianceScaling(1, fan_avg,
 * uniform) is "glorotUniform"), the recipe with its settings otherwise (a settings block).
 */
function initializerFromKeras(value: unknown, raw: RawLayer, kerasName: string): InitializerValue {
  const form = initializerForm(value);
  const weights = `${kerasName.replace(/_initializer$/, '').replace(/_/g, ' ')} weights`;
  if ('unreadable' in form) {
    throw new ImportProblem(
      'unsupported-initializer',
      `The layer "${raw.name}" starts its ${weights} with an initializer that can't be read (${form.unreadable}).`,
      form.fix ?? `In Python, use a Keras initializer for ${kerasName} (for example "glorot_uniform") and save the model again.`,
      raw.name,
    );
  }
  const named = namedInitializer(form);
  if (named !== null) return named;
  const problem = initializerProblem(form);
  if (problem) {
    throw new ImportProblem(
      'unsupported-initializer',
      `The layer "${raw.name}" starts its ${weights} with ${describeInitializer(form)}, whose ${problem.setting ?? 'settings'} ${problem.must}.`,
      `In Python, fix the settings of ${kerasName} (or use a named initializer such as "glorot_uniform") and save the model again.`,
      raw.name,
    );
  }
  return form;
}

/** The sample shape (batch size left out) wherever an input layer keeps it, in any dialect. */
function batchShapeOf(config: Record<string, unknown>): (number | null)[] | null {
  const batch = batchShapeFrom(has(config, 'batch_input_shape') ? config.batch_input_shape : config.batch_shape);
  if (batch) return batch;
  // Keras 3's InputLayer can also carry `shape` without the batch size.
  if (Array.isArray(config.shape)) return shapeNumbers(config.shape);
  return null;
}

function buildShapeOf(raw: Record<string, unknown>): (number | null)[] | null {
  const build = raw.build_config;
  return isRecord(build) ? batchShapeFrom(build.input_shape) : null;
}

/** [None, 28, 28, 1] → [28, 28, 1]; null for anything else (a list of shapes, a missing one). */
function batchShapeFrom(value: unknown): (number | null)[] | null {
  if (!Array.isArray(value) || value.length < 2 || value.some((d) => Array.isArray(d))) return null;
  return shapeNumbers(value.slice(1));
}

function shapeNumbers(dims: unknown[]): (number | null)[] | null {
  if (dims.length > 8) return null;
  // Open sizes (None) stay null: the Input block reads them as "any". Anything else that isn't
  // a whole number is left for the shape validator, which words the problem for a student.
  return dims as (number | null)[];
}

function uniqueName(base: string, names: Set<string>): string {
  let name = base;
  for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
  names.add(name);
  return name;
}

function workspaceFor(spec: ModelSpec): WorkspaceState {
  if (spec.kind === 'functional') return branchingWorkspace('keras', spec.name, branchStepsOf(spec));
  return modelWorkspace(
    'keras',
    spec.name,
    spec.layers.map((l) => ({ key: l.type, args: l.args })),
  );
}

/** Keeps a hostile name from flooding a message. */
function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

