import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClassWork } from '../testing/class-work';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { gradesDownloadPath, handleGradesDownload } from './grade-downloads';
import type { SessionUser } from './services/sessions';

describe('the grades download', () => {
  let database: TestDatabase;
  let work: Awaited<ReturnType<typeof makeClassWork>>;
  let server: Server;
  let base: string;
  // Which user the next request comes as; the real server reads it from the session cookie.
  let caller: SessionUser | null = null;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    work = await makeClassWork(database.db);
    server = createServer((req, res) => void handleGradesDownload(req, res, { db: database.db, user: caller }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await database?.destroy();
  });

  it("is a private attachment for the class's teacher, readable by a spreadsheet", async () => {
    caller = { id: work.teacher.id, displayName: 'Ms Rivera', role: 'teacher' };
    const response = await fetch(base + gradesDownloadPath(work.assignment.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="Grades - 7B Computing - Digits.csv"');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const bytes = Buffer.from(await response.arrayBuffer());
    // A UTF-8 byte-order mark first, so Excel reads names with accents right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toContain('"Student","Status"');
  });

  it('answers 404 to a student, a visitor and a malformed id, and 405 to a POST', async () => {
    for (const user of [{ id: work.ana.id, displayName: 'Ana', role: 'student' as const }, null]) {
      caller = user;
      const response = await fetch(base + gradesDownloadPath(work.assignment.id));
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('Ana');
    }
    caller = { id: work.teacher.id, displayName: 'Ms Rivera', role: 'teacher' };
    expect((await fetch(base + gradesDownloadPath('not-an-id'))).status).toBe(404);
    expect((await fetch(base + gradesDownloadPath(work.assignment.id), { method: 'POST' })).status).toBe(405);
  });
});
