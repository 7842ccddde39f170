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
  // TF.js can't build a Flatten whose size isn't known ("not fully defined"): a layer after it
  // would not know how many weights to make.
  outputShape: (input) => {
    const size = sizeOf(input);
    if (size !== null) return { shape: [size] };
    return {
      problem: {
        code: 'open-size',
        message: `This Flatten block gets data of shape ${input.map((d) => d ?? 'any').join(',')}, and a size marked "any" can't be unrolled into a list of known length.`,
        fix: 'Use a global pooling block (GlobalAveragePooling1D or GlobalMaxPooling1D) instead of Flatten, or give the Input block a fixed size.',
      },
    };
  },
  params: () => 0,
  examples: [{ input: [5, 5, 64] }, { input: [3, 4, 5], args: { dataFormat: 'channelsFirst' } }],
});
