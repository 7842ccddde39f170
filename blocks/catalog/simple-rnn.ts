import { recurrentLayer } from './recurrent';

export const simpleRnn = recurrentLayer({
  key: 'simpleRnn',
  kerasClass: 'SimpleRNN',
  tfjsFactory: 'simpleRNN',
  label: 'SimpleRNN',
  gates: 1,
  doc: 'Reads a sequence one step at a time, mixing each step into a short memory. Simple, but forgets long sequences.',
});
