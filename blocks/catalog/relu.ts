import { defineLayer, float } from './define';

export const relu = defineLayer({
  key: 'relu',
  kerasClass: 'ReLU',
  tfjsFactory: 'reLU',
  label: 'ReLU',
  category: 'activations',
  doc: 'Keeps positive numbers and turns negative ones into 0, with an optional cap on big numbers.',
  args: {
    maxValue: float({ default: null, nullMeans: 'no cap', min: 0, label: 'max value', doc: 'Numbers above this are cut down to it; "auto" means no cap.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [64] }, { input: [8, 8, 3], args: { maxValue: 6 } }],
});
