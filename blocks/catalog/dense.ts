import { bool, choice, defineLayer, int } from './define';
import { ACTIVATIONS } from './enums';
import { activityRegularizerArg, weightArgs } from './weights';

export const dense = defineLayer({
  key: 'dense',
  kerasClass: 'Dense',
  tfjsFactory: 'dense',
  label: 'Dense',
  category: 'core',
  doc: 'A layer of neurons where every neuron looks at every number coming in.',
  args: {
    units: int({ default: 64, min: 1, max: 100_000, essential: true, doc: 'How many neurons (outputs) this layer has.' }),
    activation: choice(ACTIVATIONS, { default: 'linear', doc: 'The function applied to each output.' }),
    useBias: bool({ default: true, label: 'use bias', advanced: true, doc: 'Adds a learned number to each output.' }),
    ...weightArgs('kernel', 'weights', 'glorotNormal'),
    ...weightArgs('bias', 'bias numbers', 'zeros'),
    ...activityRegularizerArg(),
  },
  // Keras would apply Dense to the last axis of an image, but for students that is almost
  // always a missing Flatten, so the catalogue asks for a flat list.
  inputRank: { min: 1, max: 1 },
  outputShape: (input, args) => ({ shape: [...input.slice(0, -1), args.units] }),
  params: (input, args) => (input[input.length - 1] ?? 0) * args.units + (args.useBias ? args.units : 0),
  examples: [
    { input: [784], args: { units: 128, activation: 'relu' } },
    { input: [64], args: { units: 1, useBias: false, kernelRegularizer: 'l2', biasConstraint: 'nonNeg' } },
  ],
});
