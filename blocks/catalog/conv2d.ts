import { bool, choice, defineLayer, int, intOrPair } from './define';
import { ACTIVATIONS, INITIALIZERS, PADDINGS } from './enums';
import { pair, slideWindow2d } from './rules';

export const conv2d = defineLayer({
  key: 'conv2d',
  kerasClass: 'Conv2D',
  tfjsFactory: 'conv2d',
  label: 'Conv2D',
  category: 'convolution',
  doc: 'Slides small filters over the image; each filter learns to spot one pattern, like an edge or a curve.',
  args: {
    filters: int({ default: 16, min: 1, max: 4096, essential: true, doc: 'How many different patterns (filters) to learn.' }),
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
    activation: choice(ACTIVATIONS, { default: 'linear', doc: 'The function applied to each output.' }),
    useBias: bool({ default: true, label: 'use bias', advanced: true, doc: 'Adds a learned number to each filter output.' }),
    dilationRate: intOrPair({
      default: 1,
      min: 1,
      max: 64,
      label: 'dilation rate',
      advanced: true,
      doc: 'Spreads the filter out with gaps, so it sees a wider area with the same number of weights.',
    }),
    kernelInitializer: choice(INITIALIZERS, {
      default: 'glorotNormal',
      label: 'weights start as',
      advanced: true,
      doc: 'How the filter weights are set before training starts.',
    }),
    biasInitializer: choice(INITIALIZERS, {
      default: 'zeros',
      label: 'bias starts as',
      advanced: true,
      doc: 'How the bias numbers are set before training starts.',
    }),
  },
  inputRank: { min: 3, max: 3 },
  outputShape: (input, args) => {
    const slid = slideWindow2d(
      input,
      { window: args.kernelSize, strides: args.strides, padding: args.padding, dilation: args.dilationRate },
      'Conv2D',
      'kernel',
    );
    return 'problem' in slid ? slid : { shape: [slid.height, slid.width, args.filters] };
  },
  params: (input, args) => {
    const [kh, kw] = pair(args.kernelSize);
    const channels = input[2] ?? 0;
    return kh * kw * channels * args.filters + (args.useBias ? args.filters : 0);
  },
  checkArgs: (args) => {
    const stepping = pair(args.strides).some((s) => s > 1);
    const spread = pair(args.dilationRate).some((d) => d > 1);
    return stepping && spread
      ? [
          {
            code: 'strides-and-dilation',
            message: 'This Conv2D block has both strides and dilation rate above 1, and TensorFlow can only do one of them at a time.',
            fix: 'Set strides to 1 or dilation rate to 1.',
          },
        ]
      : [];
  },
});
