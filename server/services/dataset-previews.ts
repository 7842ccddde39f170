/**
 * Previews stored before they were made from train and validation rows only. A preview is
 * what a class sees of a shared dataset, and a dataset's test split may grade them, so no
 * test example may be in one. New imports build theirs that way (createCsvDataset,
 * imagePreview); an older one is put right the first time it is read, from the stored
 * examples, and written back with `withoutTestRows`, so it happens once per dataset.
 */
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { datasetChunks, datasets } from '../../db/schema';
import { encodeTableRow, featureEncodingsSchema } from '../../blocks/format/table-inputs';
import type { CsvPreview } from '../data/csv';
import { featureSize } from '../data/dataset';
import type { DatasetChunk } from '../data/job-dataset';
import { previewPictures, PREVIEW_IMAGE_COUNT, type ImagePreview } from '../data/pictures';

/** readDatasetChunk, passed in by its owner (./datasets.ts), which reads previews through here. */
type ReadChunk = (db: Database, datasetId: string, startRow: number) => Promise<DatasetChunk>;

type StoredPreview = CsvPreview | ImagePreview;

interface StoredLayout {
  id: string;
  inputShape: number[];
  classes: string[];
  trainSize: number;
  validationSize: number;
  testSize: number;
  encodings: unknown[];
  featureEncoding: 'float32' | 'uint8';
}

/** The preview as it may be shown: `stored` when it already leaves the test split out, else a cleaned copy (also stored). */
export async function previewWithoutTestRows(db: Database, dataset: StoredLayout, stored: StoredPreview, readChunk: ReadChunk): Promise<StoredPreview> {
  if (stored.withoutTestRows) return stored;
  const rows = new StoredRows(db, dataset, readChunk);
  const cleaned: StoredPreview =
    'kind' in stored && stored.kind === 'images'
      ? { ...stored, images: await picturesFromTrainAndValidation(rows, dataset, stored), withoutTestRows: true }
      : { ...stored, rows: await csvRowsNotInTest(rows, dataset, stored as CsvPreview), withoutTestRows: true };
  await db
    .update(datasets)
    .set({ preview: cleaned as unknown as Record<string, unknown> })
    .where(eq(datasets.id, dataset.id));
  return cleaned;
}

/** Stored rows by number (train rows first, then validation, then test), a chunk at a time. */
class StoredRows {
  private readonly chunks = new Map<number, { startRow: number; rowCount: number; features: Uint8Array; labels: Int32Array }>();
  private starts: number[] | null = null;
  constructor(
    private readonly db: Database,
    private readonly dataset: StoredLayout,
    private readonly readChunk: ReadChunk,
  ) {}

  private async chunkOf(row: number) {
    if (!this.starts) {
      const layout = await this.db
        .select({ startRow: datasetChunks.startRow })
        .from(datasetChunks)
        .where(eq(datasetChunks.datasetId, this.dataset.id))
        .orderBy(asc(datasetChunks.startRow));
      this.starts = layout.map((c) => c.startRow);
    }
    let start = 0;
    for (const s of this.starts) if (s <= row) start = s;
    let chunk = this.chunks.get(start);
    if (!chunk) {
      const read = await this.readChunk(this.db, this.dataset.id, start);
      chunk = { ...read, labels: new Int32Array(read.labels.slice().buffer) };
      this.chunks.set(start, chunk);
    }
    return chunk;
  }

  /** One row's stored values (float32 numbers, or 0..255 levels) and class index. */
  async row(row: number): Promise<{ values: Float32Array | Uint8Array; label: number }> {
    const chunk = await this.chunkOf(row);
    const size = featureSize(this.dataset.inputShape);
    const local = row - chunk.startRow;
    const bytes = this.dataset.featureEncoding === 'uint8' ? size : size * 4;
    const slice = chunk.features.slice(local * bytes, (local + 1) * bytes);
    const values = this.dataset.featureEncoding === 'uint8' ? slice : new Float32Array(slice.buffer);
    return { values, label: chunk.labels[local]! };
  }
}

/** The same spread of pictures a new import shows, taken from the stored train and validation rows. */
async function picturesFromTrainAndValidation(rows: StoredRows, dataset: StoredLayout, stored: ImagePreview): Promise<ImagePreview['images']> {
  const count = dataset.trainSize + dataset.validationSize;
  const shown = Math.min(PREVIEW_IMAGE_COUNT, count);
  const size = featureSize(dataset.inputShape);
  const picked = { pixels: new Uint8Array(shown * size), classIndices: new Int32Array(shown), count: shown };
  for (let i = 0; i < shown; i++) {
    const { values, label } = await rows.row(Math.floor((i * count) / shown));
    picked.pixels.set(values instanceof Uint8Array ? values : Uint8Array.from(values, (v) => Math.round(v * 255)), i * size);
    picked.classIndices[i] = label;
  }
  const empty = { pixels: new Uint8Array(0), classIndices: new Int32Array(0), count: 0 };
  return previewPictures({ train: picked, validation: empty }, dataset.classes, stored);
}

/**
 * The stored CSV rows (as text, from the file) that are no test example. The file itself is
 * not kept, so a row is matched by its numbers: encoded as the import encoded it (the stored
 * encodings), a row equal to a test row is left out, even if it also occurs among the
 * training rows (showing it would show that test example).
 */
async function csvRowsNotInTest(rows: StoredRows, dataset: StoredLayout, stored: CsvPreview): Promise<string[][]> {
  const encodings = featureEncodingsSchema.safeParse(dataset.encodings);
  const columnIndex = new Map(stored.columns.map((c, i) => [c.name, i]));
  const encode = (row: string[]): Float32Array | null => {
    if (!encodings.success) return null;
    const encoded = encodeTableRow(encodings.data, (column) => row[columnIndex.get(column) ?? -1]);
    return encoded.ok ? encoded.values : null;
  };
  const testRows: Float32Array[] = [];
  const first = dataset.trainSize + dataset.validationSize;
  for (let row = first; row < first + dataset.testSize; row++) testRows.push((await rows.row(row)).values as Float32Array);
  const close = (a: Float32Array, b: Float32Array) => a.every((v, i) => Math.abs(v - b[i]!) <= 1e-4 * Math.max(1, Math.abs(v)));
  // A row that cannot be encoded (the stored encodings are missing) cannot be told apart from a test row: it is left out too.
  return stored.rows.filter((row) => {
    const encoded = encode(row);
    return encoded !== null && !testRows.some((test) => close(encoded, test));
  });
}
