/**
 * SimpleRNN, LSTM and GRU share their argument table and shape rule; they differ in how many
 * gates (weight sets) each step has. Left out on purpose: returnState (more than one output)
 * and stateful (needs a fixed batch size), which blocks can't express yet; TF.js ignores
 * `implementation`.
 */
import { bool, choice, defineLayer, float, int, type ArgSpec, type LayerDefinition } from './define';
import { ACTIVATIONS } from './enums';
import { activityRegularizerArg, weightArgs } from './weights';

interface RecurrentNames {
  key: string;
  kerasClass: string;
  tfjsFactory: string;
  label: string;
  doc: string;
  /** Weight sets per step: 1 for SimpleRNN, 4 for LSTM (input, forget, cell, output), 3 for GRU. */
  gates: number;
}

export const unitsArg = () => int({ default: 32, min: 1, max: 4096, essential: true, doc: 'How many numbers the layer remembers from step to step.' });

export const recurrentCommonArgs = () => ({
  activation: choice(ACTIVATIONS, { default: 'tanh', doc: 'The function applied to the memory at each step.' }),
  returnSequences: bool({
    default: false,
    label: 'return sequences',
    doc: 'On: outputs its memory after every step (needed before another recurrent layer). Off: only after the last step.',
  }),
  useBias: bool({ default: true, label: 'use bias', advanced: true, doc: 'Adds learned numbers at each step.' }),
  ...weightArgs('kernel', 'input weights', 'glorotNormal'),
  ...weightArgs('recurrent', 'memory weights', 'orthogonal'),
  ...weightArgs('bias', 'bias numbers', 'zeros'),
  ...activityRegularizerArg(),
  dropout: float({ default: 0, min: 0, max: 1, maxExclusive: true, advanced: true, doc: 'Share of the inputs switched off while training, like Dropout.' }),
  recurrentDropout: float({
    default: 0,
    min: 0,
    max: 1,
    maxExclusive: true,
    label: 'memory dropout',
    advanced: true,
    doc: 'Share of the memory switched off while training.',
  }),
  goBackwards: bool({ default: false, label: 'go backwards', advanced: true, doc: 'Reads the sequence from the end to the start.' }),
  unroll: bool({ default: false, advanced: true, doc: 'Copies the layer once per step: faster for short sequences, uses more memory.' }),
});

export const recurrentActivationArg = () =>
  choice(ACTIVATIONS, {
    default: 'hardSigmoid',
    label: 'gate activation',
    advanced: true,
    doc: 'The function that decides how much each gate lets through (TF.js uses hard sigmoid; Keras uses sigmoid).',
  });

export function recurrentLayer(o: RecurrentNames): LayerDefinition {
  const { gates, ...names } = o;
  const common = { units: unitsArg(), ...recurrentCommonArgs() };
  // The shape rules read only the common arguments; the gated ones just travel to TF.js.
  const extra: Record<string, ArgSpec> = {};
  if (gates > 1) extra.recurrentActivation = recurrentActivationArg();
  if (o.kerasClass === 'LSTM') {
    extra.unitForgetBias = bool({
      default: false,
      label: 'forget bias 1',
      advanced: true,
      doc: 'Starts the forget gate at 1, so the layer remembers more at first.',
    });
  }
  return defineLayer({
    ...names,
    category: 'recurrent',
    args: { ...common, ...extra } as typeof common,
    inputRank: { min: 2, max: 2 },
    outputShape: (input, args) => ({ shape: args.returnSequences ? [input[0] ?? null, args.units] : [args.units] }),
    // Each gate has input weights (features × units), memory weights (units × units) and a
    // bias per unit. TF.js's GRU has no reset_after, so it has one bias per gate, unlike Keras 2's default.
    params: (input, args) => {
      const features = input[1] ?? 0;
      return gates * (features * args.units + args.units * args.units + (args.useBias ? args.units : 0));
    },
    examples: [
      { input: [80, 128], args: { units: 64 } },
      { input: [10, 3], args: { units: 5, returnSequences: true, useBias: false, goBackwards: true } },
    ],
  });
}
