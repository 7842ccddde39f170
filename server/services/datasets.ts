import { setImmediate } from 'node:timers/promises';
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { datasetChunks, datasets } from '../../db/schema';
import { CsvError, decodeCsvBytes, parseCsv, previewCsv, summarizeColumns, PREVIEW_ROWS, type CsvPreview } from '../data/csv';
import { importCsv, type CsvImportOptions } from '../data/csv-import';
import { type Split } from '../data/dataset';
import { balanceOfSplits } from '../data/balance';
import type { IdxImportOptions } from '../data/idx-import';
import { importOffThread } from '../data/import-pool';
import { type ImageImportOptions, type ImagePreview, type ImportedImages } from '../data/pictures';
import { UploadProblem } from '../data/upload-files';
import { DATASET_CHUNK_BYTES, encodeChunks, encodingOf, type TableToStore } from '../data/stored';
import type { DatasetChunk, StoredDatasetRef } from '../data/job-dataset';
import { previewWithoutTestRows } from './dataset-previews';
import { assertGradesNoAssignment, assertMayShareWithSchool, datasetOrigins, ownedDatasetWhere, readableDatasetWhere, setDatasetVisibility, type DatasetOrigin } from './dataset-access';
import { ServiceError } from './errors';

/** Keeps one student from filling the database; old datasets can be deleted. */
export const MAX_DATASETS_PER_USER = 50;

export const datasetNotFound = () =>
  new ServiceError('NOT_FOUND', 'This dataset does not exist, or it belongs to someone else. If your teacher shared it, it may no longer be shared with your class. Upload it again, or pick another dataset.');

/**
 * Why a dataset cannot be read (its data cell, a Train press): deleted, or someone else's.
 * One answer for both, so that nobody learns whether an id is in use, and a student whose
 * teacher deleted or stopped sharing a set is told how to go on either way.
 */
export const DATASET_UNREADABLE_MESSAGE =
  'This data is not there for you: it was deleted, or it belongs to someone else (if your teacher shared it, it may no longer be shared with your class). The rest of the notebook is as it was. Pick other data in the data cell’s Data list, or upload the file again.';
const datasetUnreadable = () => new ServiceError('NOT_FOUND', DATASET_UNREADABLE_MESSAGE);

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
    preview = {
      columns: summarizeColumns(csv),
      rows: table.previewableRows.slice(0, PREVIEW_ROWS).map((row) => csv.rows[row]!),
      rowCount: csv.rows.length,
      balance: balanceOfSplits(table.classes, table.splits),
      withoutTestRows: true,
    };
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

/** A picture or IDX upload as it arrived: one zip, or (content type multipart/form-data) several files. */
export interface FileUpload {
  bytes: Uint8Array;
  contentType: string;
}

const asUpload = (upload: Uint8Array | FileUpload): FileUpload => (upload instanceof Uint8Array ? { bytes: upload, contentType: 'application/zip' } : upload);

/**
 * Unpacks, checks and resizes pictures (a zip with one folder per class, or pictures picked
 * class by class) and stores them as the user's dataset. The decoding runs on the import
 * threads (server/data/import-pool.ts); as with CSV, every check on the files happens
 * before the database is touched.
 */
export async function createImageDataset(
  db: Database,
  userId: string,
  upload: Uint8Array | FileUpload,
  options: ImageImportOptions,
  limits: { maxPixels?: number } = {},
): Promise<DatasetSummary> {
  const { bytes, contentType } = asUpload(upload);
  return storeImages(db, userId, 'images', options, () => importOffThread({ kind: 'pictures', body: bytes, contentType, options, maxPixels: limits.maxPixels }));
}

/**
 * IDX files (the MNIST format) stored like pictures. Giving it to the whole school is for
 * teachers, checked before the files are read; should that still fail after storing, the
 * dataset is removed again, so nothing half-imported stays.
 */
export async function createIdxDataset(db: Database, userId: string, upload: Uint8Array | FileUpload, options: IdxImportOptions): Promise<DatasetSummary> {
  const { bytes, contentType } = asUpload(upload);
  if (options.shareWithSchool) await assertMayShareWithSchool(db, userId);
  const created = await storeImages(db, userId, 'idx', options, () => importOffThread({ kind: 'idx', body: bytes, contentType, options }));
  if (options.shareWithSchool) {
    try {
      await setDatasetVisibility(db, userId, { datasetId: created.id, visibility: 'school' });
    } catch (error) {
      await deleteDataset(db, userId, created.id);
      throw error;
    }
  }
  return created;
}

