import { defineLayer, int } from './define';

export const repeatVector = defineLayer({
  key: 'repeatVector',
  kerasClass: 'RepeatVector',
  tfjsFactory: 'repeatVector',
  label: 'RepeatVector',
  category: 'reshaping',
  doc: 'Repeats a list of numbers several times, making a sequence (e.g. to feed one summary to every step of a recurrent layer).',
  args: {
    n: int({ default: 3, min: 1, max: 10_000, essential: true, label: 'times', doc: 'How many times to repeat the list.' }),
  },
  inputRank: { min: 1, max: 1 },
  outputShape: (input, args) => ({ shape: [args.n, input[0] ?? null] }),
  params: () => 0,
  examples: [{ input: [32], args: { n: 10 } }],
});
