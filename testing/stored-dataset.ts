import type { Database } from '../db/client';
import type { StreamedDataset } from '../server/data/dataset';
import { storedDataset } from '../server/data/stored';
import { readDatasetChunk, storedDatasetRef } from '../server/services/datasets';

/**
 * One of the user's stored datasets read the way a training worker reads it (the reference a
 * job carries, then chunks from the database), with the same access check as starting a run.
 */
export async function loadUserDataset(db: Database, userId: string, id: string): Promise<StreamedDataset> {
  return storedDataset(await storedDatasetRef(db, userId, id), (datasetId, startRow) => readDatasetChunk(db, datasetId, startRow));
}
