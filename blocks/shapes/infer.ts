/**
 * Shape inference over a ModelSpec: each layer's output shape and parameter count, and a
 * diagnostic for every problem, naming its block. Pure arithmetic on shapes, so even a
 * model with billions of parameters is checked without allocating a single weight.
 */
import { getLayer, type Dim, type LayerDefinition, type MergeRule, type Shape } from '../catalog';
import type { ShapeOutcome } from '../catalog/define';
import { describeData, formatShape } from '../catalog/words';
import type { Diagnostic } from '../format/diagnostic';
import type { LayerNode, ModelSpec } from '../format/model-spec';
import { resolveArgs } from './validate-args';

export interface LayerTrace {
  id: string;
  /** Catalogue key of the layer. */
  type: string;
  /** What the block shows, e.g. "Conv2D". */
  label: string;
  /** Keras-style output shape with the batch dimension first (null); null when it can't be worked out. */
  outputShape: Dim[] | null;
  params: number;
}

export interface ShapeTrace {
  layers: LayerTrace[];
  totalParams: number;
  diagnostics: Diagnostic[];
}

export interface InferOptions {
  /** Block to show model-wide problems on (the model block); they are unattached otherwise. */
  rootBlockId?: string | null;
}

export function inferShapes(spec: ModelSpec, options: InferOptions = {}): ShapeTrace {
  const rootBlockId = options.rootBlockId ?? null;
  const diagnostics: Diagnostic[] = [];
  const layers: LayerTrace[] = [];
  const shapes = new Map<string, Shape | null>();
  const nodes = new Map<string, LayerNode>();

  if (spec.layers.length === 0) {
    diagnostics.push({
      blockId: rootBlockId,
      severity: 'error',
      code: 'empty-model',
      message: 'This model block is empty, so there is nothing to build.',
      fix: 'Drag an Input block into the model block, then add layer blocks below it.',
    });
    return { layers, totalParams: 0, diagnostics };
  }

  const hasInput = spec.layers.some((l) => getLayer(l.type)?.isInput);
  if (!hasInput) {
    diagnostics.push({
      blockId: rootBlockId ?? spec.layers[0]!.id,
      severity: 'error',
      code: 'no-input',
      message: "This model has no Input block, so it doesn't know what shape of data goes in.",
      fix: 'Drag an Input block from the Input category to the top of the model block.',
    });
  }

  for (const node of spec.layers) {
    const layer = getLayer(node.type);
    const trace: LayerTrace = { id: node.id, type: node.type, label: layer?.label ?? node.type, outputShape: null, params: 0 };
    layers.push(trace);
    if (nodes.has(node.id)) {
      diagnostics.push(problem(node.id, 'duplicate-id', `Two layers share the id "${node.id}".`, 'Give every layer its own id.'));
      continue;
    }
    nodes.set(node.id, node);
    shapes.set(node.id, null);
    if (!layer) {
      diagnostics.push(
        problem(node.id, 'unknown-layer', `Layerbook doesn't know the layer type "${node.type}".`, 'Replace it with a layer from the toolbox.'),
      );
      continue;
    }
    const { args, diagnostics: argProblems } = resolveArgs(layer, node.args, node.id);
    diagnostics.push(...argProblems);

    let outcome: ShapeOutcome;
    let incoming: Shape | null | undefined;
    if (layer.merge) {
      const merged = mergedShapes(node, layer, layer.merge, nodes, shapes, diagnostics);
      if (args === null || merged === undefined) continue;
      incoming = merged[0]!;
      outcome = layer.merge.outputShape(merged, args);
    } else {
      incoming = incomingShape(node, layer, nodes, shapes, diagnostics);
      if (args === null || incoming === undefined) continue;
      if (incoming !== null && !rankFits(layer, incoming, node, nodes, diagnostics)) continue;
      outcome = layer.outputShape(incoming ?? [], args);
    }
    if ('problem' in outcome) {
      diagnostics.push({ blockId: node.id, severity: 'error', ...outcome.problem });
      continue;
    }
    if (outcome.shape.some((d) => d !== null && d <= 0)) {
      diagnostics.push(
        problem(
          node.id,
          'shape-collapsed',
          `After this ${layer.label} block the data would be ${formatShape(outcome.shape)}: nothing is left.`,
          'Use smaller kernels or pools, padding "same", or fewer blocks that shrink the data above this one.',
        ),
      );
      continue;
    }
    shapes.set(node.id, outcome.shape);
    trace.outputShape = [null, ...outcome.shape];
    trace.params = layer.isInput ? 0 : layer.params(incoming ?? [], args);
  }

  if (spec.layers.every((l) => getLayer(l.type)?.isInput)) {
    const first = spec.layers[0]!;
    diagnostics.push(
      problem(
        first.id,
        'no-layers',
        'The model has an Input block but no layers after it.',
        'Add layer blocks below the Input block, for example Flatten and then Dense.',
      ),
    );
  }
  for (const output of spec.outputs) {
    if (!nodes.has(output)) {
      diagnostics.push(problem(rootBlockId, 'bad-connection', `The model's output "${output}" is not one of its layers.`, 'Rebuild the model from blocks.'));
    }
  }

  diagnostics.push(...unusedOutputs(spec, nodes));

  const totalParams = layers.reduce((sum, l) => sum + l.params, 0);
  return { layers, totalParams, diagnostics };
}

