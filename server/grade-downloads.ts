import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/client';
import { sendFileDownload } from './file-downloads';
import { reviewNotFound } from './services/class-review';
import { gradesCsv } from './services/grades';
import type { SessionUser } from './services/sessions';

/**
 * GET /api/assignments/<id>/grades.csv: an assignment's grades as a spreadsheet file. Only the
 * class's own teacher gets it; anyone else, an admin included, gets the same 404 as for an
 * unknown id.
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
  const [, assignmentId] = GRADES_PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname)!;
  await sendFileDownload(req, res, {
    what: 'the grades',
    read: async () => {
      if (!deps.user || !idSchema.safeParse(assignmentId).success) throw reviewNotFound();
      const { fileName, csv } = await gradesCsv(deps.db, deps.user, assignmentId!);
      return {
        // A byte-order mark so Excel reads names with accents as UTF-8.
        body: Buffer.from(`\uFEFF${csv}`, 'utf8'),
        contentType: 'text/csv; charset=utf-8',
        fileName,
        // Grades are personal and change as the teacher marks: never kept anywhere.
        cacheControl: 'private, no-store',
      };
    },
  });
}
