import { branchingWorkspace } from './branching';

/**
 * A small ResNet-style digit classifier: the shortcut "skip" jumps over two Conv2D blocks and
 * is added back, so those blocks only have to learn a correction to what they were given.
 */
export function residualBlockWorkspace() {
  return branchingWorkspace('resnet', 'Residual block (MNIST)', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    { key: 'conv2d', args: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { name: 'skip' },
    { key: 'conv2d', args: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { key: 'conv2d', args: { filters: 16, kernelSize: 3, padding: 'same' } },
    { key: 'add', with: ['skip'] },
    { key: 'activation', args: { activation: 'relu' } },
    { key: 'maxPooling2d', args: { poolSize: 2 } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 10, activation: 'softmax' } },
  ]);
}
