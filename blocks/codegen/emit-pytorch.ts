/**
 * ModelSpec → a PyTorch nn.Module with the same layers, shapes and parameter counts. Sizes
 * PyTorch needs up front (in_features, in_channels, "same" padding) come from the shape trace.
 * Per-layer printing lives in ./pytorch/layers.ts.
 */
import { getLayer, type Dim, type LayerDefinition } from '../catalog';
import { inferShapes, resolveArgs } from '../shapes';
import type { ModelSpec } from '../format/model-spec';
import { pyString } from './emit-keras';
import { TORCH_LAYERS, type Layout } from './pytorch/layers';
import { snakeCase } from './keras-names';

export interface PytorchExport {
  code: string;
  /** Keras classes (with the layer id) the export can't write yet; the code raises NotImplementedError there. */
  unsupported: { id: string; className: string }[];
}

export function emitPytorch(spec: ModelSpec): string {
  return exportPytorch(spec).code;
}

export function exportPytorch(spec: ModelSpec): PytorchExport {
  const trace = inferShapes(spec);
  const shapes = new Map(trace.layers.map((l) => [l.id, l.outputShape?.slice(1) ?? null]));
  const unsupported: PytorchExport['unsupported'] = [];
  const init: string[] = [];
  const forward: string[] = [];
  const counts = new Map<string, number>();
  let layout: Layout = 'channels-last';
  let rank = 0;

  const convert = (to: Layout) => {
    if (rank !== 3 || layout === to) return;
    forward.push(to === 'channels-first' ? 'x = x.permute(0, 3, 1, 2)  # to N,C,H,W' : 'x = x.permute(0, 2, 3, 1)  # back to N,H,W,C (Keras order)');
    layout = to;
  };

  if (spec.kind === 'functional') {
    const graph = graphForward(spec, shapes, unsupported, init);
    return { code: moduleCode(spec, shapes, unsupported, init, graph), unsupported };
  }
  for (const node of spec.layers) {
    const layer = getLayer(node.type);
    if (!layer) continue;
    const inShape = node.inputs[0] !== undefined ? shapes.get(node.inputs[0]) : null;
    const outShape = shapes.get(node.id) ?? null;
    if (layer.isInput) {
      rank = outShape?.length ?? 0;
      continue;
    }
    const mapping = TORCH_LAYERS[node.type];
    const { args } = resolveArgs(layer, node.args, node.id);
    if (!mapping || !args || !inShape || !outShape || (mapping.supports && !mapping.supports(inShape))) {
      markUnsupported(node.id, kerasName(layer), { init, forward, unsupported });
      continue;
    }
    if (mapping.wants !== 'any') convert(mapping.wants);
    const ctx = { attr: nextName(counts, node.type), args, inShape, outShape, layout };
    init.push(...mapping.init(ctx));
    forward.push(...mapping.forward(ctx));
    rank = outShape.length;
  }
  // Outputs come back in Keras order, so they compare one-to-one with the TF.js model.
  convert('channels-last');

  forward.push('return x');
  return { code: moduleCode(spec, shapes, unsupported, init, { parameters: ['x'], lines: forward }), unsupported };
}

interface Forward {
  /** Names of forward()'s arguments after self, one per model input. */
  parameters: string[];
  /** Body lines, ending with the return. */
  lines: string[];
}

function moduleCode(spec: ModelSpec, shapes: Map<string, Dim[] | null>, unsupported: PytorchExport['unsupported'], init: string[], forward: Forward): string {
  const inputShapes = spec.inputs.map((id) => `(batch, ${(shapes.get(id) ?? []).map(dimText).join(', ')})`);
  const className = pythonClassName(spec.name);
  const lines = [
    'import torch',
    'from torch import nn',
    'import torch.nn.functional as F',
    '',
    '',
    ...unsupported.map((u) => `# Not available in PyTorch export yet: ${commentSafe(u.className)} (${commentSafe(u.id)})`),
    `class ${className}(nn.Module):`,
    `    """${commentSafe(spec.name).replace(/"/g, "'").replace(/\\/g, '/')}: the same layers as the Layerbook model.`,
    '',
    `    Takes ${inputShapes.length > 1 ? `inputs shaped ${inputShapes.join(' and ')}` : `input shaped ${inputShapes[0] ?? '(batch, )'}`} in Keras/TF.js order. Image`,
    '    layers in PyTorch want channels first, so forward() permutes to N,C,H,W once and',
    '    back to N,H,W,C before Flatten, so the numbers are in the same order as in Keras.',
    '    BatchNorm running mean/variance are buffers here; Keras counts them as parameters.',
    '    """',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length > 0 ? init.map((l) => `        ${l}`) : ['        pass']),
    '',
    `    def forward(self, ${forward.parameters.join(', ')}):`,
    ...forward.lines.map((l) => `        ${l}`),
    '',
    '',
    `model = ${className}()`,
    'print(model)',
  ];
  return lines.join('\n') + '\n';
}

