/**
 * ModelSpec → a PyTorch nn.Module with the same layers, shapes and parameter counts. Sizes
 * PyTorch needs up front (in_features, in_channels, "same" padding) come from the shape trace.
 * Per-layer printing lives in ./pytorch/layers.ts.
 */
import { getLayer, type Dim } from '../catalog';
import { inferShapes, resolveArgs } from '../shapes';
import type { ModelSpec } from '../spec/model-spec';
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

  if (spec.kind !== 'sequential' || spec.inputs.length !== 1 || spec.outputs.length !== 1) {
    unsupported.push({ id: spec.name, className: 'functional model with branches' });
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
      unsupported.push({ id: node.id, className: layer.kerasClass });
      init.push(`# ${layer.kerasClass} (${commentSafe(node.id)}): not available in PyTorch export yet`);
      forward.push(`raise NotImplementedError(${pyString(`${layer.kerasClass} is not available in PyTorch export yet`)})`);
      continue;
    }
    const base = snakeCase(node.type);
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    if (mapping.wants !== 'any') convert(mapping.wants);
    const ctx = { attr: `${base}_${n}`, args, inShape, outShape, layout };
    init.push(...mapping.init(ctx));
    forward.push(...mapping.forward(ctx));
    rank = outShape.length;
  }
  // Outputs come back in Keras order, so they compare one-to-one with the TF.js model.
  convert('channels-last');

  const inputShape = shapes.get(spec.inputs[0] ?? '') ?? [];
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
    `    Takes input shaped (batch, ${inputShape.map(dimText).join(', ')}) in Keras/TF.js order. Image`,
    '    layers in PyTorch want channels first, so forward() permutes to N,C,H,W once and',
    '    back to N,H,W,C before Flatten, so the numbers are in the same order as in Keras.',
    '    BatchNorm running mean/variance are buffers here; Keras counts them as parameters.',
    '    """',
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length > 0 ? init.map((l) => `        ${l}`) : ['        pass']),
    '',
    '    def forward(self, x):',
    ...forward.map((l) => `        ${l}`),
    '        return x',
    '',
    '',
    `model = ${className}()`,
    'print(model)',
  ];
  return { code: lines.join('\n') + '\n', unsupported };
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
