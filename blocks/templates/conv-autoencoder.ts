import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/**
 * The convolutional autoencoder of the Keras blog post "Building Autoencoders in Keras":
 * convolutions and pooling shrink a digit to 4×4×8, upsampling grows it back to 28×28×1.
 * The one convolution without "same" padding turns 16×16 into 14×14 so the last upsampling
 * lands on 28. 4,385 parameters, as in the post.
 */
export function convAutoencoderWorkspace(): WorkspaceState {
  const conv = (filters: number, padding = 'same', activation = 'relu') => ({ key: 'conv2d', args: { filters, kernelSize: 3, padding, activation } });
  const pool = { key: 'maxPooling2d', args: { poolSize: 2, padding: 'same' } };
  const up = { key: 'upSampling2d', args: { size: 2 } };
  return modelWorkspace('conv-ae', 'Convolutional autoencoder', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    conv(16),
    pool,
    conv(8),
    pool,
    conv(8),
    pool,
    conv(8),
    up,
    conv(8),
    up,
    conv(16, 'valid'),
    up,
    conv(1, 'same', 'sigmoid'),
  ]);
}
