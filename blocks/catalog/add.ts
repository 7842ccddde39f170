import { defineElementwiseLayer } from './merge';

export const add = defineElementwiseLayer({
  key: 'add',
  kerasClass: 'Add',
  tfjsFactory: 'add',
  label: 'Add',
  doc: 'Adds the inputs together, number by number. Used for shortcut (residual) connections.',
  verb: 'added',
});