interface Output {
  init: string[];
  forward: string[];
  unsupported: PytorchExport['unsupported'];
}

/** Bidirectional(LSTM) rather than just Bidirectional, so the note names the layer the student chose. */
function kerasName(layer: LayerDefinition): string {
  return layer.wraps ? `${layer.kerasClass}(${layer.wraps.inner.kerasClass})` : layer.kerasClass;
}

function markUnsupported(id: string, className: string, out: Output): void {
  out.unsupported.push({ id, className });
  out.init.push(`# ${className} (${commentSafe(id)}): not available in PyTorch export yet`);
  out.forward.push(`raise NotImplementedError(${pyString(`${className} is not available in PyTorch export yet`)})`);
}

/** conv2d_1, conv2d_2, …: module attribute and variable names, numbered per layer type. */
function nextName(counts: Map<string, number>, type: string): string {
  const base = snakeCase(type);
  const n = (counts.get(base) ?? 0) + 1;
  counts.set(base, n);
  return `${base}_${n}`;
}

interface GraphValue {
  name: string;
  layout: Layout;
  rank: number;
}

const TO_CHANNELS_FIRST = '.permute(0, 3, 1, 2)';
/** Merges that combine inputs number by number, so any layout works as long as all inputs share it. */
const ELEMENTWISE_MERGES = new Set(['add', 'multiply', 'average', 'maximum', 'minimum']);
const TO_KERAS_ORDER = '.permute(0, 2, 3, 1)';

/** The value in Keras order (channels last), as merges and outputs must see it. */
function kerasOrder(value: GraphValue): string {
  return value.rank === 3 && value.layout === 'channels-first' ? `${value.name}${TO_KERAS_ORDER}` : value.name;
}

/**
 * forward() for a model with branches: one variable per layer output, each single-input layer
 * written exactly as in a stack (through `x`), merges as tensor expressions in Keras order.
 */
