import { maxPooling2d } from './max-pooling2d';
import { timeDistributedLayer } from './time-distributed';

export const timeDistributedMaxPooling2d = timeDistributedLayer(maxPooling2d, {
  key: 'timeDistributedMaxPooling2d',
  label: 'TimeDistributed MaxPooling2D',
  doc: 'The same MaxPooling2D applied to every image of a sequence (every frame of a video) on its own.',
  examples: [
    { input: [5, 16, 16, 3], args: { poolSize: 2 } },
    { input: [4, 9, 9, 2], args: { poolSize: 3, strides: 2, padding: 'same' } },
  ],
});
