/**
 * ConvLSTM2D: an LSTM whose gates are convolutions, for sequences of images (video frames,
 * weather maps). It shares the LSTM's recurrent settings and Conv2D's window arithmetic.
 */
import { bool, defineLayer } from './define';
import { conv2dWindowArgs, convOutputShape, convParams } from './conv';
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
    ...conv2dWindowArgs('the images do'),
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
