/**
 * How each catalogue layer is written in PyTorch, keyed by catalogue key. Layers missing here
 * are printed as "not available in PyTorch export yet" (a comment, and a NotImplementedError
 * where the model would run them), so the export never silently builds a different model.
 *
 * TODO: DESIGN.md wants every per-layer fact in the catalogue; move this table into the
 * catalogue files (a `pytorch` entry beside `tfjsFactory`) once the catalogue rework lands.
 */
import type { Dim, IntOrPair } from '../../catalog';
import { pair } from '../../catalog/rules';
import { isInitializerSettings } from '../../format/initializer';
import { pyValue } from '../emit-keras';

/**
 * Where the channels of an image are: Keras and TF.js keep them last (N,H,W,C), PyTorch's
 * layers want them first (N,C,H,W). Only images (3 numbers per sample) have a layout.
 */
export type Layout = 'channels-last' | 'channels-first';

export interface TorchLayerContext {
  /** Attribute name of this layer's module on the nn.Module (without "self."). */
  attr: string;
  args: Readonly<Record<string, unknown>>;
  /** Keras-order shapes of one sample (batch left out). */
  inShape: readonly Dim[];
  outShape: readonly Dim[];
  /** Layout of the tensor arriving in forward (already converted to what `wants` asked for). */
  layout: Layout;
}

export interface TorchLayer {
  /** Layout this layer needs for image input; 'any' for layers that act on each number alone. */
  wants: Layout | 'any';
  /** False for input shapes this mapping can't print faithfully yet. */
  supports?(inShape: readonly Dim[]): boolean;
  /** Lines for __init__ (creating modules and setting their starting weights). */
  init(ctx: TorchLayerContext): string[];
  /** Lines for forward, reading and assigning `x`. */
  forward(ctx: TorchLayerContext): string[];
}

/** Keras activation → the PyTorch expression applied to `x` (channel axis given for softmax). */
export function activationExpr(activation: unknown, channelDim: number): string | null {
  switch (activation) {
    case 'linear':
    case undefined:
      return null;
    case 'relu':
      return 'torch.relu(x)';
    case 'sigmoid':
      return 'torch.sigmoid(x)';
    case 'tanh':
      return 'torch.tanh(x)';
    case 'softmax':
      return `torch.softmax(x, dim=${channelDim})`;
    case 'elu':
      return 'F.elu(x)';
    case 'selu':
      return 'F.selu(x)';
    case 'relu6':
      return 'F.relu6(x)';
    case 'softplus':
      return 'F.softplus(x)';
    case 'softsign':
      return 'F.softsign(x)';
    // Keras/TF.js hard sigmoid is 0.2x + 0.5 clipped; PyTorch's F.hardsigmoid uses x/6 + 0.5.
    case 'hardSigmoid':
      return 'torch.clamp(0.2 * x + 0.5, 0.0, 1.0)';
    case 'swish':
      return 'F.silu(x)';
    case 'mish':
      return 'F.mish(x)';
    case 'gelu':
      return 'F.gelu(x)';
    default:
      return `None  # activation "${String(activation)}" is not available in PyTorch export yet`;
  }
}

/** Same starting-weight recipe as TF.js (different random numbers, so not the same weights). */
const INITIALIZERS: Readonly<Record<string, string>> = {
  glorotNormal: 'nn.init.xavier_normal_',
  glorotUniform: 'nn.init.xavier_uniform_',
  heNormal: "lambda w: nn.init.kaiming_normal_(w, nonlinearity='relu')",
  heUniform: "lambda w: nn.init.kaiming_uniform_(w, nonlinearity='relu')",
  leCunNormal: "lambda w: nn.init.kaiming_normal_(w, nonlinearity='linear')",
  leCunUniform: "lambda w: nn.init.kaiming_uniform_(w, nonlinearity='linear')",
  randomNormal: 'lambda w: nn.init.normal_(w, std=0.05)',
  randomUniform: 'lambda w: nn.init.uniform_(w, -0.05, 0.05)',
  truncatedNormal: 'lambda w: nn.init.trunc_normal_(w, std=0.05, a=-0.1, b=0.1)',
  zeros: 'nn.init.zeros_',
  ones: 'nn.init.ones_',
  orthogonal: 'nn.init.orthogonal_',
  identity: 'nn.init.eye_',
};

function initLines(attr: string, args: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  const kernel = initializerFn(args.kernelInitializer);
  if (kernel) lines.push(initCall(kernel, `self.${attr}.weight`));
  const bias = initializerFn(args.biasInitializer);
  if (bias && args.useBias !== false) lines.push(initCall(bias, `self.${attr}.bias`));
  return lines;
}

