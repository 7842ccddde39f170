import { uploadedInfo } from '../../blocks/format/datasets';
import { levelsToInput, MAX_LEVEL } from '../../blocks/format/picture-pixels';
import type { DatasetChunk, StoredDatasetRef } from './job-dataset';
import { featureSize, SPLITS, type Batch, type ExampleTable, type Split, type StreamedDataset } from './dataset';
import { seededRandom, shuffledOrder } from './random';

/**
 * Uploaded datasets in the database, a chunk of consecutive rows per `dataset_chunks` row:
 * how they are cut and encoded when stored, and how a trainer reads them back a few chunks
 * at a time, so neither the web server nor a worker ever holds a whole large dataset.
 */

/**
 * The most feature bytes in one chunk. Big enough that a chunk's query costs little next to
 * training on its rows (Fashion-MNIST's 70,000 pictures are 14 chunks); small enough that a
 * reader's few cached chunks stay in the tens of MB and one insert or IPC message stays cheap.
 */
export const DATASET_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * How many chunks an epoch's shuffle mixes at once, and so how many a reader keeps. A split
 * that fits in this many chunks is shuffled as a whole, exactly like examples in memory.
 */
export const SHUFFLE_WINDOW_CHUNKS = 4;

export type FeatureEncoding = StoredDatasetRef['encoding'];

/** Bytes one example takes in storage. */
export function storedRowBytes(inputShape: readonly number[], encoding: FeatureEncoding): number {
  return featureSize(inputShape) * (encoding === 'uint8' ? 1 : 4);
}

/**
 * What an importer hands over: float32 examples (CSV), or pictures as whole levels 0..255
 * (server/data/pictures.ts), which are stored as they are, a quarter of the space of
 * float32, and read back as level / 255.
 */
export type TableToStore = ExampleTable | { pixels: Uint8Array; classIndices: Int32Array; count: number };

export function encodingOf(splits: Record<Split, TableToStore>): FeatureEncoding {
  return 'pixels' in splits.train ? 'uint8' : 'float32';
}

/**
 * The rows of every split as chunks of at most DATASET_CHUNK_BYTES, train then validation
 * then test, numbered in that order. A chunk never spans two splits, and each split's rows
 * are stored in a seeded random order: every chunk is then a fair sample of its split, so the
 * windowed shuffle (storedDataset) mixes classes well even when the file listed them in
 * blocks (a zip has one folder per class). Chunks are made one at a time from the tables,
 * so storing never builds a second copy of the whole dataset.
 */
export function* encodeChunks(
  splits: Record<Split, TableToStore>,
  inputShape: readonly number[],
  seed: number,
  chunkBytes = DATASET_CHUNK_BYTES,
): Generator<DatasetChunk> {
  const size = featureSize(inputShape);
  const encoding = encodingOf(splits);
  const rowsPerChunk = Math.max(1, Math.floor(chunkBytes / storedRowBytes(inputShape, encoding)));
  const random = seededRandom(seed ^ 0x5707ed);
  let startRow = 0;
  for (const split of SPLITS) {
    const table = splits[split];
    const order = shuffledOrder(table.count, random);
    for (let first = 0; first < table.count; first += rowsPerChunk) {
      const rowCount = Math.min(rowsPerChunk, table.count - first);
      const labels = new Int32Array(rowCount);
      const values = 'pixels' in table ? table.pixels : table.features;
      const features = 'pixels' in table ? new Uint8Array(rowCount * size) : new Float32Array(rowCount * size);
      for (let i = 0; i < rowCount; i++) {
        const row = order[first + i]!;
        labels[i] = table.classIndices[row]!;
        features.set(values.subarray(row * size, (row + 1) * size), i * size);
      }
      yield { startRow, rowCount, features: bytesOf(features), labels: bytesOf(labels) };
      startRow += rowCount;
    }
  }
}

/** Fetches one stored chunk by its first row; rejects with a message for the student when it cannot. */
export type ReadChunk = (datasetId: string, startRow: number) => Promise<DatasetChunk>;

