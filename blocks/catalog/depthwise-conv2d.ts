import { choice, defineLayer, int, intOrPair } from './define';
import { PADDINGS } from './enums';
import { convTailArgs, dataFormatArg } from './conv';
import { joinChannels, pair, slideWindowNd, splitChannels, stridesAndDilation } from './rules';
import { weightArgs } from './weights';

const { kernelInitializer: _ki, kernelRegularizer: _kr, kernelConstraint: _kc, ...tail } = convTailArgs();

export const depthwiseConv2d = defineLayer({
  key: 'depthwiseConv2d',
  kerasClass: 'DepthwiseConv2D',
  tfjsFactory: 'depthwiseConv2d',
  label: 'DepthwiseConv2D',
  category: 'convolution',
  doc: 'Filters each colour channel on its own, without mixing channels: a cheap way to find patterns per channel.',
  args: {
    kernelSize: intOrPair({ default: 3, min: 1, max: 64, label: 'kernel size', essential: true, doc: 'The size of each filter: 3 means 3×3 pixels; 3,5 means 3 tall and 5 wide.' }),
    depthMultiplier: int({ default: 1, min: 1, max: 64, label: 'depth multiplier', doc: 'How many filters each channel gets; the output has channels × this many channels.' }),
    strides: intOrPair({ default: 1, min: 1, max: 64, doc: 'How many pixels the filter moves each step; 2 halves the image size.' }),
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" adds a border of zeros so the image does not shrink.' }),
    dataFormat: dataFormatArg(),
    dilationRate: intOrPair({ default: 1, min: 1, max: 64, label: 'dilation rate', advanced: true, doc: 'Spreads the filter out with gaps, so it sees a wider area.' }),
    ...tail,
    ...weightArgs('depthwise', 'weights', 'glorotNormal'),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) => {
    const { spatial, channels } = splitChannels(input, args.dataFormat);
    const slid = slideWindowNd(
      spatial,
      { window: pair(args.kernelSize), strides: pair(args.strides), padding: args.padding, dilation: pair(args.dilationRate) },
      'DepthwiseConv2D',
      'kernel',
    );
    if ('problem' in slid) return slid;
    return { shape: joinChannels(slid.sizes, channels === null ? null : channels * args.depthMultiplier, args.dataFormat) };
  },
  params: (input, args) => {
    const [kh, kw] = pair(args.kernelSize);
    const out = (splitChannels(input, args.dataFormat).channels ?? 0) * args.depthMultiplier;
    return kh * kw * out + (args.useBias ? out : 0);
  },
  checkArgs: (args) => stridesAndDilation('DepthwiseConv2D', pair(args.strides), pair(args.dilationRate)),
  examples: [{ input: [28, 28, 8] }, { input: [16, 16, 3], args: { kernelSize: 5, depthMultiplier: 2, strides: 2, padding: 'same', useBias: false } }],
});
