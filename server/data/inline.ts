import { uploadedInfo } from '../../blocks/spec/datasets';
import type { InlineDataset } from '../training/protocol';
import { inMemoryDataset, SPLITS, type Dataset, type ExampleTable, type Split } from './dataset';

/** Stored example arrays as one Dataset: rows are train, then validation, then test. */
export function datasetFromArrays(meta: Omit<InlineDataset, 'kind' | 'features' | 'labels'>, features: Float32Array, labels: Int32Array): Dataset {
  const size = meta.inputShape.reduce((p, d) => p * d, 1);
  const counts: Record<Split, number> = { train: meta.trainSize, validation: meta.validationSize, test: meta.testSize };
  const total = counts.train + counts.validation + counts.test;
  if (features.length !== total * size || labels.length !== total) {
    throw new Error(`The stored dataset "${meta.name}" is damaged: it should hold ${total} rows of ${size} numbers. Upload it again.`);
  }
  const splits = {} as Record<Split, ExampleTable>;
  let start = 0;
  for (const split of SPLITS) {
    const count = counts[split];
    splits[split] = { features: features.subarray(start * size, (start + count) * size), classIndices: labels.subarray(start, start + count), count };
    start += count;
  }
  const info = uploadedInfo(meta);
  return inMemoryDataset({ id: meta.id, name: info.name, inputShape: info.inputShape, classes: info.classes, classNoun: info.classNoun, exampleName: info.exampleName, splits });
}

/** Copies, because a Float32Array needs its bytes aligned to 4 and a driver's or decoder's buffer may not be. */
export function float32FromBytes(bytes: Uint8Array): Float32Array {
  return new Float32Array(new Uint8Array(bytes).buffer);
}
export function int32FromBytes(bytes: Uint8Array): Int32Array {
  return new Int32Array(new Uint8Array(bytes).buffer);
}

export function inlineToDataset(inline: InlineDataset): Dataset {
  return datasetFromArrays(inline, float32FromBytes(Buffer.from(inline.features, 'base64')), int32FromBytes(Buffer.from(inline.labels, 'base64')));
}
