/**
 * `layerbook train --dataset <id>`: a dataset uploaded to a Layerbook server, read from that
 * server's PostgreSQL database a few chunks at a time, through the same reader a worker uses.
 */
import { openDatabase } from '../db/client';
import type { ReadChunk } from '../server/data/stored';
import { readDatasetChunk, storedDatasetRefById } from '../server/services/datasets';
import type { StoredDatasetRef } from '../server/data/job-dataset';

export interface UploadedDataset {
  ref: StoredDatasetRef;
  readChunk: ReadChunk;
  close(): Promise<void>;
}

/** The dataset, or what went wrong in words for the person at the terminal. The caller closes it. */
export async function openUploadedDataset(url: string, id: string): Promise<UploadedDataset | { problem: string }> {
  let where: string;
  try {
    const parsed = new URL(url);
    where = `${parsed.host}${parsed.pathname}`;
  } catch {
    return { problem: 'DATABASE_URL is not a postgres:// address. Use the one the web server uses, like postgres://layerbook:secret@school-server:5432/layerbook.' };
  }
  const database = openDatabase({ url });
  try {
    const ref = await storedDatasetRefById(database.db, id);
    if (!ref) {
      await database.close();
      return { problem: `There is no uploaded dataset with the id ${id} in the database at ${where}. Check the id: a notebook export shows it as "datasetId" in the data cell.` };
    }
    return { ref, readChunk: (datasetId, startRow) => readDatasetChunk(database.db, datasetId, startRow), close: () => database.close() };
  } catch (error) {
    await database.close().catch(() => {});
    return { problem: `Could not read the dataset from the database at ${where}: ${(error as Error).message}` };
  }
}
