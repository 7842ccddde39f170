import { DEFAULT_PLAYGROUND_OPTIONS, type BuiltInDatasetId, type PlaygroundOptions } from '../../blocks/format/datasets';
import type { Dataset } from './dataset';
import { irisDataset } from './iris';
import { mnistDataset } from './mnist';
import { playgroundDataset } from './playground';

/** Every built-in dataset, by id. Offline: all of them come from installed packages or a seed. */
export function loadBuiltInDataset(id: BuiltInDatasetId, options: PlaygroundOptions = DEFAULT_PLAYGROUND_OPTIONS): Dataset {
  switch (id) {
    case 'mnist':
      return mnistDataset();
    case 'iris':
      return irisDataset();
    case 'circle':
    case 'xor':
    case 'gaussian':
    case 'spiral':
      return playgroundDataset(id, options);
  }
}
