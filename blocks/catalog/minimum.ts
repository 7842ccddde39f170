import { defineElementwiseLayer } from './merge';

export const minimum = defineElementwiseLayer({
  key: 'minimum',
  kerasClass: 'Minimum',
  tfjsFactory: 'minimum',
  label: 'Minimum',
  doc: 'Keeps the smallest of the inputs at each position.',
  verb: 'compared',
});
