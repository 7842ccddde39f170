import { choice, defineLayer, int, type EnumOption } from './define';

const OUTPUT_MODES: readonly EnumOption[] = [
  { value: 'multiHot', keras: 'multi_hot', label: 'multi-hot', doc: 'One list per example with a 1 for every category that appears.' },
  { value: 'oneHot', keras: 'one_hot', label: 'one-hot', doc: 'One list per number, with a 1 at its category.' },
  { value: 'count', keras: 'count', label: 'count', doc: 'One list per example counting how often each category appears.' },
];

export const categoryEncoding = defineLayer({
  key: 'categoryEncoding',
  kerasClass: 'CategoryEncoding',
  tfjsFactory: 'categoryEncoding',
  label: 'CategoryEncoding',
  category: 'preprocessing',
  doc: 'Turns category numbers (0, 1, 2, …) into lists of 0s and 1s the model can use.',
  args: {
    numTokens: int({ default: 10, min: 1, max: 100_000, essential: true, label: 'categories', doc: 'How many categories there are (numbers 0 up to this minus 1).' }),
    outputMode: choice(OUTPUT_MODES, { default: 'multiHot', label: 'output', doc: 'How the categories are written out.' }),
  },
  inputRank: { min: 1, max: 1 },
  outputShape: (input, args) =>
    // As TF.js works it out: one-hot adds an axis unless the last one is already 1 long.
    ({ shape: args.outputMode === 'oneHot' && input[0] !== 1 ? [...input, args.numTokens] : [args.numTokens] }),
  params: () => 0,
  examples: [{ input: [5], args: { numTokens: 8 } }, { input: [1], args: { numTokens: 4, outputMode: 'oneHot' } }, { input: [3], args: { numTokens: 6, outputMode: 'count' } }],
});
