import { choice, defineLayer, intTuple } from './define';
import { PADDINGS } from './enums';
import { convOutputShape, convParams, convTailArgs, dataFormatArg, filtersArg } from './conv';
import { tupleOf } from './rules';

export const conv3dTranspose = defineLayer({
  key: 'conv3dTranspose',
  kerasClass: 'Conv3DTranspose',
  tfjsFactory: 'conv3dTranspose',
  label: 'Conv3DTranspose',
  category: 'convolution',
  doc: 'Works like Conv3D in reverse: it makes a 3-D volume bigger while learning how to fill in the detail.',
  args: {
    filters: filtersArg(),
    kernelSize: intTuple({ default: 3, length: 3, min: 1, max: 64, label: 'kernel size', essential: true, doc: 'The size of each filter: 3 means 3×3×3; or depth,height,width.' }),
    strides: intTuple({ default: 1, length: 3, min: 1, max: 64, doc: 'How much bigger each axis gets: 2 doubles it.' }),
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" makes the output exactly strides times the input size.' }),
    dataFormat: dataFormatArg(),
    ...convTailArgs(),
  },
  inputRank: { min: 4, max: 4 },
  outputShape: (input, args) =>
    convOutputShape('Conv3DTranspose', input, {
      kernel: tupleOf(args.kernelSize, 3),
      strides: tupleOf(args.strides, 3),
      padding: args.padding,
      dilation: [1, 1, 1],
      dataFormat: args.dataFormat,
      filters: args.filters,
      transpose: true,
    }),
  params: (input, args) => convParams(input, { kernel: tupleOf(args.kernelSize, 3), dataFormat: args.dataFormat, filters: args.filters }, args.useBias),
  examples: [{ input: [4, 8, 8, 16], args: { filters: 8, strides: 2, padding: 'same' } }, { input: [3, 4, 5, 2], args: { filters: 3, kernelSize: [1, 2, 3] } }],
});
