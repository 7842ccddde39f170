import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './request-body';
import { HTTP_STATUS, ServiceError } from './services/errors';

/**
 * What every file download shares: only GET and HEAD; the file as an attachment (a browser
 * saves it instead of showing it) that is never sniffed as something else and never kept by a
 * shared cache (it belongs to the signed-in person); a ServiceError as its JSON answer.
 */
export async function sendFileDownload(
  req: IncomingMessage,
  res: ServerResponse,
  file: { what: string; read: () => Promise<{ body: Buffer; contentType: string; fileName: string; cacheControl: 'private, no-cache' | 'private, no-store' }> },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendJson(res, 405, { error: `Download ${file.what} with GET.` });
  }
  try {
    const { body, contentType, fileName, cacheControl } = await file.read();
    res.statusCode = 200;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Length', body.byteLength);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', cacheControl);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    if (error instanceof ServiceError) return sendJson(res, HTTP_STATUS[error.code], { error: error.message });
    throw error;
  }
}
