import { defineLayer, int } from './define';
import { axisProblem, sampleAxis } from './rules';

export const softmax = defineLayer({
  key: 'softmax',
  kerasClass: 'Softmax',
  tfjsFactory: 'softmax',
  label: 'Softmax',
  category: 'activations',
  doc: 'Turns numbers into probabilities that add up to 1 along one axis.',
  args: {
    // TF.js's Softmax layer defaults to axis 1 and Keras's to -1, so the code always says which.
    axis: int({ default: -1, min: -8, max: 8, essential: true, advanced: true, doc: 'Which axis adds up to 1; -1 means the last.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input, args) => (sampleAxis(input, args.axis) === null ? { problem: axisProblem('Softmax', input, args.axis) } : { shape: input }),
  params: () => 0,
  examples: [{ input: [10] }, { input: [5, 4], args: { axis: 1 } }],
});
