import { pooling3dLayer } from './pooling';

export const maxPooling3d = pooling3dLayer({
  key: 'maxPooling3d',
  kerasClass: 'MaxPooling3D',
  tfjsFactory: 'maxPooling3d',
  label: 'MaxPooling3D',
  doc: 'Shrinks a 3-D volume (or video) by keeping only the biggest number in each small box.',
});
