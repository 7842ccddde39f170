/**
 * What every convolution layer shares (Conv1D/2D/3D and the transposed ones): the argument
 * table around the kernel, and output-shape and parameter arithmetic for any number of axes.
 */
import { bool, choice, int, intOrPair, type LayerProblem, type Shape, type ShapeOutcome } from './define';
import { ACTIVATIONS, DATA_FORMATS, PADDINGS } from './enums';
import { joinChannels, slideWindowNd, splitChannels, transposedLength } from './rules';
import { activityRegularizerArg, weightArgs } from './weights';

export const filtersArg = () =>
  int({ default: 16, min: 1, max: 4096, essential: true, doc: 'How many different patterns (filters) to learn.' });

/**
 * The 2-D window arguments, in Keras's order: filters through dilation rate. Conv2D and
 * ConvLSTM2D share them; `what` is the thing padding keeps from shrinking.
 */
export const conv2dWindowArgs = (what: 'the image does' | 'the images do') => ({
  filters: filtersArg(),
  kernelSize: intOrPair({
    default: 3,
    min: 1,
    max: 64,
    label: 'kernel size',
    essential: true,
    doc: 'The size of each filter: 3 means 3×3 pixels; 3,5 means 3 tall and 5 wide.',
  }),
  strides: intOrPair({ default: 1, min: 1, max: 64, doc: 'How many pixels the filter moves each step; 2 halves the image size.' }),
  padding: choice(PADDINGS, { default: 'valid', doc: `"same" adds a border of zeros so ${what} not shrink.` }),
  dataFormat: dataFormatArg(),
  dilationRate: intOrPair({
    default: 1,
    min: 1,
    max: 64,
    label: 'dilation rate',
    advanced: true,
    doc: 'Spreads the filter out with gaps, so it sees a wider area with the same number of weights.',
  }),
});

/** The arguments after the kernel ones, in Keras's order. */
export const convTailArgs = () => ({
  activation: choice(ACTIVATIONS, { default: 'linear', doc: 'The function applied to each output.' }),
  useBias: bool({ default: true, label: 'use bias', advanced: true, doc: 'Adds a learned number to each filter output.' }),
  ...weightArgs('kernel', 'weights', 'glorotNormal'),
  ...weightArgs('bias', 'bias numbers', 'zeros'),
  ...activityRegularizerArg(),
});

export const dataFormatArg = () =>
  choice(DATA_FORMATS, {
    default: 'channelsLast',
    label: 'data format',
    advanced: true,
    doc: 'Whether the colour channels come last (28,28,1) or first (1,28,28) in each example.',
  });

export interface ConvGeometry {
  kernel: readonly number[];
  strides: readonly number[];
  padding: string;
  dilation: readonly number[];
  dataFormat: string;
  filters: number;
  /** Transposed convolutions grow the data instead of shrinking it. */
  transpose?: boolean;
}

export function convOutputShape(label: string, input: Shape, g: ConvGeometry): ShapeOutcome {
  const { spatial } = splitChannels(input, g.dataFormat);
  if (g.transpose) {
    const sizes = spatial.map((d, i) => transposedLength(d, g.kernel[i]!, g.padding, g.strides[i]!));
    return { shape: joinChannels(sizes, g.filters, g.dataFormat) };
  }
  const slid = slideWindowNd(spatial, { window: g.kernel, strides: g.strides, padding: g.padding, dilation: g.dilation }, label, 'kernel');
  return 'problem' in slid ? slid : { shape: joinChannels(slid.sizes, g.filters, g.dataFormat) };
}

/** One weight per kernel cell, input channel and filter, plus one bias per filter. */
export function convParams(input: Shape, g: Pick<ConvGeometry, 'kernel' | 'dataFormat' | 'filters'>, useBias: boolean): number {
  const channels = splitChannels(input, g.dataFormat).channels ?? 0;
  return g.kernel.reduce((a, b) => a * b, 1) * channels * g.filters + (useBias ? g.filters : 0);
}

