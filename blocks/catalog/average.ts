import { defineElementwiseLayer } from './merge';

export const average = defineElementwiseLayer({
  key: 'average',
  kerasClass: 'Average',
  tfjsFactory: 'average',
  label: 'Average',
  doc: 'Takes the average of the inputs, number by number.',
  verb: 'averaged',
});
