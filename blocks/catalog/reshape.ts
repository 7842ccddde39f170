import { defineLayer, shape } from './define';
import { formatCount } from './words';
import { sizeOf } from './rules';

export const reshape = defineLayer({
  key: 'reshape',
  kerasClass: 'Reshape',
  tfjsFactory: 'reshape',
  label: 'Reshape',
  category: 'reshaping',
  doc: 'Rearranges the same numbers into a new shape, e.g. a list of 784 into a 28,28,1 image.',
  args: {
    targetShape: shape({
      default: [28, 28, 1],
      minLength: 1,
      maxLength: 4,
      maxDim: 100_000,
      essential: true,
      label: 'new shape',
      doc: 'The new shape, as numbers separated by commas; they must multiply to the number of numbers coming in.',
    }),
  },
  // Keras allows one -1 ("whatever fits"), but TF.js 4.22 leaves it unresolved when building
  // a model, so layers after it fail: the catalogue asks for every size instead.
  inputRank: { min: 1, max: 8 },
  outputShape: (input, args) => {
    const incoming = sizeOf(input);
    const size = args.targetShape.reduce((a, b) => a * b, 1);
    if (incoming !== null && incoming !== size) {
      return {
        problem: {
          code: 'reshape-size-mismatch',
          message: `This Reshape block gets ${formatCount(incoming)} numbers, but the new shape ${args.targetShape.join(',')} holds ${formatCount(size)}.`,
          fix: `Choose a new shape whose numbers multiply to ${formatCount(incoming)}.`,
        },
      };
    }
    return { shape: args.targetShape };
  },
  params: () => 0,
  examples: [{ input: [784], args: { targetShape: [28, 28, 1] } }],
});
