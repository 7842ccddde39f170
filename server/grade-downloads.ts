import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/client';
import { HTTP_STATUS, ServiceError } from './services/errors';
import { reviewNotFound } from './services/class-review';
import { gradesCsv } from './services/grades';
import type { SessionUser } from './services/sessions';

/**
 * GET /api/assignments/<id>/grades.csv: an assignment's grades as a spreadsheet file. Only the
 * class's teacher (or an admin) gets it; anyone else gets the same 404 as for an unknown id.
 */
const GRADES_PATH = /^\/api\/assignments\/([^/]+)\/grades\.csv$/;
const idSchema = z.uuid();

export function isGradesDownloadPath(pathname: string): boolean {
  return GRADES_PATH.test(pathname);
}

export function gradesDownloadPath(assignmentId: string): string {
  return `/api/assignments/${assignmentId}/grades.csv`;
}

export async function handleGradesDownload(req: IncomingMessage, res: ServerResponse, deps: { db: Database; user: SessionUser | null }): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendError(res, 405, 'Download the grades with GET.');
  }
  const [, assignmentId] = GRADES_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)!;
  try {
    if (!deps.user || !idSchema.safeParse(assignmentId).success) throw reviewNotFound();
    const { fileName, csv } = await gradesCsv(deps.db, deps.user, assignmentId!);
    // A byte-order mark so Excel reads names with accents as UTF-8.
    const body = Buffer.from(`\uFEFF${csv}`, 'utf8');
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Length', body.byteLength);
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Grades are personal: no shared cache may keep them.
    res.setHeader('Cache-Control', 'private, no-store');
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
