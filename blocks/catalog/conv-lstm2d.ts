/**
 * ConvLSTM2D: an LSTM whose gates are convolutions, for sequences of images (video frames,
 * weather maps). It shares the LSTM's recurrent settings and Conv2D's window arithmetic.
 */
import { bool, choice, defineLayer, intOrPair } from './define';
import { PADDINGS } from './enums';
import { convOutputShape, convParams, dataFormatArg, filtersArg } from './conv';
import { recurrentActivationArg, recurrentCommonArgs } from './recurrent';
import { pair, stridesAndDilation } from './rules';

export const convLstm2d = defineLayer({
  key: 'convLstm2d',
  kerasClass: 'ConvLSTM2D',
  tfjsFactory: 'convLstm2d',
  label: 'ConvLSTM2D',
  category: 'recurrent',
  doc: 'Watches a sequence of images one at a time, like an LSTM, but keeps a memory shaped like an image and looks at it with filters.',
  args: {
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
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" adds a border of zeros so the images do not shrink.' }),
    dataFormat: dataFormatArg(),
    dilationRate: intOrPair({
      default: 1,
      min: 1,
      max: 64,
      label: 'dilation rate',
      advanced: true,
      doc: 'Spreads the filter out with gaps, so it sees a wider area with the same number of weights.',
    }),
    ...recurrentCommonArgs(),
    recurrentActivation: recurrentActivationArg(),
    unitForgetBias: bool({
      default: false,
      label: 'forget bias 1',
      advanced: true,
      doc: 'Starts the forget gate at 1, so the layer remembers more at first.',
    }),
  },
  // Steps, then one image: rows, columns, channels.
  inputRank: { min: 4, max: 4 },
  outputShape: (input, args) => {
    const frame = convOutputShape('ConvLSTM2D', input.slice(1), {
      kernel: pair(args.kernelSize),
      strides: pair(args.strides),
      padding: args.padding,
      dilation: pair(args.dilationRate),
      dataFormat: args.dataFormat,
      filters: args.filters,
    });
    if ('problem' in frame) return frame;
    return { shape: args.returnSequences ? [input[0] ?? null, ...frame.shape] : frame.shape };
  },
  // Four gates, each a convolution of the incoming frame plus one of the memory (which has
  // `filters` channels; its convolution has no bias of its own).
  params: (input, args) => {
    const kernel = pair(args.kernelSize);
    const frame = input.slice(1);
    const fromInput = convParams(frame, { kernel, dataFormat: args.dataFormat, filters: args.filters }, args.useBias);
    const fromMemory = kernel[0] * kernel[1] * args.filters * args.filters;
    return 4 * (fromInput + fromMemory);
  },
  checkArgs: (args) => stridesAndDilation('ConvLSTM2D', pair(args.strides), pair(args.dilationRate)),
  examples: [
    { input: [5, 8, 8, 2], args: { filters: 4, returnSequences: true } },
    { input: [3, 10, 12, 1], args: { filters: 2, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false } },
    { input: [4, 9, 9, 3], args: { filters: 3, dilationRate: 2, goBackwards: true, unitForgetBias: true } },
    { input: [3, 2, 8, 8], args: { filters: 2, dataFormat: 'channelsFirst', returnSequences: true } },
  ],
});
