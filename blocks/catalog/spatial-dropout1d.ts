import { defineLayer, float } from './define';

export const spatialDropout1d = defineLayer({
  key: 'spatialDropout1d',
  kerasClass: 'SpatialDropout1D',
  tfjsFactory: 'spatialDropout1d',
  label: 'SpatialDropout1D',
  category: 'regularization',
  doc: 'Like Dropout for sequences: while training, switches off whole channels at once instead of single numbers.',
  args: {
    rate: float({ default: 0.2, min: 0, max: 1, maxExclusive: true, essential: true, doc: 'The share of channels switched off each step: 0.2 means a fifth.' }),
  },
  inputRank: { min: 2, max: 2 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [100, 64] }],
});
