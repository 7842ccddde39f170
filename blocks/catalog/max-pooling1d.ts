import { pooling1dLayer } from './pooling';

export const maxPooling1d = pooling1dLayer({
  key: 'maxPooling1d',
  kerasClass: 'MaxPooling1D',
  tfjsFactory: 'maxPooling1d',
  label: 'MaxPooling1D',
  doc: 'Shrinks a sequence by keeping only the biggest number in each short stretch of steps.',
});
