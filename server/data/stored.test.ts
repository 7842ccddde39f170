import { describe, expect, it } from 'vitest';
import type { DatasetChunk, StoredDatasetRef } from './job-dataset';
import { inMemoryDataset, SPLITS, type Batch, type ExampleTable, type Split } from './dataset';
import { seededRandom, shuffledOrder } from './random';
import { encodeChunks, storedDataset, type TableToStore } from './stored';

/** Pictures of 2×2 grey pixels; pixel p of row r is (r * 4 + p) % 256, label r % 3. */
function pixels(count: number) {
  const size = 4;
  const table = { pixels: new Uint8Array(count * size), classIndices: new Int32Array(count), count };
  for (let r = 0; r < count; r++) {
    for (let p = 0; p < size; p++) table.pixels[r * size + p] = (r * 4 + p) % 256;
    table.classIndices[r] = r % 3;
  }
  return table;
}

/** Rows of 2 floats: [r, -r / 7], label r % 2. */
function floats(first: number, count: number): ExampleTable {
  const features = new Float32Array(count * 2);
  const classIndices = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    features[i * 2] = first + i;
    features[i * 2 + 1] = -(first + i) / 7;
    classIndices[i] = (first + i) % 2;
  }
  return { features, classIndices, count };
}

/** Stores `splits` in memory as the database would, and counts every chunk read. */
function stored(splits: Record<Split, TableToStore>, inputShape: number[], chunkBytes: number, classes = ['a', 'b', 'c']) {
  const chunks = [...encodeChunks(splits, inputShape, 11, chunkBytes)];
  const reads: number[] = [];
  const ref: StoredDatasetRef = {
    kind: 'stored',
    datasetId: 'd1',
    name: 'Stored',
    inputShape,
    classes,
    sizes: { train: splits.train.count, validation: splits.validation.count, test: splits.test.count },
    encoding: 'pixels' in splits.train ? 'uint8' : 'float32',
    chunkRows: chunks.map((c) => c.rowCount),
  };
  const readChunk = async (datasetId: string, startRow: number): Promise<DatasetChunk> => {
    expect(datasetId).toBe('d1');
    reads.push(startRow);
    // A copy with an odd offset, as a driver's buffer may be: the reader must not assume alignment.
    const copy = (bytes: Uint8Array) => new Uint8Array(Buffer.concat([Buffer.from([0]), Buffer.from(bytes)])).subarray(1);
    const chunk = chunks.find((c) => c.startRow === startRow)!;
    return { ...chunk, features: copy(chunk.features), labels: copy(chunk.labels) };
  };
  return { chunks, ref, readChunk, reads };
}

async function collect(batches: AsyncGenerator<Batch>, size: number) {
  const rows: { values: number[]; label: number }[] = [];
  for await (const batch of batches) {
    for (let i = 0; i < batch.size; i++) rows.push({ values: Array.from(batch.features.subarray(i * size, (i + 1) * size)), label: batch.classIndices[i]! });
  }
  return rows;
}

const byValues = (a: { values: number[] }, b: { values: number[] }) => a.values[0]! - b.values[0]! || a.values[1]! - b.values[1]!;

