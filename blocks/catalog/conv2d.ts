import { defineLayer, intOrPair } from './define';
import { PADDINGS } from './enums';
import { choice } from './define';
import { convOutputShape, convParams, convTailArgs, dataFormatArg, filtersArg } from './conv';
import { pair, stridesAndDilation } from './rules';

export const conv2d = defineLayer({
  key: 'conv2d',
  kerasClass: 'Conv2D',
  tfjsFactory: 'conv2d',
  label: 'Conv2D',
  category: 'convolution',
  doc: 'Slides small filters over the image; each filter learns to spot one pattern, like an edge or a curve.',
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
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" adds a border of zeros so the image does not shrink.' }),
    dataFormat: dataFormatArg(),
    dilationRate: intOrPair({
      default: 1,
      min: 1,
      max: 64,
      label: 'dilation rate',
      advanced: true,
      doc: 'Spreads the filter out with gaps, so it sees a wider area with the same number of weights.',
    }),
    ...convTailArgs(),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) =>
    convOutputShape('Conv2D', input, {
      kernel: pair(args.kernelSize),
      strides: pair(args.strides),
      padding: args.padding,
      dilation: pair(args.dilationRate),
      dataFormat: args.dataFormat,
      filters: args.filters,
    }),
  params: (input, args) => convParams(input, { kernel: pair(args.kernelSize), dataFormat: args.dataFormat, filters: args.filters }, args.useBias),
  checkArgs: (args) => stridesAndDilation('Conv2D', pair(args.strides), pair(args.dilationRate)),
  examples: [
    { input: [28, 28, 1], args: { filters: 32, activation: 'relu' } },
    { input: [32, 32, 3], args: { filters: 8, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false } },
    { input: [3, 16, 16], args: { filters: 4, dataFormat: 'channelsFirst', dilationRate: 2 } },
  ],
});
