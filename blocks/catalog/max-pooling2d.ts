import { pooling2dLayer } from './pooling';

export const maxPooling2d = pooling2dLayer({
  key: 'maxPooling2d',
  kerasClass: 'MaxPooling2D',
  tfjsFactory: 'maxPooling2d',
  label: 'MaxPooling2D',
  doc: 'Shrinks the image by keeping only the biggest number in each small patch.',
});
