import { describe, expect, it } from 'vitest';
import { inMemoryDataset, standardize, stratifiedSplit, takeRows, type ExampleTable, type Split } from './dataset';

const table = (rows: number[][], labels: number[]): ExampleTable => ({
  features: Float32Array.from(rows.flat()),
  classIndices: Int32Array.from(labels),
  count: labels.length,
});
const empty: ExampleTable = { features: new Float32Array(0), classIndices: new Int32Array(0), count: 0 };

describe('inMemoryDataset', () => {
  const dataset = inMemoryDataset({
    id: 'toy',
    name: 'Toy',
    inputShape: [2],
    classes: ['a', 'b', 'c'],
    splits: { train: table([[1, 2], [3, 4], [5, 6]], [0, 2, 1]), validation: empty, test: table([[7, 8]], [1]) },
  });

  it('yields a split in batches with one-hot labels, the last batch holding the rest', () => {
    const batches = [...dataset.batches('train', 2)];
    expect(batches.map((b) => b.size)).toEqual([2, 1]);
    expect(Array.from(batches[0]!.features)).toEqual([1, 2, 3, 4]);
    expect(Array.from(batches[0]!.labels)).toEqual([1, 0, 0, 0, 0, 1]);
    expect(Array.from(batches[1]!.classIndices)).toEqual([1]);
    expect(dataset).toMatchObject({ trainSize: 3, validationSize: 0, testSize: 1, labelKind: 'classes' });
  });

  it('follows a given order of rows', () => {
    const [batch] = [...dataset.batches('train', 3, Uint32Array.from([2, 0, 1]))];
    expect(Array.from(batch!.features)).toEqual([5, 6, 1, 2, 3, 4]);
    expect(Array.from(batch!.classIndices)).toEqual([1, 0, 2]);
  });

  it('refuses a table whose numbers do not fit its shape', () => {
    expect(() =>
      inMemoryDataset({ id: 'bad', name: 'Bad', inputShape: [3], classes: ['a'], splits: { train: table([[1, 2]], [0]), validation: empty, test: empty } }),
    ).toThrow('The train split of "Bad" does not hold 1 examples of 3 numbers each.');
  });
});

describe('stratifiedSplit', () => {
  const labels = Int32Array.from(Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : 1)));

  it('puts every row in exactly one split, each class in the same proportion', () => {
    const split = stratifiedSplit(labels, 2, 5);
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const share = (rows: Uint32Array, label: number) => Array.from(rows).filter((r) => labels[r] === label).length;
    expect([share(split.train, 0), share(split.validation, 0), share(split.test, 0)]).toEqual([42, 9, 9]);
    expect([share(split.train, 1), share(split.validation, 1), share(split.test, 1)]).toEqual([28, 6, 6]);
  });

  it('repeats for the same seed and changes with another', () => {
    expect(stratifiedSplit(labels, 2, 5)).toEqual(stratifiedSplit(labels, 2, 5));
    expect(stratifiedSplit(labels, 2, 6).test).not.toEqual(stratifiedSplit(labels, 2, 5).test);
  });

  it('refuses shares that do not add up to 100%', () => {
    expect(() => stratifiedSplit(labels, 2, 1, { train: 80, validation: 10, test: 20 })).toThrow('must add up to 100%, not 110%');
  });
});

describe('standardize', () => {
  it('uses only the training rows for the mean and spread, and leaves constant columns at 0', () => {
    const features = Float32Array.from([1, 5, 3, 5, 100, 5]);
    const labels = Int32Array.from([0, 0, 0]);
    const splits: Record<Split, ExampleTable> = {
      train: takeRows(features, labels, 2, Uint32Array.from([0, 1])),
      validation: empty,
      test: takeRows(features, labels, 2, Uint32Array.from([2])),
    };
    const stats = standardize(splits, 2);
    expect(stats).toEqual({ mean: [2, 5], std: [1, 1] });
    expect(Array.from(splits.train.features)).toEqual([-1, 0, 1, 0]);
    expect(Array.from(splits.test.features)).toEqual([98, 0]);
  });
});
