import { bidirectionalLayer } from './bidirectional';
import { gru } from './gru';

export const bidirectionalGru = bidirectionalLayer(gru, {
  key: 'bidirectionalGru',
  label: 'Bidirectional GRU',
  doc: 'Two GRUs: one reads the sequence from the start, one from the end, so each step knows what comes before and after.',
});
