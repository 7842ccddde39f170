import { defineLayer, float, int } from './define';

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
    seed: int({
      default: null,
      nullMeans: 'a new random choice each run',
      min: 0,
      max: 2 ** 31 - 1,
      advanced: true,
      doc: 'Fixes which numbers are switched off, so two runs drop the same ones.',
    }),
  },
  // noise_shape is left out: it fixes the batch size in the shape, which a student's batch size
  // setting would then break; SpatialDropout1D covers the usual use (dropping whole channels).
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [128], args: { rate: 0.5 } }],
});
