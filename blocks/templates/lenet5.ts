import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/**
 * LeNet-5 (LeCun et al., 1998) as it is usually written in Keras for 28×28 MNIST digits:
 * "same" padding on the first convolution stands in for the original's 32×32 input, tanh
 * activations and average pooling as in the paper. Keras model.summary(): 61,706 parameters.
 */
export function lenet5Workspace(): WorkspaceState {
  return modelWorkspace('lenet5', 'LeNet-5', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    { key: 'conv2d', args: { filters: 6, kernelSize: 5, padding: 'same', activation: 'tanh' } },
    { key: 'averagePooling2d', args: { poolSize: 2 } },
    { key: 'conv2d', args: { filters: 16, kernelSize: 5, activation: 'tanh' } },
    { key: 'averagePooling2d', args: { poolSize: 2 } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 120, activation: 'tanh' } },
    { key: 'dense', args: { units: 84, activation: 'tanh' } },
    { key: 'dense', args: { units: 10, activation: 'softmax' } },
  ]);
}
