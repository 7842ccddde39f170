import { pooling1dLayer } from './pooling';

export const averagePooling1d = pooling1dLayer({
  key: 'averagePooling1d',
  kerasClass: 'AveragePooling1D',
  tfjsFactory: 'averagePooling1d',
  label: 'AveragePooling1D',
  doc: 'Shrinks a sequence by keeping the average of each short stretch of steps.',
});
