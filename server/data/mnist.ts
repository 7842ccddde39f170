import { BUILT_IN_DATASETS } from '../../blocks/format/datasets';
import { loadMnist, type Mnist } from './mnist-digits';
import { inMemoryDataset, type Dataset, type ExampleTable } from './dataset';

/**
 * MNIST behind the Dataset interface, with the package's fixed 80/20 split from
 * ./mnist-digits. It keeps no validation split, so runs on MNIST compare with older
 * runs: each epoch is still checked on the test split.
 */
export function mnistDataset(mnist: Mnist = loadMnist()): Dataset {
  const table = (set: Mnist['train']): ExampleTable => ({ features: set.images, classIndices: Int32Array.from(set.digits), count: set.count });
  const info = BUILT_IN_DATASETS.mnist;
  return inMemoryDataset({
    id: info.id,
    name: info.name,
    inputShape: info.inputShape,
    classes: info.classes,
    classNoun: info.classNoun,
    exampleName: info.exampleName,
    splits: { train: table(mnist.train), validation: { features: new Float32Array(0), classIndices: new Int32Array(0), count: 0 }, test: table(mnist.test) },
  });
}
