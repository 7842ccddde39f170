import { bool, defineLayer, float, int } from './define';
import { axisProblem, sampleAxis } from './rules';
import { weightArgs } from './weights';

export const layerNormalization = defineLayer({
  key: 'layerNormalization',
  kerasClass: 'LayerNormalization',
  tfjsFactory: 'layerNormalization',
  label: 'LayerNormalization',
  category: 'normalization',
  doc: 'Rescales the numbers of each example on its own so they stay around 0 with a steady spread; common in text models.',
  args: {
    axis: int({ default: -1, min: -8, max: 8, advanced: true, doc: 'Which axis to normalise over; -1 means the last.' }),
    epsilon: float({ default: 0.001, min: 0, max: 1, minExclusive: true, advanced: true, doc: 'A tiny number that avoids dividing by zero.' }),
    center: bool({ default: true, advanced: true, doc: 'Learns a number to shift the outputs.' }),
    scale: bool({ default: true, advanced: true, doc: 'Learns a number to stretch the outputs.' }),
    ...weightArgs('beta', 'shift numbers', 'zeros'),
    ...weightArgs('gamma', 'stretch numbers', 'ones'),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input, args) => (sampleAxis(input, args.axis) === null ? { problem: axisProblem('LayerNormalization', input, args.axis) } : { shape: input }),
  params: (input, args) => {
    const size = input[sampleAxis(input, args.axis) ?? -1] ?? 0;
    return size * ((args.center ? 1 : 0) + (args.scale ? 1 : 0));
  },
  checkArgs: (args) =>
    args.axis === 0
      ? [{ code: 'bad-axis', message: 'This LayerNormalization block has axis 0, which is the batch itself.', fix: 'Set axis to -1 (the last axis).' }]
      : [],
  examples: [{ input: [20, 64] }, { input: [32], args: { center: false } }, { input: [4, 6], args: { axis: 1 } }],
});
