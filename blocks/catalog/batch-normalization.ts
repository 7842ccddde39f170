import { bool, defineLayer, float } from './define';

export const batchNormalization = defineLayer({
  key: 'batchNormalization',
  kerasClass: 'BatchNormalization',
  tfjsFactory: 'batchNormalization',
  label: 'BatchNormalization',
  category: 'normalization',
  doc: 'Rescales the numbers so they stay around 0 with a steady spread, which often makes training faster.',
  args: {
    momentum: float({ default: 0.99, min: 0, max: 1, advanced: true, doc: 'How slowly the running average changes; closer to 1 is slower.' }),
    epsilon: float({ default: 0.001, min: 0, max: 1, minExclusive: true, advanced: true, doc: 'A tiny number that avoids dividing by zero.' }),
    center: bool({ default: true, advanced: true, doc: 'Learns a number to shift the outputs.' }),
    scale: bool({ default: true, advanced: true, doc: 'Learns a number to stretch the outputs.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  // Normalises the last axis (channels): a running mean and variance per channel are
  // weights too (not trained), which is why Keras counts them.
  params: (input, args) => {
    const channels = input[input.length - 1] ?? 0;
    return channels * (2 + (args.center ? 1 : 0) + (args.scale ? 1 : 0));
  },
});