async function storeImages(
  db: Database,
  userId: string,
  format: 'images' | 'idx',
  options: { name: string; seed: number },
  read: () => Promise<ImportedImages>,
): Promise<DatasetSummary> {
  let imported;
  try {
    imported = await read();
  } catch (error) {
    if (error instanceof UploadProblem) throw new ServiceError('BAD_REQUEST', error.message);
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
    // Stored as they came, 8 bits a pixel (see encodeChunks).
    splits: imported.splits,
  });
}

/**
 * The count check, the dataset row and all its chunks share one transaction, so a refused or
 * failed upload leaves nothing behind, half-stored chunks included. Chunks are encoded one at
 * a time (see encodeChunks), never as one copy of the whole dataset. Exported for tests, which
 * cut small datasets into many chunks with a small `chunkBytes`.
 */
export async function insertDataset(
  db: Database,
  userId: string,
  data: {
    name: string;
    format: string;
    inputShape: number[];
    classes: string[];
    encodings: unknown[];
    options: { seed?: number };
    preview: object;
    splits: Record<Split, TableToStore>;
  },
  chunkBytes = DATASET_CHUNK_BYTES,
): Promise<DatasetSummary> {
  const featureEncoding = encodingOf(data.splits);
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
        featureEncoding,
      })
      .returning(summaryColumns);
    for (const chunk of encodeChunks(data.splits, data.inputShape, data.options.seed ?? 0, chunkBytes)) {
      await tx.insert(datasetChunks).values({
        datasetId: row!.id,
        startRow: chunk.startRow,
        rowCount: chunk.rowCount,
        features: sql`decode(${base64(chunk.features)}, 'base64')`,
        labels: sql`decode(${base64(chunk.labels)}, 'base64')`,
      });
      // PGlite works on this thread and its promises settle at once, so without a pause a
      // big import would run every chunk back to back and no other request could even be read.
      await setImmediate();
    }
    return toSummary(row!);
  });
}

/** A dataset the user may read, and how they got it: their own, shared with their class, or the school's. */
export interface ListedDataset extends DatasetSummary {
  origin: DatasetOrigin;
}

const originColumns = { ownerId: datasets.ownerId, visibility: datasets.visibility };

/** Everything the user may train on, newest first: their uploads, their classes' shared sets and the school's. */
export async function listDatasets(db: Database, userId: string): Promise<ListedDataset[]> {
  const rows = await db
    .select({ ...summaryColumns, ...originColumns })
    .from(datasets)
    .where(readableDatasetWhere(userId))
    .orderBy(desc(datasets.createdAt));
  const origins = await datasetOrigins(db, userId, rows);
  return rows.map((row) => ({ ...toSummary(row), origin: origins.get(row.id)! }));
}

export async function getDataset(db: Database, userId: string, id: string): Promise<DatasetDetails & { origin: DatasetOrigin }> {
  const [row] = await db
    .select({ ...summaryColumns, ...originColumns, encodings: datasets.encodings, options: datasets.options, preview: datasets.preview, featureEncoding: datasets.featureEncoding })
    .from(datasets)
    .where(and(eq(datasets.id, id), readableDatasetWhere(userId)))
    .limit(1);
  if (!row) throw datasetUnreadable();
  const origin = (await datasetOrigins(db, userId, [row])).get(row.id)!;
  const preview = await previewWithoutTestRows(db, row, row.preview as unknown as CsvPreview | ImagePreview, readDatasetChunk);
  return { ...toSummary(row), encodings: row.encodings, options: row.options, preview, origin };
}

/** Only its owner deletes a dataset, and not while an assignment is graded on it. */
export async function deleteDataset(db: Database, userId: string, id: string): Promise<{ ok: true }> {
  const [owned] = await db.select({ id: datasets.id }).from(datasets).where(ownedDatasetWhere(userId, id)).limit(1);
  if (!owned) throw datasetNotFound();
  await assertGradesNoAssignment(db, id);
  const deleted = await db.delete(datasets).where(ownedDatasetWhere(userId, id)).returning({ id: datasets.id });
  if (deleted.length === 0) throw datasetNotFound();
  return { ok: true };
}

/**
 * A dataset the user may read (readableDatasetWhere), as the reference a training job
 * carries: what it is and how it is cut into chunks, never the numbers. Access is checked
 * here, when the run is queued; the worker then reads chunks by id for that job only.
 */
export async function storedDatasetRef(db: Database, userId: string, id: string): Promise<StoredDatasetRef> {
  const ref = await refWhere(db, id, readableDatasetWhere(userId));
  if (!ref) throw datasetUnreadable();
  return ref;
}

