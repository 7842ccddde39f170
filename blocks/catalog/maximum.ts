import { defineElementwiseLayer } from './merge';

export const maximum = defineElementwiseLayer({
  key: 'maximum',
  kerasClass: 'Maximum',
  tfjsFactory: 'maximum',
  label: 'Maximum',
  doc: 'Keeps the biggest of the inputs at each position.',
  verb: 'compared',
});
