import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/client';
import { csvImportOptionsSchema } from './data/csv-import';
import { idxImportOptionsSchema } from './data/idx-import';
import { imageImportOptionsSchema } from './data/pictures';
import { assertMayShareWithSchool } from './services/dataset-access';
import { createCsvDataset, createIdxDataset, createImageDataset, previewCsvUpload } from './services/datasets';
import { declaresTooBig, formatBytes, readBody, sendJson as send } from './request-body';
import { HTTP_STATUS, ServiceError } from './services/errors';

/**
 * File uploads go over plain HTTP rather than tRPC: the body is the file's bytes, counted
 * while it streams so an oversized upload is refused before it is all read.
 *
 *   POST /api/datasets/csv/preview          body: the CSV file → { preview }
 *   POST /api/datasets/csv?options=<json>   body: the CSV file → { dataset }   (options: csvImportOptionsSchema)
 *   POST /api/datasets/images?options=<json> body: a zip, one folder per class, or a multipart form of
 *                                            "class" fields each followed by its "picture" files → { dataset }   (options: imageImportOptionsSchema)
 *   POST /api/datasets/idx?options=<json>    body: a multipart form of IDX files (gzipped or not: the images and
 *                                            labels files, and the t10k test pair if given), or a zip of them → { dataset }   (options: idxImportOptionsSchema)
 */
export interface UploadLimits {
  /** CSV files and pictures (LAYERBOOK_MAX_UPLOAD_BYTES; see server/env.ts for the defaults). */
  maxUploadBytes: number;
  /** IDX files, a teacher's full-size datasets (LAYERBOOK_MAX_IDX_UPLOAD_BYTES). */
  maxIdxUploadBytes: number;
  /** Pixels of all pictures in one upload together (LAYERBOOK_MAX_UPLOAD_PIXELS). */
  maxUploadPixels?: number;
}

export function isUploadPath(pathname: string): boolean {
  return pathname === '/api/datasets/csv' || pathname === '/api/datasets/csv/preview' || pathname === '/api/datasets/images' || pathname === '/api/datasets/idx';
}

export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  deps: { db: Database; userId: string | null } & UploadLimits,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return send(res, 405, { error: 'Send the file with POST.' });
  }
  if (!deps.userId) return send(res, 401, { error: 'Your session has ended. Reload the page, then upload again.' });

  const isIdx = url.pathname === '/api/datasets/idx';
  const limit = isIdx ? deps.maxIdxUploadBytes : deps.maxUploadBytes;
  const tooBig = () =>
    send(
      res,
      413,
      {
        error: isIdx
          ? `These files are bigger than the ${formatBytes(limit)} limit for IDX uploads. Upload a smaller dataset, or ask whoever runs Layerbook to raise LAYERBOOK_MAX_IDX_UPLOAD_BYTES.`
          : `This file is bigger than the ${formatBytes(limit)} limit. Upload a smaller file, for example with fewer rows or pictures.`,
      },
      true,
    );
  if (declaresTooBig(req, limit)) return tooBig();

  // Options (and who may use them) are checked before the body is read, so a bad request costs no upload.
  let csvOptions: z.infer<typeof csvImportOptionsSchema> | null = null;
  let imageOptions: z.infer<typeof imageImportOptionsSchema> | null = null;
  let idxOptions: z.infer<typeof idxImportOptionsSchema> | null = null;
  if (url.pathname === '/api/datasets/csv') {
    const parsed = parseOptions(url.searchParams.get('options'), csvImportOptionsSchema, 'Say which column is the label and which are features');
    if (!parsed.ok) return send(res, 400, { error: parsed.error }, true);
    csvOptions = parsed.options;
  } else if (url.pathname === '/api/datasets/images') {
    const parsed = parseOptions(url.searchParams.get('options'), imageImportOptionsSchema, 'Say the dataset name and the picture size');
    if (!parsed.ok) return send(res, 400, { error: parsed.error }, true);
    imageOptions = parsed.options;
  } else if (isIdx) {
    const parsed = parseOptions(url.searchParams.get('options'), idxImportOptionsSchema, 'Say the dataset name and the split');
    if (!parsed.ok) return send(res, 400, { error: parsed.error }, true);
    idxOptions = parsed.options;
  }

  try {
    if (idxOptions?.shareWithSchool) await assertMayShareWithSchool(deps.db, deps.userId);
    const body = await readBody(req, limit);
    if (body === 'too-big') return tooBig();
    const upload = { bytes: body, contentType: req.headers['content-type'] ?? '' };
    if (csvOptions) return send(res, 201, { dataset: await createCsvDataset(deps.db, deps.userId, body, csvOptions) });
    if (idxOptions) return send(res, 201, { dataset: await createIdxDataset(deps.db, deps.userId, upload, idxOptions) });
    if (imageOptions) return send(res, 201, { dataset: await createImageDataset(deps.db, deps.userId, upload, imageOptions, { maxPixels: deps.maxUploadPixels }) });
    return send(res, 200, { preview: previewCsvUpload(body) });
  } catch (error) {
    // The client may still be sending a refused upload's body: close rather than read it.
    if (error instanceof ServiceError) return send(res, HTTP_STATUS[error.code], { error: error.message }, !req.readableEnded);
    throw error;
  }
}

function parseOptions<T>(text: string | null, schema: z.ZodType<T>, whatToSay: string): { ok: true; options: T } | { ok: false; error: string } {
  if (!text) return { ok: false, error: `${whatToSay} (the "options" parameter is missing).` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The "options" parameter is not valid JSON.' };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, options: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, error: `Import settings: ${issue.path.join('.') || 'options'} ${issue.message}` };
}