/**
 * Any stored dataset by id, for `layerbook train --dataset <id>`: whoever holds the database's
 * address can read every table anyway, so there is no user to check. Null when there is none.
 */
export async function storedDatasetRefById(db: Database, id: string): Promise<StoredDatasetRef | null> {
  return refWhere(db, id);
}

/** What a grading run calls an assignment's uploaded test set, in its messages too: the student never learns its name. */
export const HIDDEN_TEST_SET_NAME = 'the hidden test set';

/**
 * An assignment's uploaded hidden test set as a grading job reads it: every one of its
 * examples is a test example (sizes say 0 train and 0 validation rows; stored rows are in
 * split order, so reading "test" from row 0 reads them all). The teacher uploaded it to grade
 * with, so none of it is held back. Null when it was deleted.
 */
export async function hiddenTestSetRef(db: Database, datasetId: string): Promise<StoredDatasetRef | null> {
  const ref = await refWhere(db, datasetId);
  if (!ref) return null;
  const all = ref.sizes.train + ref.sizes.validation + ref.sizes.test;
  return { ...ref, name: HIDDEN_TEST_SET_NAME, sizes: { train: 0, validation: 0, test: all } };
}

async function refWhere(db: Database, id: string, readable?: SQL): Promise<StoredDatasetRef | null> {
  const [row] = await db
    .select({
      id: datasets.id,
      name: datasets.name,
      inputShape: datasets.inputShape,
      classes: datasets.classes,
      trainSize: datasets.trainSize,
      validationSize: datasets.validationSize,
      testSize: datasets.testSize,
      featureEncoding: datasets.featureEncoding,
    })
    .from(datasets)
    .where(and(eq(datasets.id, id), readable))
    .limit(1);
  if (!row) return null;
  const chunks = await db
    .select({ startRow: datasetChunks.startRow, rowCount: datasetChunks.rowCount })
    .from(datasetChunks)
    .where(eq(datasetChunks.datasetId, id))
    .orderBy(datasetChunks.startRow);
  let next = 0;
  for (const chunk of chunks) {
    if (chunk.startRow !== next) throw damagedDataset(row.name);
    next += chunk.rowCount;
  }
  if (next !== row.trainSize + row.validationSize + row.testSize) throw damagedDataset(row.name);
  return {
    kind: 'stored',
    datasetId: row.id,
    name: row.name,
    inputShape: row.inputShape,
    classes: row.classes,
    sizes: { train: row.trainSize, validation: row.validationSize, test: row.testSize },
    encoding: row.featureEncoding,
    chunkRows: chunks.map((c) => c.rowCount),
  };
}

export const DATASET_GONE_MESSAGE =
  'The dataset this run trains on was deleted while the run was waiting or training. Pick another dataset (or upload it again) and press Train again.';

const damagedDataset = (name: string) => new ServiceError('CONFLICT', `The stored dataset "${name}" is damaged: some of its examples are missing. Upload it again.`);

/**
 * One stored chunk by its first row, for the worker training a job on this dataset. No user
 * check here: the job's owner was checked when it was queued (storedDatasetRef), and only the
 * process holding that job asks (see TrainingRunner).
 */
export async function readDatasetChunk(db: Database, datasetId: string, startRow: number): Promise<DatasetChunk> {
  const [chunk] = await db
    .select({
      startRow: datasetChunks.startRow,
      rowCount: datasetChunks.rowCount,
      features: sql<string>`encode(${datasetChunks.features}, 'base64')`,
      labels: sql<string>`encode(${datasetChunks.labels}, 'base64')`,
    })
    .from(datasetChunks)
    .where(and(eq(datasetChunks.datasetId, datasetId), eq(datasetChunks.startRow, startRow)))
    .limit(1);
  if (!chunk) throw new ServiceError('NOT_FOUND', DATASET_GONE_MESSAGE);
  return { ...chunk, features: fromBase64(chunk.features), labels: fromBase64(chunk.labels) };
}

/**
 * Chunks cross the driver as base64 text, turned into bytes by the database (decode/encode)
 * and by Node's Buffer. PGlite parses a bytea as hex in JavaScript: measured with a 4 MB
 * chunk, base64 took 160 ms to write and 108 ms to read instead of 2.7 s and 0.8 s (on
 * PostgreSQL 169 and 126 ms instead of 306 and 196 ms).
 */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
function fromBase64(text: string): Uint8Array {
  const buffer = Buffer.from(text, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
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