describe('storing a dataset in chunks', () => {
  it('cuts each split into chunks of at most the given size, never across splits, each row stored once', () => {
    const splits = { train: pixels(50), validation: pixels(7), test: pixels(13) };
    const chunks = [...encodeChunks(splits, [2, 2, 1], 1, 40)];
    // 40 bytes hold 10 pictures of 4 bytes: train 5 chunks, validation 1, test 2.
    expect(chunks.map((c) => [c.startRow, c.rowCount])).toEqual([
      [0, 10], [10, 10], [20, 10], [30, 10], [40, 10], [50, 7], [57, 10], [67, 3],
    ]);
    for (const chunk of chunks) {
      expect(chunk.features.byteLength).toBe(chunk.rowCount * 4);
      expect(chunk.labels.byteLength).toBe(chunk.rowCount * 4);
    }
    // Each split's rows are all there once, in a seeded shuffled order.
    const trainFirstPixels = chunks.slice(0, 5).flatMap((c) => Array.from({ length: c.rowCount }, (_, i) => c.features[i * 4]!));
    expect([...trainFirstPixels].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, r) => (r * 4) % 256).sort((a, b) => a - b));
    expect(trainFirstPixels).not.toEqual(Array.from({ length: 50 }, (_, r) => (r * 4) % 256));
    expect([...encodeChunks(splits, [2, 2, 1], 1, 40)]).toEqual(chunks);
  });

  it('gives pictures back as exactly k / 255 and tables as the same floats, whatever the chunk size', async () => {
    const picture = stored({ train: pixels(64), validation: pixels(0), test: pixels(0) }, [2, 2, 1], 24);
    const rows = await collect(storedDataset(picture.ref, picture.readChunk).batches('train', 9), 4);
    const expected = Array.from({ length: 64 }, (_, r) => ({
      values: Array.from({ length: 4 }, (_, p) => Math.fround(((r * 4 + p) % 256) / 255)),
      label: r % 3,
    }));
    expect(rows.sort(byValues)).toEqual(expected.sort(byValues));

    const table = stored({ train: floats(0, 30), validation: floats(30, 5), test: floats(35, 5) }, [2], 48, ['even', 'odd']);
    const test = await collect(storedDataset(table.ref, table.readChunk).batches('test', 2), 2);
    expect(test.sort(byValues)).toEqual(
      Array.from({ length: 5 }, (_, i) => ({ values: [35 + i, Math.fround(-(35 + i) / 7)], label: (35 + i) % 2 })),
    );
  });
});

