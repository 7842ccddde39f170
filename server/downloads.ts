import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/client';
import { sendFileDownload } from './file-downloads';
import { runNotFound } from './services/errors';
import { getTrainedModel } from './services/run-store';
import { WEIGHTS_FILE_NAME, tfjsModelJson } from './training/model-files';

/**
 * A trained model in TF.js's format, as two plain files so that
 * `tf.loadLayersModel('/api/runs/<runId>/model.json')` loads it (model.json names
 * weights.bin relative to itself):
 *
 *   GET /api/runs/<runId>/model.json    topology + weights manifest
 *   GET /api/runs/<runId>/weights.bin   the weights, one binary buffer
 *
 * Only the run's owner gets them; anyone else gets the same 404 as for an unknown id.
 */
const DOWNLOAD_PATH = new RegExp(`^/api/runs/([^/]+)/(model\\.json|${WEIGHTS_FILE_NAME.replace('.', '\\.')})$`);
const runIdSchema = z.uuid();

export function isRunDownloadPath(pathname: string): boolean {
  return DOWNLOAD_PATH.test(pathname);
}

export async function handleRunDownload(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { db: Database; userId: string | null },
): Promise<void> {
  const [, runId, file] = DOWNLOAD_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)!;
  await sendFileDownload(req, res, {
    what: 'the model',
    read: async () => {
      // No session, or an id that is not a run id, cannot name one of this user's runs.
      if (!deps.userId || !runIdSchema.safeParse(runId).success) throw runNotFound();
      const weights = await getTrainedModel(deps.db, deps.userId, runId!);
      const isWeights = file === WEIGHTS_FILE_NAME;
      return {
        body: isWeights ? Buffer.from(weights.weightData) : Buffer.from(tfjsModelJson(weights)),
        contentType: isWeights ? 'application/octet-stream' : 'application/json; charset=utf-8',
        // tf.loadLayersModel reads it with fetch, which ignores the disposition.
        fileName: file!,
        cacheControl: 'private, no-cache',
      };
    },
  });
}
