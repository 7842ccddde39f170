/** Shape arithmetic shared by layer files (Keras's conv_utils, written for shapes only). */
import type { Dim, IntOrPair, LayerProblem, Shape } from './define';

export function pair(value: IntOrPair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** Number of elements in one sample, or null when a size is only known at run time. */
export function sizeOf(shape: Shape): number | null {
  let total = 1;
  for (const d of shape) {
    if (d === null) return null;
    total *= d;
  }
  return total;
}

/**
 * Output length of a sliding window (convolution or pooling) along one axis, as Keras
 * computes it. May be ≤ 0 with "valid" padding when the window is bigger than the input;
 * callers turn that into a message.
 */
export function windowOutputLength(input: Dim, window: number, padding: string, stride: number, dilation = 1): Dim {
  if (input === null) return null;
  const span = (window - 1) * dilation + 1;
  const length = padding === 'same' ? input : input - span + 1;
  return Math.floor((length + stride - 1) / stride);
}

/** The size of the window as it actually covers the input (dilation spreads it out). */
export function windowSpan(window: number, dilation = 1): number {
  return (window - 1) * dilation + 1;
}

/** 3 → [3, 3, 3]; [3, 5] stays; used for every "one number or one per axis" argument. */
export function tupleOf(value: number | readonly number[], length: number): number[] {
  return typeof value === 'number' ? Array.from({ length }, () => value) : [...value];
}

/** The spatial sizes (height, width, …) and the channel count of a sample, in either data format. */
export function splitChannels(input: Shape, dataFormat: string): { spatial: Dim[]; channels: Dim } {
  return dataFormat === 'channelsFirst'
    ? { spatial: input.slice(1), channels: input[0] ?? null }
    : { spatial: input.slice(0, -1), channels: input[input.length - 1] ?? null };
}

export function joinChannels(spatial: readonly Dim[], channels: Dim, dataFormat: string): Dim[] {
  return dataFormat === 'channelsFirst' ? [channels, ...spatial] : [...spatial, channels];
}

export interface WindowNd {
  window: readonly number[];
  strides: readonly number[];
  padding: string;
  dilation?: readonly number[];
}

/**
 * Sizes after sliding a window along every spatial axis (any number of them), or a problem
 * naming the block when the window doesn't fit.
 */
export function slideWindowNd(
  spatial: readonly Dim[],
  w: WindowNd,
  blockLabel: string,
  windowName: 'kernel' | 'pool',
): { sizes: Dim[] } | { problem: LayerProblem } {
  const sizes = spatial.map((d, i) =>
    windowOutputLength(d, w.window[i]!, w.padding, w.strides[i]!, w.dilation?.[i] ?? 1),
  );
  if (sizes.some((d) => d !== null && d <= 0)) {
    const spans = w.window.map((k, i) => windowSpan(k, w.dilation?.[i] ?? 1));
    const spread = (w.dilation ?? []).some((d) => d > 1) ? ' (spread out by the dilation rate)' : '';
    const smaller = windowName === 'kernel' ? 'a smaller kernel size' : 'a smaller pool size, or remove this block';
    return {
      problem: {
        code: windowName === 'kernel' ? 'kernel-too-big' : 'pool-too-big',
        message: `This ${blockLabel} block gets ${describeSpatial(spatial)}, which is smaller than its ${spans.join('×')} ${windowName}${spread}, so nothing would be left.`,
        fix: `Set padding to "same", or use ${smaller}. Fewer pooling blocks above this one also keep the data bigger.`,
      },
    };
  }
  return { sizes };
}

/** Output length of a transposed convolution along one axis, as TF.js's deconvLength works it out. */
export function transposedLength(input: Dim, window: number, padding: string, stride: number): Dim {
  if (input === null) return null;
  return padding === 'valid' ? input * stride + Math.max(window - stride, 0) : input * stride;
}

/** "an image of only 4×4 pixels", "a sequence of only 3 steps". */
function describeSpatial(dims: readonly Dim[]): string {
  const size = dims.map((d) => d ?? '?').join('×');
  if (dims.length === 1) return `a sequence of only ${size} steps`;
  if (dims.length === 2) return `an image of only ${size} pixels`;
  return `data of only ${size}`;
}

/** A problem for rules that only allow one of strides or dilation above 1 (TF.js can't do both). */
export function stridesAndDilation(blockLabel: string, strides: readonly number[], dilation: readonly number[]): LayerProblem[] {
  return strides.some((s) => s > 1) && dilation.some((d) => d > 1)
    ? [
        {
          code: 'strides-and-dilation',
          message: `This ${blockLabel} block has both strides and dilation rate above 1, and TensorFlow can only do one of them at a time.`,
          fix: 'Set strides to 1 or dilation rate to 1.',
        },
      ]
    : [];
}

/**
 * The sample axis an "axis" argument points at (Keras counts the batch as axis 0, and -1 is
 * the last axis), or null when the sample has no such axis.
 */
export function sampleAxis(input: Shape, axis: number): number | null {
  const index = axis < 0 ? input.length + axis : axis - 1;
  return index >= 0 && index < input.length ? index : null;
}

export function axisProblem(blockLabel: string, input: Shape, axis: number): LayerProblem {
  return {
    code: 'bad-axis',
    message: `This ${blockLabel} block's axis is ${axis}, but the data coming in has only ${input.length} ${input.length === 1 ? 'axis' : 'axes'} (not counting the batch).`,
    fix: `Set axis to -1 (the last axis) or a number from 1 to ${input.length}.`,
  };
}