/** A named option's function, or a recipe with settings written with torch.nn.init (Keras's arithmetic). */
function initializerFn(value: unknown): string | undefined {
  if (!isInitializerSettings(value)) return INITIALIZERS[String(value)];
  const n = (x: number) => pyValue(x);
  switch (value.kind) {
    case 'varianceScaling': {
      const fans = 'nn.init._calculate_fan_in_and_fan_out(w)';
      const fan = value.mode === 'fan_in' ? `${fans}[0]` : value.mode === 'fan_out' ? `${fans}[1]` : `sum(${fans}) / 2`;
      const variance = `${n(value.scale)} / max(1, ${fan})`;
      if (value.distribution === 'uniform') return `lambda w: (lambda limit: nn.init.uniform_(w, -limit, limit))((3 * ${variance}) ** 0.5)`;
      if (value.distribution === 'untruncated_normal') return `lambda w: nn.init.normal_(w, std=(${variance}) ** 0.5)`;
      // Keras widens the spread so the bell curve cut at two spreads keeps the variance asked for.
      return `lambda w: (lambda std: nn.init.trunc_normal_(w, std=std, a=-2 * std, b=2 * std))((${variance}) ** 0.5 / 0.87962566103423978)`;
    }
    case 'randomNormal':
      return `lambda w: nn.init.normal_(w, mean=${n(value.mean)}, std=${n(value.stddev)})`;
    case 'truncatedNormal':
      return `lambda w: nn.init.trunc_normal_(w, mean=${n(value.mean)}, std=${n(value.stddev)}, a=${n(value.mean - 2 * value.stddev)}, b=${n(value.mean + 2 * value.stddev)})`;
    case 'randomUniform':
      return `lambda w: nn.init.uniform_(w, ${n(value.minval)}, ${n(value.maxval)})`;
    case 'constant':
      return `lambda w: nn.init.constant_(w, ${n(value.value)})`;
    case 'orthogonal':
      return `lambda w: nn.init.orthogonal_(w, gain=${n(value.gain)})`;
    case 'identity':
      return `lambda w: nn.init.eye_(w.data).mul_(${n(value.gain)})`;
  }
}

function initCall(fn: string, target: string): string {
  return fn.startsWith('lambda') ? `(${fn})(${target})` : `${fn}(${target})`;
}

function activationLines(args: Readonly<Record<string, unknown>>, layout: Layout, rank: number): string[] {
  const expr = activationExpr(args.activation, layout === 'channels-first' && rank === 3 ? 1 : -1);
  return expr ? [`x = ${expr}`] : [];
}

/**
 * TensorFlow's "same" padding as explicit (left, right, top, bottom) for F.pad: when the
 * total is odd, TensorFlow puts the extra row/column at the bottom/right.
 */
function samePadding(inShape: readonly Dim[], window: IntOrPair, strides: IntOrPair, dilation: IntOrPair = 1): number[] {
  const [kh, kw] = pair(window);
  const [sh, sw] = pair(strides);
  const [dh, dw] = pair(dilation);
  const total = (size: number, k: number, s: number, d: number) => Math.max((Math.ceil(size / s) - 1) * s + (k - 1) * d + 1 - size, 0);
  const th = total(inShape[0] ?? 0, kh, sh, dh);
  const tw = total(inShape[1] ?? 0, kw, sw, dw);
  return [Math.floor(tw / 2), tw - Math.floor(tw / 2), Math.floor(th / 2), th - Math.floor(th / 2)];
}

const tuple = (v: IntOrPair) => pyValue(pair(v), true);
const isSame = (args: Readonly<Record<string, unknown>>) => args.padding === 'same';
const poolStrides = (args: Readonly<Record<string, unknown>>) => (args.strides ?? args.poolSize) as IntOrPair;

