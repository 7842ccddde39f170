import { defineLayer } from './define';
import { dataFormatArg } from './conv';
import { sizeOf } from './rules';

export const flatten = defineLayer({
  key: 'flatten',
  kerasClass: 'Flatten',
  tfjsFactory: 'flatten',
  label: 'Flatten',
  category: 'reshaping',
  doc: 'Unrolls an image into one long list of numbers, so Dense layers can use it.',
  args: { dataFormat: dataFormatArg() },
  // TF.js refuses to flatten what is already flat (Keras allows it), so the checker says so first.
  inputRank: {
    min: 2,
    max: 8,
    whenFlat: { message: 'something to unroll, and this data is already one list.', fix: 'Delete this Flatten block: the data is already flat.' },
  },
  outputShape: (input) => ({ shape: [sizeOf(input)] }),
  params: () => 0,
  examples: [{ input: [5, 5, 64] }, { input: [3, 4, 5], args: { dataFormat: 'channelsFirst' } }],
});
