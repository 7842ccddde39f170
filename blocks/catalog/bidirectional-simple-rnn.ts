import { bidirectionalLayer } from './bidirectional';
import { simpleRnn } from './simple-rnn';

export const bidirectionalSimpleRnn = bidirectionalLayer(simpleRnn, {
  key: 'bidirectionalSimpleRnn',
  label: 'Bidirectional SimpleRNN',
  doc: 'Two SimpleRNNs: one reads the sequence from the start, one from the end, so each step knows what comes before and after.',
});
