import { conv2d } from './conv2d';
import { timeDistributedLayer } from './time-distributed';

export const timeDistributedConv2d = timeDistributedLayer(conv2d, {
  key: 'timeDistributedConv2d',
  label: 'TimeDistributed Conv2D',
  doc: 'The same Conv2D applied to every image of a sequence (every frame of a video) on its own.',
  examples: [
    { input: [5, 16, 16, 3], args: { filters: 4, activation: 'relu' } },
    { input: [3, 12, 12, 1], args: { filters: 2, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false } },
  ],
});