function graphForward(spec: ModelSpec, shapes: Map<string, Dim[] | null>, unsupported: PytorchExport['unsupported'], init: string[]): Forward {
  const forward: string[] = [];
  const out: Output = { init, forward, unsupported };
  const values = new Map<string, GraphValue>();
  const counts = new Map<string, number>();
  const parameters: string[] = [];

  for (const node of spec.layers) {
    const layer = getLayer(node.type);
    if (!layer) continue;
    const outShape = shapes.get(node.id) ?? null;
    if (layer.isInput) {
      const name = `input_${parameters.length + 1}`;
      parameters.push(name);
      values.set(node.id, { name, layout: 'channels-last', rank: outShape?.length ?? 0 });
      continue;
    }
    const name = nextName(counts, node.type);
    const sources = node.inputs.map((id) => values.get(id));
    const inShape = node.inputs[0] !== undefined ? shapes.get(node.inputs[0]) : null;
    const { args } = resolveArgs(layer, node.args, node.id);
    const mapping = TORCH_LAYERS[node.type];
    // Number-by-number merges of images that are all channels-first stay so: no permutes needed.
    const keepFirst =
      ELEMENTWISE_MERGES.has(node.type) && sources.every((v) => v !== undefined && v.rank === 3 && v.layout === 'channels-first');
    const mergeInputs = sources.map((v) => (v === undefined ? 'None' : keepFirst ? v.name : kerasOrder(v)));
    const expression = layer.merge && args ? mergeExpression(node.type, args, mergeInputs, node.inputs.map((id) => shapes.get(id) ?? [])) : null;
    const writable = layer.merge ? expression !== null : mapping !== undefined && (!mapping.supports || (inShape && mapping.supports(inShape)));
    if (!args || !inShape || !outShape || sources.some((v) => v === undefined) || !writable) {
      markUnsupported(node.id, kerasName(layer), out);
      // Later layers are still written, so the export shows everything it can.
      values.set(node.id, { name, layout: 'channels-last', rank: outShape?.length ?? 0 });
      continue;
    }
    if (layer.merge) {
      forward.push(`${name} = ${expression}`);
      values.set(node.id, { name, layout: keepFirst ? 'channels-first' : 'channels-last', rank: outShape.length });
      continue;
    }
    const source = sources[0]!;
    let layout = source.layout;
    let x = source.name;
    if (mapping!.wants !== 'any' && source.rank === 3 && layout !== mapping!.wants) {
      x += mapping!.wants === 'channels-first' ? TO_CHANNELS_FIRST : TO_KERAS_ORDER;
      layout = mapping!.wants;
    }
    // Straight after `name = x`, x still holds it.
    if (forward[forward.length - 1] !== `${x} = x`) forward.push(`x = ${x}`);
    const ctx = { attr: name, args, inShape, outShape, layout };
    init.push(...mapping!.init(ctx));
    forward.push(...mapping!.forward(ctx), `${name} = x`);
    values.set(node.id, { name, layout, rank: outShape.length });
  }
  // Outputs come back in Keras order, so they compare one-to-one with the TF.js model.
  const results = spec.outputs.map((id) => {
    const value = values.get(id);
    return value ? kerasOrder(value) : 'None';
  });
  forward.push(`return ${results.join(', ')}`);
  return { parameters, lines: forward };
}

/** A merge layer as one PyTorch expression over its inputs (already in Keras order); null where not written yet. */
function mergeExpression(type: string, args: Readonly<Record<string, unknown>>, inputs: string[], shapes: readonly (readonly Dim[])[]): string | null {
  const fold = (fn: string) => inputs.slice(1).reduce((acc, v) => `${fn}(${acc}, ${v})`, inputs[0]!);
  switch (type) {
    case 'add':
      return inputs.join(' + ');
    case 'multiply':
      return inputs.join(' * ');
    case 'average':
      return `(${inputs.join(' + ')}) / ${inputs.length}`;
    case 'maximum':
      return fold('torch.maximum');
    case 'minimum':
      return fold('torch.minimum');
    case 'concatenate':
      return `torch.cat([${inputs.join(', ')}], dim=${Number(args.axis)})`;
    case 'dot':
      return dotExpression(args, inputs, shapes);
    default:
      return null;
  }
}

/** Keras Dot on two lists (a dot product per sample) or two grids (a batched matrix product). */
function dotExpression(args: Readonly<Record<string, unknown>>, inputs: string[], shapes: readonly (readonly Dim[])[]): string | null {
  const [a, b] = inputs;
  const [rankA, rankB] = [shapes[0]?.length ?? 0, shapes[1]?.length ?? 0];
  if (a === undefined || b === undefined || rankA !== rankB) return null;
  const given = args.axes as number | readonly number[];
  // Keras counts the batch as axis 0; -1 is the last axis.
  const resolve = (axis: number) => (axis < 0 ? rankA + 1 + axis : axis);
  const [axisA, axisB] = typeof given === 'number' ? [resolve(given), resolve(given)] : [resolve(given[0]!), resolve(given[1]!)];
  const [x, y] = args.normalize === true ? [`F.normalize(${a}, dim=${axisA})`, `F.normalize(${b}, dim=${axisB})`] : [a, b];
  if (rankA === 1) return `torch.sum(${x} * ${y}, dim=1, keepdim=True)`;
  if (rankA === 2) return `torch.matmul(${x}.movedim(${axisA}, -1), ${y}.movedim(${axisB}, 1))`;
  return null;
}

function dimText(d: Dim): string {
  return d === null ? 'None' : String(d);
}

/** "MNIST CNN" → "MnistCnn"; anything unusable → "Model". */
function pythonClassName(name: string): string {
  const words = name.match(/[A-Za-z0-9]+/g) ?? [];
  const joined = words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `Model${joined}`;
}

/** Text safe inside a # comment or a docstring line. */
function commentSafe(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}
