import { describe, expect, it } from 'vitest';
import { BUILT_IN_DATASETS, BUILT_IN_DATASET_IDS, PLAYGROUND_DATASET_IDS } from '../../blocks/format/datasets';
import { batches as mnistBatches, loadMnist } from './mnist-digits';
import { shuffledOrder, seededRandom } from './random';
import type { Dataset, Split } from './dataset';
import { irisRows } from './iris';
import { generatePoints } from './playground';
import { loadBuiltInDataset } from './registry';

function collect(dataset: Dataset, split: Split) {
  const features: number[] = [];
  const labels: number[] = [];
  for (const batch of dataset.batches(split, 64)) {
    features.push(...batch.features);
    labels.push(...batch.classIndices);
  }
  return { features, labels };
}

describe('built-in datasets', () => {
  it.each(BUILT_IN_DATASET_IDS)('%s matches its catalogue entry and every split holds every class', (id) => {
    const dataset = loadBuiltInDataset(id);
    const info = BUILT_IN_DATASETS[id];
    expect(dataset).toMatchObject({ id, name: info.name, inputShape: info.inputShape, classes: info.classes, labelKind: 'classes' });
    for (const split of ['train', 'test'] as const) {
      const { labels } = collect(dataset, split);
      expect(new Set(labels).size).toBe(info.classes.length);
    }
  });

  it('MNIST gives exactly the batches the trainer read before, so old runs compare', () => {
    const dataset = loadBuiltInDataset('mnist');
    const mnist = loadMnist();
    expect([dataset.trainSize, dataset.validationSize, dataset.testSize]).toEqual([7996, 0, 2004]);
    const order = shuffledOrder(mnist.train.count, seededRandom(3));
    const before = mnistBatches(mnist.train, 500, order).next().value!;
    const now = dataset.batches('train', 500, order).next().value!;
    expect(Buffer.from(now.features.buffer).equals(Buffer.from(before.images.buffer))).toBe(true);
    expect(Buffer.from(now.labels.buffer).equals(Buffer.from(before.labels.buffer))).toBe(true);
  });

  it('iris splits its 150 flowers 105/21/24, 35/7/8 of each species, standardised on the training flowers', () => {
    const iris = loadBuiltInDataset('iris');
    expect([iris.trainSize, iris.validationSize, iris.testSize]).toEqual([105, 21, 24]);
    const train = collect(iris, 'train');
    expect([0, 1, 2].map((c) => train.labels.filter((l) => l === c).length)).toEqual([35, 35, 35]);
    for (let f = 0; f < 4; f++) {
      const column = train.features.filter((_, i) => i % 4 === f);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      expect(mean).toBeCloseTo(0, 5);
    }
    expect(irisRows()[0]).toEqual({ sepalLength: 5.1, sepalWidth: 3.5, petalLength: 1.4, petalWidth: 0.2, species: 'setosa' });
  });

  it.each(PLAYGROUND_DATASET_IDS)('%s is generated the same from the same seed, differently from another, half in each class', (id) => {
    const options = { size: 200, noise: 0.2, seed: 9 };
    const first = generatePoints(id, options);
    expect(generatePoints(id, options)).toEqual(first);
    expect(generatePoints(id, { ...options, seed: 10 }).x).not.toEqual(first.x);
    expect(first.count).toBe(200);
    expect(Array.from(first.classIndices).filter((c) => c === 0)).toHaveLength(100);
    for (let i = 0; i < first.count; i++) {
      expect(Math.abs(first.x[i]!)).toBeLessThan(2);
      expect(Math.abs(first.y[i]!)).toBeLessThan(2);
    }
    const dataset = loadBuiltInDataset(id, options);
    expect(dataset.trainSize + dataset.validationSize + dataset.testSize).toBe(200);
    expect([dataset.trainSize, dataset.validationSize, dataset.testSize]).toEqual([140, 30, 30]);
  });

  it('without noise, circle and XOR points obey their rule exactly', () => {
    const circle = generatePoints('circle', { size: 300, noise: 0, seed: 2 });
    for (let i = 0; i < circle.count; i++) {
      const radius = Math.hypot(circle.x[i]!, circle.y[i]!);
      expect(circle.classIndices[i]).toBe(radius <= 0.5 ? 0 : 1);
      if (circle.classIndices[i] === 1) expect(radius).toBeGreaterThanOrEqual(0.7 - 1e-6);
    }
    const xor = generatePoints('xor', { size: 300, noise: 0, seed: 2 });
    for (let i = 0; i < xor.count; i++) expect(xor.classIndices[i]).toBe(xor.x[i]! * xor.y[i]! >= 0 ? 0 : 1);
  });

  it('refuses generator settings out of range', () => {
    expect(() => generatePoints('spiral', { size: 10, noise: 0, seed: 1 })).toThrow();
    expect(() => generatePoints('spiral', { size: 100, noise: 3, seed: 1 })).toThrow();
  });
});
