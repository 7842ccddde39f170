import { defineLayer, float } from './define';

export const gaussianNoise = defineLayer({
  key: 'gaussianNoise',
  kerasClass: 'GaussianNoise',
  tfjsFactory: 'gaussianNoise',
  label: 'GaussianNoise',
  category: 'regularization',
  doc: 'While training, adds a little random noise to every number, so the model learns to ignore small changes.',
  args: {
    stddev: float({ default: 0.1, min: 0, max: 100, essential: true, label: 'noise size', doc: 'How big the noise is (its standard deviation).' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [28, 28, 1] }],
});
