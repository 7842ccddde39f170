import { pooling2dLayer } from './pooling';

export const averagePooling2d = pooling2dLayer({
  key: 'averagePooling2d',
  kerasClass: 'AveragePooling2D',
  tfjsFactory: 'averagePooling2d',
  label: 'AveragePooling2D',
  doc: 'Shrinks the image by keeping the average of each small patch.',
});
