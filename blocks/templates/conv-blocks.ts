import { compositeWorkspace } from './composite';

/**
 * A digit classifier built from a block the student made: "conv block" (Conv2D + MaxPooling2D)
 * is used twice, with 16 and then 32 filters, the way VGG-style networks repeat one pattern.
 */
export function convBlocksWorkspace() {
  return compositeWorkspace(
    'convblocks',
    'CNN from conv blocks (MNIST)',
    [
      {
        name: 'conv block',
        settings: ['filters'],
        steps: [
          { key: 'conv2d', args: { filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' } },
          { key: 'maxPooling2d', args: { poolSize: 2 } },
        ],
      },
    ],
    [
      { key: 'input', args: { shape: [28, 28, 1] } },
      { use: 'conv block', settings: { filters: 16 }, block: true },
      { use: 'conv block', settings: { filters: 32 }, block: true },
      { key: 'flatten' },
      { key: 'dense', args: { units: 10, activation: 'softmax' } },
    ],
  );
}
