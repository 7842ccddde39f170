import { defineLayer, intList } from './define';

export const permute = defineLayer({
  key: 'permute',
  kerasClass: 'Permute',
  tfjsFactory: 'permute',
  label: 'Permute',
  category: 'reshaping',
  doc: 'Swaps the axes of the data around, e.g. turns rows into columns.',
  args: {
    dims: intList({
      default: [2, 1],
      minLength: 1,
      maxLength: 8,
      min: 1,
      max: 8,
      essential: true,
      label: 'new order',
      doc: 'The new order of the axes, counting from 1: 2,1 swaps the first two axes.',
    }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input, args) => {
    const sorted = [...args.dims].sort((a, b) => a - b);
    if (args.dims.length !== input.length || sorted.some((d, i) => d !== i + 1)) {
      const example = input.map((_, i) => input.length - i).join(',');
      return {
        problem: {
          code: 'bad-permutation',
          message: `This Permute block gets data with ${input.length} axes, so its new order must use each number from 1 to ${input.length} once, but it is ${args.dims.join(',')}.`,
          fix: `Type each number from 1 to ${input.length} once, for example ${example}.`,
        },
      };
    }
    return { shape: args.dims.map((d) => input[d - 1] ?? null) };
  },
  params: () => 0,
  examples: [{ input: [10, 64] }, { input: [4, 5, 6], args: { dims: [3, 1, 2] } }],
});
