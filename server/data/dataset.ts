import { seededRandom, shuffledOrder } from './random';

/**
 * One home for "a dataset the trainer can read". Every source — the MNIST package, iris, the
 * generated 2-D sets, a student's CSV — ends up behind this interface, and the trainer only
 * ever asks it for batches, so a big dataset never has to become one giant tensor.
 */
export type Split = 'train' | 'validation' | 'test';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

export interface Batch {
  /** size × (product of inputShape) floats, example after example. */
  features: Float32Array;
  /** size × classes.length one-hot floats. */
  labels: Float32Array;
  /** The same labels as class indices, for sparse losses and previews. */
  classIndices: Int32Array;
  size: number;
}

export interface Dataset {
  /** "mnist", "circle", or an uploaded dataset's id. */
  id: string;
  /** Used in messages for students: "… but Iris flowers has 3 species". */
  name: string;
  inputShape: number[];
  labelKind: 'classes';
  classes: string[];
  classNoun: string;
  exampleName: string;
  trainSize: number;
  /** 0 when the dataset has no validation split (MNIST's fixed split): the trainer then watches the test split per epoch. */
  validationSize: number;
  testSize: number;
  /**
   * The split in `order` (row indices into the split; all rows in order when omitted) as
   * batches of at most `batchSize`. Buffers are fresh per batch, so a caller may keep them.
   */
  batches(split: Split, batchSize: number, order?: Uint32Array): Generator<Batch>;
}

/**
 * A dataset read piece by piece from storage (server/data/stored.ts): its batches arrive
 * asynchronously, because the rows are fetched while training runs, and it says in which
 * order to visit the train split so that only a few pieces are needed at a time.
 */
export interface StreamedDataset extends Omit<Dataset, 'batches'> {
  batches(split: Split, batchSize: number, order?: Uint32Array): AsyncGenerator<Batch>;
  /** One epoch's order of the train split, drawn from `random` (the same draws give the same order). */
  epochOrder(random: () => number): Uint32Array;
}

/** What the trainer reads: examples in memory, or streamed from the database. */
export type TrainingData = Dataset | StreamedDataset;

/**
 * The order of the train split for one epoch. Examples in memory are shuffled all at once;
 * a streamed dataset shuffles in a way its storage can serve (see stored.ts).
 */
export function epochOrder(data: TrainingData, random: () => number): Uint32Array {
  return 'epochOrder' in data ? data.epochOrder(random) : shuffledOrder(data.trainSize, random);
}

export function splitSize(dataset: Pick<Dataset, 'trainSize' | 'validationSize' | 'testSize'>, split: Split): number {
  return split === 'train' ? dataset.trainSize : split === 'validation' ? dataset.validationSize : dataset.testSize;
}

/** Examples held in memory: fine for everything up to a few hundred MB; bigger sources implement `batches` themselves. */
export interface ExampleTable {
  /** count × featureSize floats. */
  features: Float32Array;
  /** count class indices. */
  classIndices: Int32Array;
  count: number;
}

export interface InMemoryDatasetInit {
  id: string;
  name: string;
  inputShape: number[];
  classes: string[];
  classNoun?: string;
  exampleName?: string;
  splits: Record<Split, ExampleTable>;
}

export function featureSize(inputShape: readonly number[]): number {
  return inputShape.reduce((product, dim) => product * dim, 1);
}

