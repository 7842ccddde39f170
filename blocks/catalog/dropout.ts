import { defineLayer, float } from './define';

export const dropout = defineLayer({
  key: 'dropout',
  kerasClass: 'Dropout',
  tfjsFactory: 'dropout',
  label: 'Dropout',
  category: 'regularization',
  doc: 'While training, randomly switches off some numbers so the model cannot rely on any single one. Does nothing when predicting.',
  args: {
    rate: float({
      default: 0.25,
      min: 0,
      max: 1,
      maxExclusive: true,
      essential: true,
      doc: 'The share of numbers switched off each step: 0.25 means a quarter.',
    }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [128], args: { rate: 0.5 } }],
});
