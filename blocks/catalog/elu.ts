import { defineLayer } from './define';

export const elu = defineLayer({
  key: 'elu',
  kerasClass: 'ELU',
  tfjsFactory: 'elu',
  label: 'ELU',
  category: 'activations',
  doc: 'Like relu, but negative numbers curve smoothly down towards -1 instead of becoming 0.',
  // TF.js 4.22 refuses any alpha but 1 ("not implemented"), so alpha is not offered.
  args: {},
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [64] }, { input: [4, 4] }],
});
