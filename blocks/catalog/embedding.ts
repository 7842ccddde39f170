import { bool, defineLayer, int } from './define';
import { activityRegularizerArg, weightArgs } from './weights';

export const embedding = defineLayer({
  key: 'embedding',
  kerasClass: 'Embedding',
  tfjsFactory: 'embedding',
  label: 'Embedding',
  category: 'core',
  doc: 'Turns each word number into a list of numbers the model learns, so that similar words end up with similar lists.',
  args: {
    inputDim: int({ default: 10_000, min: 1, max: 1_000_000, essential: true, label: 'vocabulary size', doc: 'How many different words (numbers 0 up to this minus 1) can come in.' }),
    outputDim: int({ default: 32, min: 1, max: 4096, essential: true, label: 'numbers per word', doc: 'How long the learned list for each word is.' }),
    ...weightArgs('embeddings', 'word lists', 'randomUniform'),
    ...activityRegularizerArg(),
    maskZero: bool({ default: false, label: 'mask zero', advanced: true, doc: 'Treats word number 0 as padding that later layers skip.' }),
  },
  // The Input block already says how long each sequence is, so TF.js's inputLength is not needed.
  inputRank: { min: 1, max: 2 },
  outputShape: (input, args) => ({ shape: [...input, args.outputDim] }),
  params: (_input, args) => args.inputDim * args.outputDim,
  examples: [{ input: [80], args: { inputDim: 20_000, outputDim: 128 } }, { input: [10, 4], args: { inputDim: 50, outputDim: 8, maskZero: true } }],
});
