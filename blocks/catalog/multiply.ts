import { defineElementwiseLayer } from './merge';

export const multiply = defineElementwiseLayer({
  key: 'multiply',
  kerasClass: 'Multiply',
  tfjsFactory: 'multiply',
  label: 'Multiply',
  doc: 'Multiplies the inputs together, number by number. Often used to let one branch switch parts of another on or off.',
  verb: 'multiplied',
});