export function inMemoryDataset(init: InMemoryDatasetInit): Dataset {
  const size = featureSize(init.inputShape);
  const classCount = init.classes.length;
  for (const split of SPLITS) {
    const table = init.splits[split];
    if (table.features.length !== table.count * size || table.classIndices.length !== table.count) {
      throw new Error(`The ${split} split of "${init.name}" does not hold ${table.count} examples of ${size} numbers each.`);
    }
  }
  return {
    id: init.id,
    name: init.name,
    inputShape: [...init.inputShape],
    labelKind: 'classes',
    classes: [...init.classes],
    classNoun: init.classNoun ?? 'classes',
    exampleName: init.exampleName ?? 'an example',
    trainSize: init.splits.train.count,
    validationSize: init.splits.validation.count,
    testSize: init.splits.test.count,
    *batches(split, batchSize, order) {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Batch size must be a whole number of at least 1, got ${batchSize}.`);
      const table = init.splits[split];
      if (order && order.length !== table.count) throw new Error(`The order has ${order.length} rows but the ${split} split has ${table.count}.`);
      for (let start = 0; start < table.count; start += batchSize) {
        const count = Math.min(batchSize, table.count - start);
        const features = new Float32Array(count * size);
        const labels = new Float32Array(count * classCount);
        const classIndices = new Int32Array(count);
        for (let i = 0; i < count; i++) {
          const row = order ? order[start + i]! : start + i;
          features.set(table.features.subarray(row * size, (row + 1) * size), i * size);
          const label = table.classIndices[row]!;
          classIndices[i] = label;
          labels[i * classCount + label] = 1;
        }
        yield { features, labels, classIndices, size: count };
      }
    },
  };
}

/** Shares of a dataset in train, validation and test, in whole percent so splits never depend on float rounding. */
export interface SplitPercent {
  train: number;
  validation: number;
  test: number;
}
export const DEFAULT_SPLIT: SplitPercent = { train: 70, validation: 15, test: 15 };

/**
 * Splits rows into train, validation and test, class by class (stratified), so every split
 * has each class in about the same proportion as the whole. Rows of a class are shuffled
 * with `seed` first; the same rows, seed and percentages always give the same split.
 * Returns row indices per split, ordered by row index.
 */
export function stratifiedSplit(classIndices: Int32Array, classCount: number, seed: number, percent: SplitPercent = DEFAULT_SPLIT): Record<Split, Uint32Array> {
  if (percent.train + percent.validation + percent.test !== 100) {
    throw new Error(`Train, validation and test must add up to 100%, not ${percent.train + percent.validation + percent.test}%.`);
  }
  const random = seededRandom(seed);
  const rowsByClass: number[][] = Array.from({ length: classCount }, () => []);
  classIndices.forEach((label, row) => rowsByClass[label]!.push(row));
  const out: Record<Split, number[]> = { train: [], validation: [], test: [] };
  for (const rows of rowsByClass) {
    const order = shuffledOrder(rows.length, random);
    const trainCount = Math.floor((rows.length * percent.train) / 100);
    const validationCount = Math.floor((rows.length * percent.validation) / 100);
    order.forEach((index, position) => {
      const split: Split = position < trainCount ? 'train' : position < trainCount + validationCount ? 'validation' : 'test';
      out[split].push(rows[index]!);
    });
  }
  const sorted = (rows: number[]) => Uint32Array.from(rows.sort((a, b) => a - b));
  return { train: sorted(out.train), validation: sorted(out.validation), test: sorted(out.test) };
}

/** The rows `rows` of a table, as a table of their own. */
export function takeRows(features: Float32Array, classIndices: Int32Array, size: number, rows: Uint32Array): ExampleTable {
  const out = new Float32Array(rows.length * size);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    out.set(features.subarray(row * size, (row + 1) * size), i * size);
    labels[i] = classIndices[row]!;
  });
  return { features: out, classIndices: labels, count: rows.length };
}

/**
 * Rescales each feature to mean 0 and standard deviation 1 using the TRAIN split's
 * statistics only (so nothing about the test data leaks into training), in place.
 * Returns the statistics so a preview or a predictor can apply the same transform.
 */
export function standardize(splits: Record<Split, ExampleTable>, size: number): { mean: number[]; std: number[] } {
  const train = splits.train;
  const mean = new Array<number>(size).fill(0);
  const std = new Array<number>(size).fill(0);
  for (let r = 0; r < train.count; r++) for (let f = 0; f < size; f++) mean[f]! += train.features[r * size + f]! / train.count;
  for (let r = 0; r < train.count; r++) for (let f = 0; f < size; f++) std[f]! += (train.features[r * size + f]! - mean[f]!) ** 2 / train.count;
  // A constant column has no spread; dividing by 1 leaves it at 0 instead of making NaNs.
  for (let f = 0; f < size; f++) std[f] = Math.sqrt(std[f]!) || 1;
  for (const split of SPLITS) {
    const table = splits[split];
    for (let r = 0; r < table.count; r++) for (let f = 0; f < size; f++) table.features[r * size + f] = (table.features[r * size + f]! - mean[f]!) / std[f]!;
  }
  return { mean, std };
}
