import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/**
 * The "Simple MNIST convnet" example from keras.io (examples/vision/mnist_convnet): two
 * conv+pool stages, then dropout and one softmax layer. Keras model.summary(): 34,826
 * parameters; the example reaches about 99% test accuracy on full MNIST in 15 epochs.
 */
export function simpleMnistConvnetWorkspace(): WorkspaceState {
  return modelWorkspace('mnist-convnet', 'Simple MNIST convnet', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    { key: 'conv2d', args: { filters: 32, kernelSize: 3, activation: 'relu' } },
    { key: 'maxPooling2d', args: { poolSize: 2 } },
    { key: 'conv2d', args: { filters: 64, kernelSize: 3, activation: 'relu' } },
    { key: 'maxPooling2d', args: { poolSize: 2 } },
    { key: 'flatten' },
    { key: 'dropout', args: { rate: 0.5 } },
    { key: 'dense', args: { units: 10, activation: 'softmax' } },
  ]);
}
