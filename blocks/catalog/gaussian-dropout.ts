import { defineLayer, float } from './define';

export const gaussianDropout = defineLayer({
  key: 'gaussianDropout',
  kerasClass: 'GaussianDropout',
  tfjsFactory: 'gaussianDropout',
  label: 'GaussianDropout',
  category: 'regularization',
  doc: 'While training, multiplies every number by random noise around 1, a smooth kind of Dropout.',
  args: {
    rate: float({ default: 0.25, min: 0, max: 1, maxExclusive: true, essential: true, doc: 'How strong the noise is, like a Dropout rate: 0.25 is mild.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [128] }],
});
