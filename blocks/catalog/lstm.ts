import { recurrentLayer } from './recurrent';

export const lstm = recurrentLayer({
  key: 'lstm',
  kerasClass: 'LSTM',
  tfjsFactory: 'lstm',
  label: 'LSTM',
  gates: 4,
  doc: 'Reads a sequence one step at a time with a memory that has gates to keep, forget and output, so it remembers long sequences.',
});
