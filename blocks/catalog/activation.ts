import { choice, defineLayer } from './define';
import { ACTIVATIONS } from './enums';

export const activation = defineLayer({
  key: 'activation',
  kerasClass: 'Activation',
  tfjsFactory: 'activation',
  label: 'Activation',
  category: 'core',
  doc: 'Applies an activation function to every number, on its own block.',
  args: {
    activation: choice(ACTIVATIONS, { default: 'relu', essential: true, doc: 'The function applied to each number.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [10], args: { activation: 'softmax' } }, { input: [8, 8, 3] }],
});