/**
 * The shape of one sample arriving at `node`: null for input layers (they take none), a
 * shape when known, or undefined when it can't be known because of a problem (reported here
 * or at an earlier block).
 */
function incomingShape(
  node: LayerNode,
  layer: LayerDefinition,
  nodes: Map<string, LayerNode>,
  shapes: Map<string, Shape | null>,
  diagnostics: Diagnostic[],
): Shape | null | undefined {
  if (layer.isInput) {
    if (node.inputs.length > 0) {
      const above = nodes.get(node.inputs[0]!);
      const aboveLabel = above ? (getLayer(above.type)?.label ?? above.type) : 'another';
      diagnostics.push(
        problem(
          node.id,
          'input-not-first',
          `The Input block must be the first block inside the model, but here it is below the ${aboveLabel} block.`,
          'Drag the Input block to the top of the model block.',
        ),
      );
    }
    return null;
  }
  // A first layer that is not an Input: reported once, as no-input or input-not-first.
  if (node.inputs.length === 0) return undefined;
  if (node.inputs.length > 1) {
    diagnostics.push(
      problem(node.id, 'too-many-inputs', `This ${layer.label} block takes one input, but ${node.inputs.length} are connected.`, 'Connect only one block to it.'),
    );
    return undefined;
  }
  const source = node.inputs[0]!;
  if (!nodes.has(source)) {
    diagnostics.push(
      problem(node.id, 'bad-connection', `This ${layer.label} block is connected to a layer that comes later or doesn't exist.`, 'Rebuild the model from blocks.'),
    );
    return undefined;
  }
  return shapes.get(source) ?? undefined;
}

/**
 * The shapes arriving at a layer that combines several inputs, in order; undefined when they
 * can't all be known (reported here, or at an earlier block).
 */
function mergedShapes(
  node: LayerNode,
  layer: LayerDefinition,
  rule: MergeRule,
  nodes: Map<string, LayerNode>,
  shapes: Map<string, Shape | null>,
  diagnostics: Diagnostic[],
): Shape[] | undefined {
  const count = node.inputs.length;
  if (count < rule.minInputs) {
    diagnostics.push(
      problem(
        node.id,
        'merge-needs-more-inputs',
        `This ${layer.label} block combines ${rule.minInputs === rule.maxInputs ? 'exactly' : 'at least'} ${rule.minInputs} inputs, but it gets only ${count}.`,
        `Type the name of another output in its "with" box: first give that output a name with a "name this output" block.`,
      ),
    );
    return undefined;
  }
  if (count > rule.maxInputs) {
    diagnostics.push(
      problem(
        node.id,
        'too-many-inputs',
        `This ${layer.label} block combines exactly ${rule.maxInputs} inputs, but it gets ${count}.`,
        `Remove names from its "with" box until it gets ${rule.maxInputs} inputs.`,
      ),
    );
    return undefined;
  }
  const result: Shape[] = [];
  for (const source of node.inputs) {
    if (!nodes.has(source)) {
      diagnostics.push(
        problem(node.id, 'bad-connection', `This ${layer.label} block is connected to a layer that comes later or doesn't exist.`, 'Rebuild the model from blocks.'),
      );
      return undefined;
    }
    const shape = shapes.get(source);
    if (!shape) return undefined;
    result.push(shape);
  }
  return result;
}

