import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { datasets } from '../../db/schema';
import { CsvError, decodeCsvBytes, parseCsv, previewCsv, summarizeColumns, PREVIEW_ROWS, type CsvPreview } from '../data/csv';
import { importCsv, type CsvImportOptions } from '../data/csv-import';
import { SPLITS, type Dataset } from '../data/dataset';
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
  preview: CsvPreview;
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
  const ordered = SPLITS.map((split) => table.splits[split]);
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
        name: options.name,
        format: 'csv',
        inputShape: table.inputShape,
        classes: table.classes,
        encodings: table.encodings,
        options: options as unknown as Record<string, unknown>,
        preview: preview as unknown as Record<string, unknown>,
        trainSize: table.splits.train.count,
        validationSize: table.splits.validation.count,
        testSize: table.splits.test.count,
        features: bytesOf(features),
        labels: bytesOf(labels),
      })
      .returning(summaryColumns);
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
  return { ...toSummary(row), encodings: row.encodings, options: row.options, preview: row.preview as unknown as CsvPreview };
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
  return {
    kind: 'inline',
    id: row.id,
    name: row.name,
    inputShape: row.inputShape,
    classes: row.classes,
    trainSize: row.trainSize,
    validationSize: row.validationSize,
    testSize: row.testSize,
    features: Buffer.from(row.features).toString('base64'),
    labels: Buffer.from(row.labels).toString('base64'),
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
