import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/**
 * The first autoencoder of the Keras blog post "Building Autoencoders in Keras": squeeze a
 * 784-pixel digit into 32 numbers and rebuild it. Flatten and Reshape (no parameters) let it
 * take and give back 28×28×1 images. 50,992 parameters, as in the post.
 */
export function denseAutoencoderWorkspace(): WorkspaceState {
  return modelWorkspace('dense-ae', 'Dense autoencoder', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 32, activation: 'relu' } },
    { key: 'dense', args: { units: 784, activation: 'sigmoid' } },
    { key: 'reshape', args: { targetShape: [28, 28, 1] } },
  ]);
}
