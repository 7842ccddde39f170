import { existsSync, readFileSync } from 'node:fs';
import { builtInSource } from '../../blocks/format/datasets';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../blocks/format/model-spec';
import { selectBackend } from '../training/backend';
import { buildModel } from '../training/build-model';
import { referenceMlpSpec } from '../training/reference-models';
import { train } from '../training/trainer';
import { inMemoryDataset, SPLITS, type ExampleTable, type Split } from './dataset';
import { importOffThread } from './import-pool';
import { takePixelRows, type ImportedImages, type PixelTable } from './pictures';
import { formBody } from '../../testing/pictures';

/**
 * The real thing, as a teacher would upload it: Debian's copy of Fashion-MNIST (package
 * dataset-fashion-mnist, which .ci/run installs), all 70,000 pictures, through the same
 * form parsing, unpacking and import thread as the upload endpoint.
 */
const DIR = '/usr/share/datasets/fashion-mnist';
const FILES = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'];
const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

let imported: ImportedImages;

/** The pictures as the 0..1 floats the trainer reads, to train on them from memory. */
function asExamples(table: PixelTable): ExampleTable {
  return { features: Float32Array.from(table.pixels, (level) => level / 255), classIndices: table.classIndices, count: table.count };
}

beforeAll(async () => {
  const missing = FILES.filter((file) => !existsSync(path.join(DIR, file)));
  if (missing.length > 0) {
    throw new Error(`Fashion-MNIST is not installed (${missing.join(', ')} missing from ${DIR}). Install it with: apt-get install dataset-fashion-mnist`);
  }
  // In the order a file picker might list them: the names, not the order, say which is which.
  const form = await formBody(FILES.toReversed().map((file) => ['file', { name: file, bytes: readFileSync(path.join(DIR, file)) }]));
  imported = await importOffThread({
    kind: 'idx',
    body: form.bytes,
    contentType: form.contentType,
    options: { name: 'Fashion-MNIST', classNames: CLASS_NAMES, split: { train: 80, validation: 10, test: 10 }, seed: 1, shareWithSchool: true },
  });
}, 300_000);

describe('Fashion-MNIST from Debian through the IDX importer', () => {
  it('has 60,000 training pictures (10% kept for checking) and the 10,000 t10k pictures as the test, 28×28 grey, with the classes named', () => {
    expect(imported.inputShape).toEqual([28, 28, 1]);
    expect(imported.classes).toEqual(CLASS_NAMES);
    expect(SPLITS.map((split) => imported.splits[split].count)).toEqual([54_000, 6_000, 10_000]);
    for (const split of SPLITS) expect(imported.splits[split].pixels.length).toBe(imported.splits[split].count * 784);
  });

  it('has 6,000 pictures of each class in the training files and 1,000 in the test files, like the published set', () => {
    const counts = imported.preview.balance!.counts;
    expect(counts.train.map((n, c) => n + counts.validation[c]!)).toEqual(new Array(10).fill(6000));
    expect(counts.validation).toEqual(new Array(10).fill(600));
    expect(counts.test).toEqual(new Array(10).fill(1000));
  });

  it('keeps the pixels and labels as published: the first test picture is an ankle boot, and the training pixels average 0.286', () => {
    expect(imported.classes[imported.splits.test.classIndices[0]!]).toBe('Ankle boot');
    let sum = 0;
    let count = 0;
    for (const split of ['train', 'validation'] as const) {
      for (const value of imported.splits[split].pixels) sum += value;
      count += imported.splits[split].pixels.length;
    }
    // Fashion-MNIST's documented pixel mean (0..1 scale) over the 60,000 training pictures.
    expect(sum / count / 255).toBeCloseTo(0.286, 3);
    expect(imported.preview.images).toHaveLength(30);
    for (const image of imported.preview.images) expect(CLASS_NAMES).toContain(image.label);
  });

  it('trains a small network on part of it to well above chance (10%)', async () => {
    const { tf } = await selectBackend('auto');
    const every = (table: PixelTable, step: number) => takePixelRows(table, 784, Uint32Array.from({ length: Math.floor(table.count / step) }, (_, i) => i * step));
    const splits: Record<Split, ExampleTable> = {
      train: asExamples(every(imported.splits.train, 18)),
      validation: asExamples(every(imported.splits.validation, 30)),
      test: asExamples(every(imported.splits.test, 10)),
    };
    const data = inMemoryDataset({ id: 'fashion', name: 'Fashion-MNIST', inputShape: imported.inputShape, classes: imported.classes, splits });
    const result = await train(
      { runId: 'fashion', spec: referenceMlpSpec(), dataset: builtInSource('mnist'), training: { ...DEFAULT_TRAINING, epochs: 3, batchSize: 32, learningRate: 0.002 } },
      { tf, build: buildModel, onEvent: () => {}, signal: new AbortController().signal, data },
    );
    // A 784-128-10 network reaches about 80% on 3,000 pictures; far less would mean scrambled pixels or labels.
    expect(result.testAccuracy).toBeGreaterThan(0.7);
  }, 120_000);
});
