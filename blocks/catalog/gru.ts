import { recurrentLayer } from './recurrent';

export const gru = recurrentLayer({
  key: 'gru',
  kerasClass: 'GRU',
  tfjsFactory: 'gru',
  label: 'GRU',
  gates: 3,
  doc: 'A lighter LSTM: reads a sequence step by step with a gated memory, using fewer weights.',
});
