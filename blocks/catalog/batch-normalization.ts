import { bool, defineLayer, float, int } from './define';
import { axisProblem, sampleAxis } from './rules';
import { weightArgs } from './weights';

export const batchNormalization = defineLayer({
  key: 'batchNormalization',
  kerasClass: 'BatchNormalization',
  tfjsFactory: 'batchNormalization',
  label: 'BatchNormalization',
  category: 'normalization',
  doc: 'Rescales the numbers so they stay around 0 with a steady spread, which often makes training faster.',
  args: {
    axis: int({ default: -1, min: -8, max: 8, advanced: true, doc: 'Which axis holds the channels to normalise one by one; -1 means the last.' }),
    momentum: float({ default: 0.99, min: 0, max: 1, advanced: true, doc: 'How slowly the running average changes; closer to 1 is slower.' }),
    epsilon: float({ default: 0.001, min: 0, max: 1, minExclusive: true, advanced: true, doc: 'A tiny number that avoids dividing by zero.' }),
    center: bool({ default: true, advanced: true, doc: 'Learns a number to shift the outputs.' }),
    scale: bool({ default: true, advanced: true, doc: 'Learns a number to stretch the outputs.' }),
    ...weightArgs('beta', 'shift numbers', 'zeros'),
    ...weightArgs('gamma', 'stretch numbers', 'ones'),
    movingMeanInitializer: weightArgs('movingMean', 'running averages', 'zeros').movingMeanInitializer,
    movingVarianceInitializer: weightArgs('movingVariance', 'running spreads', 'ones').movingVarianceInitializer,
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input, args) => (sampleAxis(input, args.axis) === null ? { problem: axisProblem('BatchNormalization', input, args.axis) } : { shape: input }),
  // A running mean and variance per channel are weights too (not trained), which is why
  // Keras counts them.
  params: (input, args) => {
    const channels = input[sampleAxis(input, args.axis) ?? -1] ?? 0;
    return channels * (2 + (args.center ? 1 : 0) + (args.scale ? 1 : 0));
  },
  checkArgs: (args) =>
    args.axis === 0
      ? [{ code: 'bad-axis', message: 'This BatchNormalization block has axis 0, which is the batch itself.', fix: 'Set axis to -1 (the last axis).' }]
      : [],
  examples: [{ input: [26, 26, 32] }, { input: [64], args: { center: false, momentum: 0.9 } }, { input: [4, 10, 10], args: { axis: 1 } }],
});
