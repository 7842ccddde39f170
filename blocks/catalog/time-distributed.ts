/**
 * TimeDistributed(layer) as one block per inner layer ("TimeDistributed Dense"), for the same
 * reason as the Bidirectional blocks: one block with the inner layer's own settings, found in
 * the toolbox by name. The inner layer sees one step of the sequence at a time, so the rules
 * here are the inner layer's rules on a sample without its first (steps) axis.
 */
import { defineLayer, type ArgSpec, type LayerDefinition, type LayerExample } from './define';

interface TimeDistributedNames {
  key: string;
  label: string;
  doc: string;
  examples: readonly LayerExample[];
}

export function timeDistributedLayer(inner: LayerDefinition, names: TimeDistributedNames): LayerDefinition {
  if (!inner.inputRank) throw new Error(`${inner.key} takes no input, so it can't be applied to each step.`);
  const args: Record<string, ArgSpec> = Object.fromEntries(inner.args.map((arg) => [arg.name, arg]));
  return defineLayer({
    ...names,
    kerasClass: 'TimeDistributed',
    tfjsFactory: 'timeDistributed',
    category: 'recurrent',
    args,
    // One more axis than the inner layer wants: the steps in front.
    inputRank: { min: inner.inputRank.min + 1, max: inner.inputRank.max + 1 },
    outputShape: (input, values) => {
      const outcome = inner.outputShape(input.slice(1), values);
      return 'problem' in outcome ? outcome : { shape: [input[0] ?? null, ...outcome.shape] };
    },
    // The same weights are used for every step.
    params: (input, values) => inner.params(input.slice(1), values),
    checkArgs: (values) => inner.checkArgs(values),
    wraps: { inner, ownArgs: [] },
  });
}