export interface StoredDatasetOptions {
  /** Chunks shuffled together per window and kept in memory (default SHUFFLE_WINDOW_CHUNKS). */
  windowChunks?: number;
}

/** 0..255 as the float32 values they stand for. */
const LEVELS = levelsToInput(Uint8Array.from({ length: MAX_LEVEL + 1 }, (_, level) => level));

/**
 * A stored dataset behind the trainer's dataset interface, fetching chunks as batches need
 * them and keeping at most `windowChunks` of them (least recently used goes first).
 *
 * Shuffling: a shuffle of the whole train split would need every chunk for every batch. So
 * an epoch visits the split's chunks in a random order, a window of `windowChunks` chunks at
 * a time, and shuffles the rows within each window: each chunk is then fetched once per
 * epoch, and since rows were stored shuffled (encodeChunks), a window is a fair sample of the
 * split. When the whole split fits in one window the order is the same global shuffle as for
 * examples in memory, drawn the same way, so small datasets train exactly as before and do
 * not depend on how they were cut. Any order still reads correctly (evaluation reads in
 * order); an order that jumps between many chunks is just slower.
 */
export function storedDataset(ref: StoredDatasetRef, readChunk: ReadChunk, options: StoredDatasetOptions = {}): StreamedDataset {
  const size = featureSize(ref.inputShape);
  const classCount = ref.classes.length;
  const windowChunks = Math.max(1, options.windowChunks ?? SHUFFLE_WINDOW_CHUNKS);
  const starts: number[] = [];
  let total = 0;
  for (const rows of ref.chunkRows) {
    starts.push(total);
    total += rows;
  }
  const expected = ref.sizes.train + ref.sizes.validation + ref.sizes.test;
  if (total !== expected) {
    throw new Error(`The stored dataset "${ref.name}" is damaged: its chunks hold ${total} rows, not ${expected}. Upload it again.`);
  }
  const splitStart: Record<Split, number> = { train: 0, validation: ref.sizes.train, test: ref.sizes.train + ref.sizes.validation };
  const cache = new ChunkCache(windowChunks, async (index) => {
    const chunk = await readChunk(ref.datasetId, starts[index]!);
    const rows = ref.chunkRows[index]!;
    const rowBytes = storedRowBytes(ref.inputShape, ref.encoding);
    if (chunk.rowCount !== rows || chunk.features.byteLength !== rows * rowBytes || chunk.labels.byteLength !== rows * 4) {
      throw new Error(`The stored dataset "${ref.name}" is damaged (rows ${starts[index]} to ${starts[index]! + rows - 1}). Upload it again.`);
    }
    return decodeChunk(chunk, ref.encoding);
  });

  /** The chunk holding global row `row`: the last whose start is at or before it. */
  const chunkOf = (row: number): number => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= row) low = mid;
      else high = mid - 1;
    }
    return low;
  };

  const info = uploadedInfo(ref);
  return {
    id: ref.datasetId,
    name: info.name,
    inputShape: [...ref.inputShape],
    labelKind: 'classes',
    classes: [...ref.classes],
    classNoun: info.classNoun,
    exampleName: info.exampleName,
    trainSize: ref.sizes.train,
    validationSize: ref.sizes.validation,
    testSize: ref.sizes.test,

    async *batches(split, batchSize, order) {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Batch size must be a whole number of at least 1, got ${batchSize}.`);
      const count = ref.sizes[split];
      if (order && order.length !== count) throw new Error(`The order has ${order.length} rows but the ${split} split has ${count}.`);
      const offset = splitStart[split];
      for (let start = 0; start < count; start += batchSize) {
        const n = Math.min(batchSize, count - start);
        const features = new Float32Array(n * size);
        const labels = new Float32Array(n * classCount);
        const classIndices = new Int32Array(n);
        // The batch's rows grouped by chunk, so each chunk is looked up once per batch.
        const byChunk = new Map<number, number[]>();
        for (let i = 0; i < n; i++) {
          const row = offset + (order ? order[start + i]! : start + i);
          const index = chunkOf(row);
          let positions = byChunk.get(index);
          if (!positions) byChunk.set(index, (positions = []));
          positions.push(i, row - starts[index]!);
        }
        // Fetched together when they fit in the cache, one by one otherwise (memory stays bounded).
        if (byChunk.size <= windowChunks) await Promise.all([...byChunk.keys()].map((index) => cache.get(index)));
        for (const [index, positions] of byChunk) {
          const chunk = await cache.get(index);
          for (let p = 0; p < positions.length; p += 2) {
            const i = positions[p]!;
            const local = positions[p + 1]!;
            chunk.copyRow(local, features, i * size);
            const label = chunk.labels[local]!;
            classIndices[i] = label;
            labels[i * classCount + label] = 1;
          }
        }
        yield { features, labels, classIndices, size: n } satisfies Batch;
      }
    },

    epochOrder(random) {
      // The train split's part of each chunk, in train-row numbers (older datasets have one chunk spanning every split).
      const segments: Array<{ first: number; count: number }> = [];
      for (let index = 0; index < starts.length; index++) {
        const first = starts[index]!;
        const end = Math.min(first + ref.chunkRows[index]!, ref.sizes.train);
        if (end > first) segments.push({ first, count: end - first });
      }
      if (segments.length <= windowChunks) return shuffledOrder(ref.sizes.train, random);
      const out = new Uint32Array(ref.sizes.train);
      const visit = shuffledOrder(segments.length, random);
      let filled = 0;
      for (let w = 0; w < visit.length; w += windowChunks) {
        const windowStart = filled;
        for (const index of visit.subarray(w, w + windowChunks)) {
          const { first, count } = segments[index]!;
          for (let r = 0; r < count; r++) out[filled++] = first + r;
        }
        shuffleInPlace(out.subarray(windowStart, filled), random);
      }
      return out;
    },
  };
}

interface DecodedChunk {
  labels: Int32Array;
  /** Writes row `row` of the chunk as float32 values into `into` at `at`. */
  copyRow(row: number, into: Float32Array, at: number): void;
}

/** Keeps the stored bytes (a quarter of the float32 size for pictures) and decodes row by row into batches. */
function decodeChunk(chunk: DatasetChunk, encoding: FeatureEncoding): DecodedChunk {
  const labels = int32FromBytes(chunk.labels);
  const size = chunk.rowCount === 0 ? 0 : chunk.features.byteLength / chunk.rowCount / (encoding === 'uint8' ? 1 : 4);
  if (encoding === 'uint8') {
    const levels = chunk.features;
    return {
      labels,
      copyRow(row, into, at) {
        for (let v = 0, from = row * size; v < size; v++) into[at + v] = LEVELS[levels[from + v]!]!;
      },
    };
  }
  const values = float32FromBytes(chunk.features);
  return { labels, copyRow: (row, into, at) => into.set(values.subarray(row * size, (row + 1) * size), at) };
}

/** At most `capacity` decoded chunks, least recently used dropped first; a chunk being fetched is fetched once. */
class ChunkCache {
  private readonly entries = new Map<number, Promise<DecodedChunk>>();

  constructor(
    private readonly capacity: number,
    private readonly load: (index: number) => Promise<DecodedChunk>,
  ) {}

  get(index: number): Promise<DecodedChunk> {
    let entry = this.entries.get(index);
    if (entry) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.entries.delete(index);
    } else {
      entry = this.load(index);
      // A failed fetch is not kept, so a later batch asks again rather than failing from memory.
      entry.catch(() => this.entries.get(index) === entry && this.entries.delete(index));
    }
    this.entries.set(index, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

function shuffleInPlace(values: Uint32Array, random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = values[i]!;
    values[i] = values[j]!;
    values[j] = swap;
  }
}

/** Typed arrays are stored little-endian, which is what every machine Node runs on here uses natively. */
export function bytesOf(array: Float32Array | Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Copies, because a Float32Array needs its bytes aligned to 4 and a driver's or IPC's buffer may not be. */
function float32FromBytes(bytes: Uint8Array): Float32Array {
  return new Float32Array(new Uint8Array(bytes).buffer);
}
function int32FromBytes(bytes: Uint8Array): Int32Array {
  return new Int32Array(new Uint8Array(bytes).buffer);
}
