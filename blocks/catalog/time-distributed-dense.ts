import { dense } from './dense';
import { timeDistributedLayer } from './time-distributed';

export const timeDistributedDense = timeDistributedLayer(dense, {
  key: 'timeDistributedDense',
  label: 'TimeDistributed Dense',
  doc: 'The same Dense layer applied to every step of a sequence on its own, e.g. to label each word of a sentence.',
  examples: [
    { input: [10, 8], args: { units: 4 } },
    { input: [6, 5], args: { units: 3, activation: 'softmax', useBias: false } },
  ],
});
