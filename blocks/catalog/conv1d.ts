import { choice, defineLayer, int } from './define';
import { PADDINGS } from './enums';
import { convOutputShape, convParams, convTailArgs, filtersArg } from './conv';
import { stridesAndDilation } from './rules';

export const conv1d = defineLayer({
  key: 'conv1d',
  kerasClass: 'Conv1D',
  tfjsFactory: 'conv1d',
  label: 'Conv1D',
  category: 'convolution',
  doc: 'Slides small filters along a sequence (text, sound, sensor readings); each filter learns to spot one short pattern.',
  args: {
    filters: filtersArg(),
    kernelSize: int({ default: 3, min: 1, max: 1024, label: 'kernel size', essential: true, doc: 'How many steps each filter looks at at once.' }),
    strides: int({ default: 1, min: 1, max: 1024, doc: 'How many steps the filter moves each time; 2 halves the length.' }),
    // No "causal": TF.js 4.22 works out the wrong output length for it, so later layers would break.
    padding: choice(PADDINGS, { default: 'valid', doc: '"same" pads the ends with zeros so the length stays the same.' }),
    dilationRate: int({
      default: 1,
      min: 1,
      max: 1024,
      label: 'dilation rate',
      advanced: true,
      doc: 'Spreads the filter out with gaps, so it sees a longer stretch with the same number of weights.',
    }),
    ...convTailArgs(),
  },
  // TF.js's Conv1D always reads steps × channels, so it has no data format.
  inputRank: { min: 2, max: 2 },
  outputShape: (input, args) =>
    convOutputShape('Conv1D', input, {
      kernel: [args.kernelSize],
      strides: [args.strides],
      padding: args.padding,
      dilation: [args.dilationRate],
      dataFormat: 'channelsLast',
      filters: args.filters,
    }),
  params: (input, args) => convParams(input, { kernel: [args.kernelSize], dataFormat: 'channelsLast', filters: args.filters }, args.useBias),
  checkArgs: (args) => stridesAndDilation('Conv1D', [args.strides], [args.dilationRate]),
  examples: [
    { input: [400, 50], args: { filters: 250, activation: 'relu' } },
    { input: [20, 3], args: { filters: 4, kernelSize: 5, padding: 'same', dilationRate: 2 } },
    { input: [21, 2], args: { filters: 2, kernelSize: 4, strides: 3, padding: 'same', useBias: false } },
  ],
});
