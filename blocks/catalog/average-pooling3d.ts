import { pooling3dLayer } from './pooling';

export const averagePooling3d = pooling3dLayer({
  key: 'averagePooling3d',
  kerasClass: 'AveragePooling3D',
  tfjsFactory: 'averagePooling3d',
  label: 'AveragePooling3D',
  doc: 'Shrinks a 3-D volume (or video) by keeping the average of each small box.',
});
