import type { WorkspaceState } from '../format/block-types';
import { modelWorkspace } from './build';

/** The classic first network: flatten the 28×28 image, one hidden layer, 10-way softmax (101,770 parameters). */
export function mnistMlpWorkspace(): WorkspaceState {
  return modelWorkspace('mnist-mlp', 'MNIST MLP', [
    { key: 'input', args: { shape: [28, 28, 1] } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 128, activation: 'relu' } },
    { key: 'dense', args: { units: 10, activation: 'softmax' } },
  ]);
}
