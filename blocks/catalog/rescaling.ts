import { defineLayer, float } from './define';

export const rescaling = defineLayer({
  key: 'rescaling',
  kerasClass: 'Rescaling',
  tfjsFactory: 'rescaling',
  label: 'Rescaling',
  category: 'preprocessing',
  doc: 'Multiplies every number by a scale and adds an offset, e.g. turns pixels 0 to 255 into 0 to 1.',
  args: {
    scale: float({ default: 1 / 255, min: -1_000_000, max: 1_000_000, essential: true, doc: 'What every number is multiplied by: 1/255 ≈ 0.0039 turns 0–255 into 0–1.' }),
    offset: float({ default: 0, min: -1_000_000, max: 1_000_000, doc: 'What is added after multiplying: -1 with scale 1/127.5 gives -1 to 1.' }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [28, 28, 1] }, { input: [10], args: { scale: 2, offset: -1 } }],
});