describe('reading a stored dataset', () => {
  // 200 train rows of 2 floats = 8 bytes, 10 rows per 80-byte chunk: 20 train chunks.
  const splits = { train: floats(0, 200), validation: floats(200, 20), test: floats(220, 20) };

  it('fetches chunks only when a batch needs them, and never keeps the whole dataset', async () => {
    const { ref, readChunk, reads } = stored(splits, [2], 80, ['even', 'odd']);
    const data = storedDataset(ref, readChunk, { windowChunks: 4 });
    expect(reads).toEqual([]);

    const testBatches = data.batches('test', 5);
    await testBatches.next();
    // The test split is rows 220 to 239, two chunks: its first batch needs only the first.
    expect(reads).toEqual([220]);
    await collect(testBatches, 2);
    expect(reads).toEqual([220, 230]);

    // An epoch in the reader's own order reads each train chunk exactly once…
    reads.length = 0;
    const order = data.epochOrder(seededRandom(3));
    const epoch = await collect(data.batches('train', 16, order), 2);
    expect(epoch.map((r) => r.values[0]).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect([...reads].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    // …and the next epoch reads them all again: only a window's worth was kept.
    reads.length = 0;
    await collect(data.batches('train', 16, data.epochOrder(seededRandom(4))), 2);
    expect(reads).toHaveLength(20);
  });

  it('shuffles a window of chunks at a time, the same way for the same draws', () => {
    const { ref, readChunk } = stored(splits, [2], 80, ['even', 'odd']);
    const data = storedDataset(ref, readChunk, { windowChunks: 4 });
    const order = data.epochOrder(seededRandom(9));
    expect(Array.from(data.epochOrder(seededRandom(9)))).toEqual(Array.from(order));
    expect(Array.from(data.epochOrder(seededRandom(10)))).not.toEqual(Array.from(order));
    // Every 40 rows (4 chunks of 10) come from exactly 4 chunks.
    for (let w = 0; w < 200; w += 40) {
      const chunksInWindow = new Set(Array.from(order.subarray(w, w + 40), (row) => Math.floor(row / 10)));
      expect(chunksInWindow.size).toBe(4);
    }
  });

  it('shuffles a split that fits in one window exactly as examples in memory are shuffled, however it is cut', async () => {
    const small = { train: floats(0, 40), validation: floats(40, 5), test: floats(45, 5) };
    const oneChunk = stored(small, [2], 1_000, ['even', 'odd']);
    const fourChunks = stored(small, [2], 80, ['even', 'odd']);
    expect([oneChunk.chunks.length, fourChunks.chunks.length]).toEqual([3, 6]);
    const orderOf = (s: typeof oneChunk) => Array.from(storedDataset(s.ref, s.readChunk, { windowChunks: 4 }).epochOrder(seededRandom(5)));
    expect(orderOf(fourChunks)).toEqual(orderOf(oneChunk));
    expect(orderOf(oneChunk)).toEqual(Array.from(shuffledOrder(40, seededRandom(5))));
    const rows = async (s: typeof oneChunk) => {
      const data = storedDataset(s.ref, s.readChunk, { windowChunks: 4 });
      return collect(data.batches('train', 7, data.epochOrder(seededRandom(5))), 2);
    };
    expect(await rows(fourChunks)).toEqual(await rows(oneChunk));
  });

  it('batches the same rows as the dataset would in memory, for any order', async () => {
    const table = stored(splits, [2], 80, ['even', 'odd']);
    const data = storedDataset(table.ref, table.readChunk, { windowChunks: 2 });
    // The rows as stored (shuffled within each split), in memory.
    const storedRows = { train: [] as number[][], validation: [] as number[][], test: [] as number[][] };
    const allRows = (await collect(data.batches('train', 50), 2)).concat(await collect(data.batches('validation', 50), 2), await collect(data.batches('test', 50), 2));
    let at = 0;
    for (const split of SPLITS) for (let i = 0; i < splits[split].count; i++) storedRows[split].push(allRows[at++]!.values);
    const memory = inMemoryDataset({
      id: 'm',
      name: 'M',
      inputShape: [2],
      classes: ['even', 'odd'],
      splits: Object.fromEntries(
        SPLITS.map((split) => [split, { features: Float32Array.from(storedRows[split].flat()), classIndices: Int32Array.from(storedRows[split], (r) => r[0]! % 2), count: storedRows[split].length }]),
      ) as Record<Split, ExampleTable>,
    });
    // A global shuffle jumps between all 20 chunks: slower with a 2-chunk cache, but the same rows.
    const order = shuffledOrder(200, seededRandom(1));
    const fromStore = await collect(data.batches('train', 32, order), 2);
    const fromMemory: typeof fromStore = [];
    for (const batch of memory.batches('train', 32, order)) {
      for (let i = 0; i < batch.size; i++) fromMemory.push({ values: Array.from(batch.features.subarray(i * 2, i * 2 + 2)), label: batch.classIndices[i]! });
    }
    expect(fromStore).toEqual(fromMemory);
  });

  it('says the dataset is damaged when the stored chunks do not add up', () => {
    const { ref, readChunk } = stored(splits, [2], 80, ['even', 'odd']);
    expect(() => storedDataset({ ...ref, chunkRows: ref.chunkRows.slice(1) }, readChunk)).toThrow(
      'The stored dataset "Stored" is damaged: its chunks hold 230 rows, not 240. Upload it again.',
    );
  });

  it('passes on why a chunk could not be read, and asks again on the next batch', async () => {
    const { ref, readChunk } = stored(splits, [2], 80, ['even', 'odd']);
    let fail = true;
    const data = storedDataset(ref, async (id, start) => {
      if (fail) throw new Error('The dataset this run trains on was deleted.');
      return readChunk(id, start);
    });
    await expect(data.batches('test', 5).next()).rejects.toThrow('The dataset this run trains on was deleted.');
    fail = false;
    expect((await data.batches('test', 5).next()).value?.size).toBe(5);
  });
});
