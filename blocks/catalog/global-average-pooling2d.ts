import { globalPoolingLayer } from './pooling';

export const globalAveragePooling2d = globalPoolingLayer({
  key: 'globalAveragePooling2d',
  kerasClass: 'GlobalAveragePooling2D',
  tfjsFactory: 'globalAveragePooling2d',
  label: 'GlobalAveragePooling2D',
  rank: 2,
  doc: 'Keeps the average of each channel over the whole image: a light replacement for Flatten.',
});
