/** Shape arithmetic shared by layer files (Keras's conv_utils, written for shapes only). */
import type { Dim, IntOrPair, Shape } from './define';

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

export interface Window2d {
  window: IntOrPair;
  strides: IntOrPair;
  padding: string;
  dilation?: IntOrPair;
}

/**
 * Height and width after sliding a 2-D window over an image, or a problem naming the
 * block when the window doesn't fit ("valid" padding with a window bigger than the image).
 */
export function slideWindow2d(
  image: Shape,
  w: Window2d,
  blockLabel: string,
  windowName: 'kernel' | 'pool',
): { height: Dim; width: Dim } | { problem: { code: string; message: string; fix: string } } {
  const [wh, ww] = pair(w.window);
  const [sh, sw] = pair(w.strides);
  const [dh, dw] = pair(w.dilation ?? 1);
  const height = windowOutputLength(image[0], wh, w.padding, sh, dh);
  const width = windowOutputLength(image[1], ww, w.padding, sw, dw);
  if ((height !== null && height <= 0) || (width !== null && width <= 0)) {
    const span = `${windowSpan(wh, dh)}×${windowSpan(ww, dw)}`;
    const spread = dh > 1 || dw > 1 ? ' (spread out by the dilation rate)' : '';
    const size = `${image[0] ?? '?'}×${image[1] ?? '?'}`;
    const smaller = windowName === 'kernel' ? 'a smaller kernel size' : 'a smaller pool size, or remove this block';
    return {
      problem: {
        code: windowName === 'kernel' ? 'kernel-too-big' : 'pool-too-big',
        message: `This ${blockLabel} block gets an image of only ${size} pixels, which is smaller than its ${span} ${windowName}${spread}, so nothing would be left.`,
        fix: `Set padding to "same", or use ${smaller}. Fewer pooling blocks above this one also keep the image bigger.`,
      },
    };
  }
  return { height, width };
}
