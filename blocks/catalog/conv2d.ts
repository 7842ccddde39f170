import { defineLayer } from './define';
import { conv2dWindowArgs, convOutputShape, convParams, convTailArgs } from './conv';
import { pair, stridesAndDilation } from './rules';

export const conv2d = defineLayer({
  key: 'conv2d',
  kerasClass: 'Conv2D',
  tfjsFactory: 'conv2d',
  label: 'Conv2D',
  category: 'convolution',
  doc: 'Slides small filters over the image; each filter learns to spot one pattern, like an edge or a curve.',
  args: {
    ...conv2dWindowArgs('the image does'),
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
