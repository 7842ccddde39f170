import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { datasetChunks, datasets } from '../../db/schema';
import { CsvError, decodeCsvBytes, parseCsv, previewCsv, summarizeColumns, PREVIEW_ROWS, type CsvPreview } from '../data/csv';
import { importCsv, type CsvImportOptions } from '../data/csv-import';
import { SPLITS, type Dataset, type ExampleTable, type Split } from '../data/dataset';
import { IdxError } from '../data/idx';
import { importIdxZip, type IdxImportOptions } from '../data/idx-import';
import { ImageZipError, importImageZip, type ImageImportOptions, type ImagePreview } from '../data/image-zip';
import { inlineToDataset } from '../data/inline';
import type { InlineDataset } from '../training/protocol';
import { ServiceError } from './errors';

/** Keeps one student from filling the database; old datasets can be deleted. */
export const MAX_DATASETS_PER_USER = 50;

export const datasetNotFound = () =>
  new ServiceError('NOT_FOUND', 'This dataset does not exist, or it belongs to someone else. Upload it again, or pick another dataset.');

/** What a page needs to list or show a dataset; never the examples themselves. */
export interface DatasetSummary {
  id: string;
  name: string;
  format: string;
  inputShape: number[];
  classes: string[];
  trainSize: number;
  validationSize: number;
  testSize: number;
  createdAt: string;
}

export interface DatasetDetails extends DatasetSummary {
  encodings: unknown[];
  options: Record<string, unknown>;
  /** A CSV's first rows and columns, or (format "images") a few resized pictures. */
  preview: CsvPreview | ImagePreview;
}

const summaryColumns = {
  id: datasets.id,
  name: datasets.name,
  format: datasets.format,
  inputShape: datasets.inputShape,
  classes: datasets.classes,
  trainSize: datasets.trainSize,
  validationSize: datasets.validationSize,
  testSize: datasets.testSize,
  createdAt: datasets.createdAt,
};

function csvProblem(error: unknown): never {
  if (error instanceof CsvError) throw new ServiceError('BAD_REQUEST', error.message);
  throw error;
}

/** The first rows and the column types, for picking the label and features. Stores nothing. */
export function previewCsvUpload(bytes: Uint8Array): CsvPreview {
  try {
    return previewCsv(bytes);
  } catch (error) {
    csvProblem(error);
  }
}

/**
 * Parses, encodes and stores a CSV upload as the user's dataset. Everything that can fail
 * with the file happens before the database is touched, and the count check and the insert
 * share one transaction, so a refused or failed upload leaves nothing behind.
 */
export async function createCsvDataset(db: Database, userId: string, bytes: Uint8Array, options: CsvImportOptions): Promise<DatasetSummary> {
  let table;
  let preview: CsvPreview;
  try {
    const csv = parseCsv(decodeCsvBytes(bytes));
    table = importCsv(csv, options);
    preview = { columns: summarizeColumns(csv), rows: csv.rows.slice(0, PREVIEW_ROWS), rowCount: csv.rows.length };
  } catch (error) {
    csvProblem(error);
  }
  return insertDataset(db, userId, {
    name: options.name,
    format: 'csv',
    inputShape: table.inputShape,
    classes: table.classes,
    encodings: table.encodings,
    options,
    preview,
    splits: table.splits,
  });
}

/**
 * Unpacks, checks and resizes a zip of pictures (one folder per class) and stores it as the
 * user's dataset. As with CSV, every check on the file happens before the database is touched.
 */
export async function createImageDataset(db: Database, userId: string, bytes: Uint8Array, options: ImageImportOptions): Promise<DatasetSummary> {
  return storeImages(db, userId, 'images', options, () => importImageZip(bytes, options));
}

/** A zip holding an IDX images file and its labels file (the MNIST format), stored like a picture zip. */
export async function createIdxDataset(db: Database, userId: string, bytes: Uint8Array, options: IdxImportOptions): Promise<DatasetSummary> {
  return storeImages(db, userId, 'idx', options, () => importIdxZip(bytes, options));
}

async function storeImages(
  db: Database,
  userId: string,
  format: 'images' | 'idx',
  options: { name: string },
  read: () => ReturnType<typeof importImageZip>,
): Promise<DatasetSummary> {
  let imported;
  try {
    imported = read();
  } catch (error) {
    if (error instanceof ImageZipError || error instanceof IdxError) throw new ServiceError('BAD_REQUEST', error.message);
    throw error;
  }
  return insertDataset(db, userId, {
    name: options.name,
    format,
    inputShape: imported.inputShape,
    classes: imported.classes,
    encodings: [],
    options,
    preview: imported.preview,
    splits: imported.splits,
  });
}

