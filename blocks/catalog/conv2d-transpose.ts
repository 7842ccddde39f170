import { choice, defineLayer, intOrPair } from './define';
import { PADDINGS } from './enums';
import { convOutputShape, convParams, convTailArgs, dataFormatArg, filtersArg } from './conv';
import { pair } from './rules';

export const conv2dTranspose = defineLayer({
  key: 'conv2dTranspose',
  kerasClass: 'Conv2DTranspose',
  tfjsFactory: 'conv2dTranspose',
  label: 'Conv2DTranspose',
  category: 'convolution',
  doc: 'Works like Conv2D in reverse: it makes the image bigger while learning how to fill in the detail.',
  args: {
    filters: filtersArg(),
    kernelSize: intOrPair({ default: 3, min: 1, max: 64, label: 'kernel size', essential: true, doc: 'The size of each filter: 3 means 3×3 pixels; 3,5 means 3 tall and 5 wide.' }),
    strides: intOrPair({ default: 1, min: 1, max: 64, doc: 'How much bigger the image gets: 2 doubles height and width.' }),
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" makes the output exactly strides times the input size.' }),
    dataFormat: dataFormatArg(),
    ...convTailArgs(),
  },
  // TF.js's Conv2DTranspose has no dilation and no output padding, so neither is offered.
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) =>
    convOutputShape('Conv2DTranspose', input, {
      kernel: pair(args.kernelSize),
      strides: pair(args.strides),
      padding: args.padding,
      dilation: [1, 1],
      dataFormat: args.dataFormat,
      filters: args.filters,
      transpose: true,
    }),
  params: (input, args) => convParams(input, { kernel: pair(args.kernelSize), dataFormat: args.dataFormat, filters: args.filters }, args.useBias),
  examples: [
    { input: [7, 7, 64], args: { filters: 32, strides: 2, padding: 'same', activation: 'relu' } },
    { input: [5, 6, 3], args: { filters: 2, kernelSize: [3, 4], strides: [2, 1] } },
  ],
});
