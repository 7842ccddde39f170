import { defineLayer, float } from './define';

export const thresholdedRelu = defineLayer({
  key: 'thresholdedRelu',
  kerasClass: 'ThresholdedReLU',
  tfjsFactory: 'thresholdedReLU',
  label: 'ThresholdedReLU',
  category: 'activations',
  doc: 'Keeps numbers above a threshold and turns all others into 0.',
  args: {
    theta: float({ default: 1, min: 0, max: 1_000_000, label: 'threshold', doc: 'Numbers at or below this become 0.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [64] }, { input: [4, 4], args: { theta: 0.5 } }],
});
