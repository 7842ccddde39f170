import { defineLayer, intList } from './define';
import { weightArgs } from './weights';

export const prelu = defineLayer({
  key: 'prelu',
  kerasClass: 'PReLU',
  tfjsFactory: 'prelu',
  label: 'PReLU',
  category: 'activations',
  doc: 'Like LeakyReLU, but the model learns how much of each negative number to keep.',
  args: {
    ...weightArgs('alpha', 'slopes', 'zeros'),
    sharedAxes: intList({
      default: null,
      nullMeans: 'one slope per number',
      minLength: 1,
      maxLength: 7,
      min: 1,
      max: 8,
      label: 'shared axes',
      advanced: true,
      doc: 'Axes (counting from 1) that share one slope; 1,2 on an image means one slope per channel.',
    }),
  },
  inputRank: { min: 1, max: 8 },
  outputShape: (input, args) => {
    const bad = (args.sharedAxes ?? []).find((a) => a > input.length);
    if (bad !== undefined) {
      return {
        problem: {
          code: 'bad-axis',
          message: `This PReLU block shares slopes along axis ${bad}, but the data coming in has only ${input.length} axes.`,
          fix: `Use axes from 1 to ${input.length}, or "auto".`,
        },
      };
    }
    return { shape: input };
  },
  // One learned slope per number, except along shared axes, where one slope serves them all.
  params: (input, args) => input.reduce<number>((n, d, i) => n * ((args.sharedAxes ?? []).includes(i + 1) ? 1 : (d ?? 0)), 1),
  examples: [{ input: [64] }, { input: [8, 8, 16], args: { sharedAxes: [1, 2] } }],
});