/** The count check and the insert share one transaction, so a refused or failed upload leaves nothing behind. */
async function insertDataset(
  db: Database,
  userId: string,
  data: { name: string; format: string; inputShape: number[]; classes: string[]; encodings: unknown[]; options: object; preview: object; splits: Record<Split, ExampleTable> },
): Promise<DatasetSummary> {
  const ordered = SPLITS.map((split) => data.splits[split]);
  const features = concatFloat32(ordered.map((t) => t.features));
  const labels = concatInt32(ordered.map((t) => t.classIndices));

  return db.transaction(async (tx) => {
    const [owned] = await tx.select({ count: sql<number>`count(*)::int` }).from(datasets).where(eq(datasets.ownerId, userId));
    if ((owned?.count ?? 0) >= MAX_DATASETS_PER_USER) {
      throw new ServiceError('TOO_MANY_REQUESTS', `You already have ${MAX_DATASETS_PER_USER} datasets. Delete one you no longer need, then upload again.`);
    }
    const [row] = await tx
      .insert(datasets)
      .values({
        ownerId: userId,
        name: data.name,
        format: data.format,
        inputShape: data.inputShape,
        classes: data.classes,
        encodings: data.encodings,
        options: data.options as Record<string, unknown>,
        preview: data.preview as Record<string, unknown>,
        trainSize: data.splits.train.count,
        validationSize: data.splits.validation.count,
        testSize: data.splits.test.count,
      })
      .returning(summaryColumns);
    await tx.insert(datasetChunks).values({ datasetId: row!.id, startRow: 0, rowCount: labels.length, features: bytesOf(features), labels: bytesOf(labels) });
    return toSummary(row!);
  });
}

export async function listDatasets(db: Database, userId: string): Promise<DatasetSummary[]> {
  const rows = await db.select(summaryColumns).from(datasets).where(eq(datasets.ownerId, userId)).orderBy(desc(datasets.createdAt));
  return rows.map(toSummary);
}

export async function getDataset(db: Database, userId: string, id: string): Promise<DatasetDetails> {
  const [row] = await db
    .select({ ...summaryColumns, encodings: datasets.encodings, options: datasets.options, preview: datasets.preview })
    .from(datasets)
    .where(and(eq(datasets.id, id), eq(datasets.ownerId, userId)))
    .limit(1);
  if (!row) throw datasetNotFound();
  return { ...toSummary(row), encodings: row.encodings, options: row.options, preview: row.preview as unknown as CsvPreview | ImagePreview };
}

export async function deleteDataset(db: Database, userId: string, id: string): Promise<{ ok: true }> {
  const deleted = await db.delete(datasets).where(and(eq(datasets.id, id), eq(datasets.ownerId, userId))).returning({ id: datasets.id });
  if (deleted.length === 0) throw datasetNotFound();
  return { ok: true };
}

/** The stored examples behind the Dataset interface. Only the owner's. */
export async function loadUserDataset(db: Database, userId: string, id: string): Promise<Dataset> {
  const inline = await inlineUserDataset(db, userId, id);
  return inlineToDataset(inline);
}

/** The owner's stored dataset packed into a training job (see InlineDataset for why). */
export async function inlineUserDataset(db: Database, userId: string, id: string): Promise<InlineDataset> {
  const [row] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.id, id), eq(datasets.ownerId, userId)))
    .limit(1);
  if (!row) throw datasetNotFound();
  const chunks = await db.select().from(datasetChunks).where(eq(datasetChunks.datasetId, id)).orderBy(datasetChunks.startRow);
  return {
    kind: 'inline',
    id: row.id,
    name: row.name,
    inputShape: row.inputShape,
    classes: row.classes,
    trainSize: row.trainSize,
    validationSize: row.validationSize,
    testSize: row.testSize,
    features: Buffer.concat(chunks.map((c) => c.features)).toString('base64'),
    labels: Buffer.concat(chunks.map((c) => c.labels)).toString('base64'),
  };
}

function toSummary(row: Omit<DatasetSummary, 'createdAt'> & { createdAt: Date }): DatasetSummary {
  return {
    id: row.id,
    name: row.name,
    format: row.format,
    inputShape: row.inputShape,
    classes: row.classes,
    trainSize: row.trainSize,
    validationSize: row.validationSize,
    testSize: row.testSize,
    createdAt: row.createdAt.toISOString(),
  };
}

function concatFloat32(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function concatInt32(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Typed arrays are stored little-endian, which is what every machine Node runs on here uses natively. */
function bytesOf(array: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
