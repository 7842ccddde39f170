import { defineLayer, float } from './define';

export const masking = defineLayer({
  key: 'masking',
  kerasClass: 'Masking',
  tfjsFactory: 'masking',
  label: 'Masking',
  category: 'core',
  doc: 'Marks steps of a sequence that are only padding, so recurrent layers after it skip them.',
  args: {
    maskValue: float({ default: 0, label: 'mask value', doc: 'Steps where every number equals this are skipped.' }),
  },
  inputRank: { min: 2, max: 8 },
  outputShape: (input) => ({ shape: input }),
  params: () => 0,
  examples: [{ input: [20, 8] }, { input: [5, 3], args: { maskValue: -1 } }],
});
