import { defineLayer } from './define';
import { sizeOf } from './rules';

export const flatten = defineLayer({
  key: 'flatten',
  kerasClass: 'Flatten',
  tfjsFactory: 'flatten',
  label: 'Flatten',
  category: 'reshaping',
  doc: 'Unrolls an image into one long list of numbers, so Dense layers can use it.',
  args: {},
  inputRank: { min: 1, max: 8 },
  outputShape: (input) => ({ shape: [sizeOf(input)] }),
  params: () => 0,
});