export const TORCH_LAYERS: Readonly<Record<string, TorchLayer>> = {
  dense: {
    wants: 'channels-last',
    init: ({ attr, args, inShape }) => [
      `self.${attr} = nn.Linear(in_features=${inShape[inShape.length - 1]}, out_features=${args.units}, bias=${pyValue(args.useBias)})`,
      ...initLines(attr, args),
    ],
    forward: ({ attr, args, layout, outShape }) => [`x = self.${attr}(x)`, ...activationLines(args, layout, outShape.length)],
  },
  conv2d: {
    wants: 'channels-first',
    init: ({ attr, args, inShape }) => [
      `self.${attr} = nn.Conv2d(in_channels=${inShape[2]}, out_channels=${args.filters}, kernel_size=${tuple(args.kernelSize as IntOrPair)}, ` +
        `stride=${tuple(args.strides as IntOrPair)}, dilation=${tuple(args.dilationRate as IntOrPair)}, bias=${pyValue(args.useBias)})`,
      ...initLines(attr, args),
    ],
    forward: ({ attr, args, inShape, layout, outShape }) => [
      ...(isSame(args) ? [`x = F.pad(x, ${pyValue(samePadding(inShape, args.kernelSize as IntOrPair, args.strides as IntOrPair, args.dilationRate as IntOrPair), true)})`] : []),
      `x = self.${attr}(x)`,
      ...activationLines(args, layout, outShape.length),
    ],
  },
  maxPooling2d: {
    wants: 'channels-first',
    init: ({ attr, args }) => [`self.${attr} = nn.MaxPool2d(kernel_size=${tuple(args.poolSize as IntOrPair)}, stride=${tuple(poolStrides(args))})`],
    forward: ({ attr, args, inShape }) => [
      // Padding with -inf keeps the border out of every maximum, as TensorFlow does.
      ...(isSame(args) ? [`x = F.pad(x, ${pyValue(samePadding(inShape, args.poolSize as IntOrPair, poolStrides(args)), true)}, value=float("-inf"))`] : []),
      `x = self.${attr}(x)`,
    ],
  },
  averagePooling2d: {
    wants: 'channels-first',
    init: ({ attr, args }) => [`self.${attr} = nn.AvgPool2d(kernel_size=${tuple(args.poolSize as IntOrPair)}, stride=${tuple(poolStrides(args))})`],
    forward: ({ attr, args, inShape }) => {
      if (!isSame(args)) return [`x = self.${attr}(x)`];
      // TensorFlow averages only the real pixels of a border patch: divide by how many there were.
      const pads = pyValue(samePadding(inShape, args.poolSize as IntOrPair, poolStrides(args)), true);
      return [`x = self.${attr}(F.pad(x, ${pads})) / self.${attr}(F.pad(torch.ones_like(x[:, :1]), ${pads}))`];
    },
  },
  flatten: {
    // Keras flattens height, width, channels in that order; flattening PyTorch's channels-first
    // tensor would order the numbers differently, and the Dense weights after it would not match.
    wants: 'channels-last',
    init: () => [],
    forward: () => ['x = torch.flatten(x, start_dim=1)'],
  },
  reshape: {
    wants: 'channels-last',
    init: () => [],
    forward: ({ args }) => [`x = x.reshape(x.shape[0], ${(args.targetShape as number[]).join(', ')})`],
  },
  dropout: {
    wants: 'any',
    init: ({ attr, args }) => [`self.${attr} = nn.Dropout(p=${pyValue(args.rate)})`],
    forward: ({ attr }) => [`x = self.${attr}(x)`],
  },
  activation: {
    wants: 'any',
    init: () => [],
    forward: ({ args, layout, outShape }) => activationLines(args, layout, outShape.length),
  },
  batchNormalization: {
    wants: 'channels-first',
    // BatchNorm1d wants (N, C, L); sequences (N, L, C) would need permutes not written yet.
    supports: (inShape) => inShape.length === 1 || inShape.length === 3,
    init: ({ attr, args, inShape }) => {
      const kind = inShape.length === 3 ? 'BatchNorm2d' : 'BatchNorm1d';
      // PyTorch's momentum is the weight of the NEW batch; Keras's is the weight of the old average.
      const momentum = Number((1 - Number(args.momentum)).toPrecision(12));
      const lines = [
        `self.${attr} = nn.${kind}(num_features=${inShape[inShape.length - 1]}, eps=${pyValue(args.epsilon)}, momentum=${momentum}, affine=${pyValue(args.center !== false || args.scale !== false)})`,
      ];
      // PyTorch learns both shift and scale or neither: switch off the one Keras leaves out.
      if (args.center === false && args.scale !== false) lines.push(`nn.init.zeros_(self.${attr}.bias)`, `self.${attr}.bias.requires_grad_(False)`);
      if (args.scale === false && args.center !== false) lines.push(`nn.init.ones_(self.${attr}.weight)`, `self.${attr}.weight.requires_grad_(False)`);
      return lines;
    },
    forward: ({ attr }) => [`x = self.${attr}(x)`],
  },
};
