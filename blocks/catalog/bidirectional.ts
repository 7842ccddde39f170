/**
 * Bidirectional(RNN) as one block per recurrent layer ("Bidirectional LSTM"), not a wrapper
 * block holding another block: a student then finds it in the toolbox beside LSTM, sets the
 * LSTM's settings on it as usual, and every setting stays on one block. The wrapper's own
 * setting (how the two directions are joined) is listed in `ownArgs` so the code generators
 * can put it outside the inner layer.
 */
import { choice, defineLayer, type ArgSpec, type EnumOption, type LayerDefinition } from './define';

export const MERGE_MODES: readonly EnumOption[] = [
  { value: 'concat', keras: 'concat', label: 'side by side', doc: 'Puts both readings next to each other: twice as many numbers come out.' },
  { value: 'sum', keras: 'sum', label: 'add', doc: 'Adds the two readings together.' },
  { value: 'ave', keras: 'ave', label: 'average', doc: 'Averages the two readings.' },
  { value: 'mul', keras: 'mul', label: 'multiply', doc: 'Multiplies the two readings.' },
];

interface BidirectionalNames {
  key: string;
  label: string;
  doc: string;
}

export function bidirectionalLayer(inner: LayerDefinition, names: BidirectionalNames): LayerDefinition {
  const innerArgs: Record<string, ArgSpec> = Object.fromEntries(inner.args.map((arg) => [arg.name, arg]));
  const args: Record<string, ArgSpec> = {
    ...innerArgs,
    mergeMode: choice(MERGE_MODES, { default: 'concat', label: 'join', doc: 'How the forward and the backward reading are joined into one.' }),
  };
  return defineLayer({
    ...names,
    kerasClass: 'Bidirectional',
    tfjsFactory: 'bidirectional',
    category: inner.category,
    args,
    inputRank: inner.inputRank,
    outputShape: (input, values) => {
      const outcome = inner.outputShape(input, values);
      if ('problem' in outcome || values.mergeMode !== 'concat') return outcome;
      const last = outcome.shape[outcome.shape.length - 1] ?? null;
      return { shape: [...outcome.shape.slice(0, -1), last === null ? null : last * 2] };
    },
    // One copy of the layer reads forwards and a second one backwards, each with its own weights.
    params: (input, values) => 2 * inner.params(input, values),
    checkArgs: (values) => inner.checkArgs(values),
    wraps: { inner, ownArgs: ['mergeMode'] },
    examples: [
      { input: [20, 8], args: { units: 16 } },
      { input: [10, 3], args: { units: 5, returnSequences: true, mergeMode: 'sum', useBias: false } },
      { input: [12, 4], args: { units: 6, mergeMode: 'ave', goBackwards: true } },
    ],
  });
}
