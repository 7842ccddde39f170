import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/**
 * A small network in the style of VGG (Simonyan & Zisserman, 2014): blocks of two 3×3
 * convolutions with "same" padding, each block ending in 2×2 max pooling and doubling the
 * filters, then a dense classifier with dropout. Sized for 28×28 digits: 467,818 parameters.
 */
export function vggSmallWorkspace(): WorkspaceState {
  return modelWorkspace('vgg-small', 'Small VGG-style CNN', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    { key: 'conv2d', args: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { key: 'conv2d', args: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { key: 'maxPooling2d', args: { poolSize: 2 } },
    { key: 'conv2d', args: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { key: 'conv2d', args: { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { key: 'maxPooling2d', args: { poolSize: 2 } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 128, activation: 'relu' } },
    { key: 'dropout', args: { rate: 0.5 } },
    { key: 'dense', args: { units: 10, activation: 'softmax' } },
  ]);
}
