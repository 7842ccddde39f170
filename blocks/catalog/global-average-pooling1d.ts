import { globalPoolingLayer } from './pooling';

export const globalAveragePooling1d = globalPoolingLayer({
  key: 'globalAveragePooling1d',
  kerasClass: 'GlobalAveragePooling1D',
  tfjsFactory: 'globalAveragePooling1d',
  label: 'GlobalAveragePooling1D',
  rank: 1,
  doc: 'Keeps the average of each channel over the whole sequence: one number per channel.',
});