/**
 * A layer whose output goes nowhere (no later layer reads it and it is not a model output)
 * is a branch that was started and then forgotten: the model would silently skip it.
 */
function unusedOutputs(spec: ModelSpec, nodes: Map<string, LayerNode>): Diagnostic[] {
  const used = new Set<string>(spec.outputs);
  for (const node of nodes.values()) for (const source of node.inputs) used.add(source);
  const found: Diagnostic[] = [];
  for (const node of nodes.values()) {
    if (used.has(node.id)) continue;
    const label = getLayer(node.type)?.label ?? node.type;
    found.push({
      blockId: node.id,
      severity: 'warning',
      code: 'unused-output',
      message: `Nothing uses what comes out of this ${label} block, so the model skips it and the blocks that lead to it.`,
      fix: 'Give its output a name with a "name this output" block and use that name in a merge block (or mark it as a model output), or delete these blocks.',
    });
  }
  return found;
}

function rankFits(layer: LayerDefinition, incoming: Shape, node: LayerNode, nodes: Map<string, LayerNode>, diagnostics: Diagnostic[]): boolean {
  const rule = layer.inputRank;
  if (rule === null) return true;
  const rank = incoming.length;
  if (rank >= rule.min && rank <= rule.max) return true;
  const found = `This ${layer.label} block gets ${describeData(incoming)}, but ${layer.label} needs`;
  if (rule.max === 1) {
    diagnostics.push(problem(node.id, 'needs-flat-input', `${found} a flat list of numbers.`, `Add a Flatten block above this ${layer.label} block.`));
  } else if (rule.min === 3 && rule.max === 3 && rank < 3) {
    diagnostics.push(problem(node.id, 'needs-image', `${found} an image (height × width × colour channels).`, imageFix(layer, incoming, node, nodes)));
  } else if (rule.whenFlat && rank === 1) {
    diagnostics.push(problem(node.id, 'already-flat', `${found} ${rule.whenFlat.message}`, rule.whenFlat.fix));
  } else {
    const wanted = rule.min === rule.max ? `${rule.min}` : `${rule.min} to ${rule.max}`;
    diagnostics.push(
      problem(node.id, 'wrong-rank', `${found} data with ${wanted} dimensions.`, `Add a Reshape block above this ${layer.label} block to give the data the right shape.`),
    );
  }
  return false;
}

function imageFix(layer: LayerDefinition, incoming: Shape, node: LayerNode, nodes: Map<string, LayerNode>): string {
  if (hasAbove(node, nodes, 'flatten')) return `Move this ${layer.label} block above the Flatten block.`;
  if (incoming.length === 2) {
    return `Add a colour channel to the Input shape: ${incoming.map((d) => d ?? '?').join(',')},1 instead of ${incoming.map((d) => d ?? '?').join(',')}.`;
  }
  return `Give the Input block an image shape such as 28,28,1, or add a Reshape block above this ${layer.label} block.`;
}

function hasAbove(node: LayerNode, nodes: Map<string, LayerNode>, type: string): boolean {
  const seen = new Set<string>();
  let current = node.inputs[0];
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const above = nodes.get(current);
    if (!above) return false;
    if (above.type === type) return true;
    current = above.inputs[0];
  }
  return false;
}

function problem(blockId: string | null, code: string, message: string, fix: string): Diagnostic {
  return { blockId, severity: 'error', code, message, fix };
}
