import { choice, defineLayer, intTuple } from './define';
import { PADDINGS } from './enums';
import { convOutputShape, convParams, convTailArgs, dataFormatArg, filtersArg } from './conv';
import { stridesAndDilation, tupleOf } from './rules';

export const conv3d = defineLayer({
  key: 'conv3d',
  kerasClass: 'Conv3D',
  tfjsFactory: 'conv3d',
  label: 'Conv3D',
  category: 'convolution',
  doc: 'Slides small 3-D filters through a volume (a scan, or a video as frames × height × width) to spot patterns.',
  args: {
    filters: filtersArg(),
    kernelSize: intTuple({ default: 3, length: 3, min: 1, max: 64, label: 'kernel size', essential: true, doc: 'The size of each filter: 3 means 3×3×3; or depth,height,width.' }),
    strides: intTuple({ default: 1, length: 3, min: 1, max: 64, doc: 'How far the filter moves each step along each axis.' }),
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" adds a border of zeros so the volume does not shrink.' }),
    dataFormat: dataFormatArg(),
    dilationRate: intTuple({ default: 1, length: 3, min: 1, max: 64, label: 'dilation rate', advanced: true, doc: 'Spreads the filter out with gaps along each axis.' }),
    ...convTailArgs(),
  },
  inputRank: { min: 4, max: 4 },
  outputShape: (input, args) =>
    convOutputShape('Conv3D', input, {
      kernel: tupleOf(args.kernelSize, 3),
      strides: tupleOf(args.strides, 3),
      padding: args.padding,
      dilation: tupleOf(args.dilationRate, 3),
      dataFormat: args.dataFormat,
      filters: args.filters,
    }),
  params: (input, args) => convParams(input, { kernel: tupleOf(args.kernelSize, 3), dataFormat: args.dataFormat, filters: args.filters }, args.useBias),
  checkArgs: (args) => stridesAndDilation('Conv3D', tupleOf(args.strides, 3), tupleOf(args.dilationRate, 3)),
  examples: [
    { input: [16, 32, 32, 1], args: { filters: 8, activation: 'relu' } },
    { input: [8, 9, 10, 3], args: { filters: 4, kernelSize: [1, 3, 5], strides: 2, padding: 'same' } },
  ],
});
