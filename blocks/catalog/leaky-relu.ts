import { defineLayer, float } from './define';

export const leakyRelu = defineLayer({
  key: 'leakyRelu',
  kerasClass: 'LeakyReLU',
  tfjsFactory: 'leakyReLU',
  label: 'LeakyReLU',
  category: 'activations',
  doc: 'Like relu, but lets a small part of negative numbers through instead of turning them into 0.',
  args: {
    alpha: float({ default: 0.3, min: 0, max: 1, label: 'negative slope', doc: 'How much of a negative number is kept: 0.3 keeps 30%.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [64] }, { input: [8, 8, 3], args: { alpha: 0.1 } }],
});
