import { globalPoolingLayer } from './pooling';

export const globalMaxPooling1d = globalPoolingLayer({
  key: 'globalMaxPooling1d',
  kerasClass: 'GlobalMaxPooling1D',
  tfjsFactory: 'globalMaxPooling1d',
  label: 'GlobalMaxPooling1D',
  rank: 1,
  doc: 'Keeps only the biggest number of each channel over the whole sequence.',
});
