/**
 * The "Start from a template" menu of the model cell: well-known networks students can load,
 * train and change. Each file builds its workspace; this list gives them a title and a line
 * saying what they are for.
 */
import type { WorkspaceState } from '../format/block-types';
import { convAutoencoderWorkspace } from './conv-autoencoder';
import { convBlocksWorkspace } from './conv-blocks';
import { denseAutoencoderWorkspace } from './dense-autoencoder';
import { lenet5Workspace } from './lenet5';
import { lstmTextClassifierWorkspace } from './lstm-text-classifier';
import { mnistCnnWorkspace } from './mnist-cnn';
import { mnistMlpWorkspace } from './mnist-mlp';
import { residualBlockWorkspace } from './residual-block';
import { simpleMnistConvnetWorkspace } from './simple-mnist-convnet';
import { vggSmallWorkspace } from './vgg-small';

export interface StarterTemplate {
  key: string;
  title: string;
  /** One line a student reads before choosing. */
  description: string;
  workspace: () => WorkspaceState;
}

export const STARTER_TEMPLATES: readonly StarterTemplate[] = [
  { key: 'mnist-mlp', title: 'MNIST MLP', description: 'The classic first network: one hidden Dense layer reads every pixel.', workspace: mnistMlpWorkspace },
  { key: 'mnist-cnn', title: 'MNIST CNN', description: 'A small convolutional network that trains quickly on digits.', workspace: mnistCnnWorkspace },
  { key: 'lenet5', title: 'LeNet-5', description: 'The famous 1998 digit reader: convolutions, average pooling and tanh.', workspace: lenet5Workspace },
  {
    key: 'simple-mnist-convnet',
    title: 'Simple MNIST convnet',
    description: 'The Keras example: two conv + pool stages, dropout and softmax.',
    workspace: simpleMnistConvnetWorkspace,
  },
  { key: 'vgg-small', title: 'Small VGG-style CNN', description: 'Pairs of 3×3 convolutions, doubling the filters after each pooling.', workspace: vggSmallWorkspace },
  {
    key: 'lstm-text-classifier',
    title: 'LSTM text classifier',
    description: 'Reads 100 word numbers with an LSTM and says positive or negative.',
    workspace: lstmTextClassifierWorkspace,
  },
  {
    key: 'residual-block',
    title: 'Residual block',
    description: 'A ResNet-style shortcut: two convolutions learn a correction that is added back.',
    workspace: residualBlockWorkspace,
  },
  {
    key: 'conv-blocks',
    title: 'CNN from your own "conv block"',
    description: 'A block you can make yourself (Conv2D + pooling), used twice with 16 and 32 filters.',
    workspace: convBlocksWorkspace,
  },
  { key: 'dense-autoencoder', title: 'Dense autoencoder', description: 'Squeezes a digit into 32 numbers and draws it again.', workspace: denseAutoencoderWorkspace },
  {
    key: 'conv-autoencoder',
    title: 'Convolutional autoencoder',
    description: 'Shrinks a digit to 4×4×8 with convolutions and grows it back.',
    workspace: convAutoencoderWorkspace,
  },
];

export function getStarterTemplate(key: string): StarterTemplate | undefined {
  return STARTER_TEMPLATES.find((t) => t.key === key);
}

/** Whether loading a template would throw away blocks (so the student is asked first). */
export function workspaceHasBlocks(workspace: unknown): boolean {
  if (typeof workspace !== 'object' || workspace === null) return false;
  const blocks = (workspace as { blocks?: { blocks?: unknown } }).blocks?.blocks;
  return Array.isArray(blocks) && blocks.length > 0;
}
