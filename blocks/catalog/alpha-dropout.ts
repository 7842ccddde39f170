import { defineLayer, float } from './define';

export const alphaDropout = defineLayer({
  key: 'alphaDropout',
  kerasClass: 'AlphaDropout',
  tfjsFactory: 'alphaDropout',
  label: 'AlphaDropout',
  category: 'regularization',
  doc: 'A Dropout for "selu" networks: it switches numbers off but keeps their average and spread steady.',
  args: {
    rate: float({ default: 0.1, min: 0, max: 1, maxExclusive: true, essential: true, doc: 'The share of numbers switched off each step: 0.1 means a tenth.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [64] }],
});
