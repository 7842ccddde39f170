import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/client';
import { HTTP_STATUS, ServiceError, runNotFound } from './services/errors';
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
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendError(res, 405, 'Download the model with GET.');
  }
  const [, runId, file] = DOWNLOAD_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)!;
  try {
    // No session, or an id that is not a run id, cannot name one of this user's runs.
    if (!deps.userId || !runIdSchema.safeParse(runId).success) throw runNotFound();
    const weights = await getTrainedModel(deps.db, deps.userId, runId!);
    const body = file === WEIGHTS_FILE_NAME ? Buffer.from(weights.weightData) : Buffer.from(tfjsModelJson(weights));
    res.statusCode = 200;
    res.setHeader('Content-Type', file === WEIGHTS_FILE_NAME ? 'application/octet-stream' : 'application/json; charset=utf-8');
    res.setHeader('Content-Length', body.byteLength);
    // A file to save, never a page: a browser opening the link downloads it instead of showing it.
    // tf.loadLayersModel reads it with fetch, which ignores the disposition.
    res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Private: the weights belong to the signed-in student, so no shared cache may keep them.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    if (error instanceof ServiceError) return sendError(res, HTTP_STATUS[error.code], error.message);
    throw error;
  }
}

function sendError(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ error: message }));
}
