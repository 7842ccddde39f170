import { bidirectionalLayer } from './bidirectional';
import { lstm } from './lstm';

export const bidirectionalLstm = bidirectionalLayer(lstm, {
  key: 'bidirectionalLstm',
  label: 'Bidirectional LSTM',
  doc: 'Two LSTMs: one reads the sequence from the start, one from the end, so each step knows what comes before and after.',
});
