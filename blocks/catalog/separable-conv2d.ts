import { choice, defineLayer, int, intOrPair } from './define';
import { PADDINGS } from './enums';
import { convOutputShape, convTailArgs, dataFormatArg, filtersArg } from './conv';
import { pair, splitChannels, stridesAndDilation } from './rules';
import { weightArgs } from './weights';

const { kernelInitializer: _ki, kernelRegularizer: _kr, kernelConstraint: _kc, ...tail } = convTailArgs();

export const separableConv2d = defineLayer({
  key: 'separableConv2d',
  kerasClass: 'SeparableConv2D',
  tfjsFactory: 'separableConv2d',
  label: 'SeparableConv2D',
  category: 'convolution',
  doc: 'A lighter Conv2D: first filters each colour channel on its own, then mixes the channels, using far fewer weights.',
  args: {
    filters: filtersArg(),
    kernelSize: intOrPair({ default: 3, min: 1, max: 64, label: 'kernel size', essential: true, doc: 'The size of each filter: 3 means 3×3 pixels; 3,5 means 3 tall and 5 wide.' }),
    strides: intOrPair({ default: 1, min: 1, max: 64, doc: 'How many pixels the filter moves each step; 2 halves the image size.' }),
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" adds a border of zeros so the image does not shrink.' }),
    dataFormat: dataFormatArg(),
    dilationRate: intOrPair({ default: 1, min: 1, max: 64, label: 'dilation rate', advanced: true, doc: 'Spreads the filter out with gaps, so it sees a wider area.' }),
    depthMultiplier: int({ default: 1, min: 1, max: 64, label: 'depth multiplier', advanced: true, doc: 'How many filters each colour channel gets in the first step.' }),
    ...tail,
    ...weightArgs('depthwise', 'per-channel weights', 'glorotUniform'),
    ...weightArgs('pointwise', 'mixing weights', 'glorotUniform'),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) =>
    convOutputShape('SeparableConv2D', input, {
      kernel: pair(args.kernelSize),
      strides: pair(args.strides),
      padding: args.padding,
      dilation: pair(args.dilationRate),
      dataFormat: args.dataFormat,
      filters: args.filters,
    }),
  params: (input, args) => {
    const [kh, kw] = pair(args.kernelSize);
    const channels = splitChannels(input, args.dataFormat).channels ?? 0;
    const spread = channels * args.depthMultiplier;
    return kh * kw * spread + spread * args.filters + (args.useBias ? args.filters : 0);
  },
  checkArgs: (args) => stridesAndDilation('SeparableConv2D', pair(args.strides), pair(args.dilationRate)),
  examples: [
    { input: [32, 32, 3], args: { filters: 16, activation: 'relu' } },
    { input: [15, 15, 8], args: { filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', depthMultiplier: 2, useBias: false } },
  ],
});
