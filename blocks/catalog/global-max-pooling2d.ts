import { globalPoolingLayer } from './pooling';

export const globalMaxPooling2d = globalPoolingLayer({
  key: 'globalMaxPooling2d',
  kerasClass: 'GlobalMaxPooling2D',
  tfjsFactory: 'globalMaxPooling2d',
  label: 'GlobalMaxPooling2D',
  rank: 2,
  doc: 'Keeps only the biggest number of each channel over the whole image.',
});
