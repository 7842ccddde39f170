import { defineLayer, shape } from './define';

export const input = defineLayer({
  key: 'input',
  kerasClass: 'InputLayer',
  tfjsFactory: null,
  label: 'Input',
  category: 'input',
  doc: 'Says what one example of your data looks like. MNIST digits are 28,28,1: 28×28 pixels with 1 colour channel.',
  args: {
    shape: shape({
      default: [28, 28, 1],
      minLength: 1,
      maxLength: 4,
      maxDim: 100_000,
      anySize: true,
      essential: true,
      doc: 'The size of one example, as numbers separated by commas: height,width,channels for images, or one number for a list. Type "any" for a size that changes from example to example, like the length of a text.',
    }),
  },
  inputRank: null,
  outputShape: (_input, args) => ({ shape: args.shape }),
  params: () => 0,
  examples: [],
});
