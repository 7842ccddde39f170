import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { makePeople, signIn, testAuth } from '../testing/school';
import { createServer } from './http';
import { PAGE_ACCOUNT_HEADER } from './page-account';

/** The site header names who is signed in from the first HTML: the page learns it from the server's session only. */
describe('who a page is rendered for', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const auth = testAuth(database.db);
    await makePeople(database.db, auth);
    server = createServer({
      database,
      runner: new FakeRunQueue(),
      maxParams: 1_000_000,
      auth,
      // Stands in for Next: answers with what the layout would read.
      nextHandler: (req, res) => void res.end(JSON.stringify({ account: req.headers[PAGE_ACCOUNT_HEADER] ?? 'absent' })),
      log: () => {},
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.destroy();
  });

  async function seenByPage(path: string, headers: Record<string, string> = {}): Promise<unknown> {
    const response = await fetch(base + path, { headers });
    const { account } = (await response.json()) as { account: string };
    return account === 'absent' ? account : JSON.parse(decodeURIComponent(account));
  }

  it('names the signed-in account, and nobody for a visitor', async () => {
    const cookie = await signIn(base, 'teacher');
    expect(await seenByPage('/classes', { cookie })).toEqual({ displayName: 'teacher', username: 'teacher', role: 'teacher' });
    expect(await seenByPage('/')).toBeNull();
  });

  it('replaces whatever the browser sends under that name', async () => {
    const forged = encodeURIComponent(JSON.stringify({ displayName: 'Admin', username: 'admin', role: 'admin' }));
    expect(await seenByPage('/admin', { [PAGE_ACCOUNT_HEADER]: forged })).toBeNull();
    const cookie = await signIn(base, 'owner');
    expect(await seenByPage('/', { cookie, [PAGE_ACCOUNT_HEADER]: forged })).toEqual({ displayName: 'owner', username: 'owner', role: 'student' });
    // Scripts and pictures render no header: no session lookup for them, and nothing forged passes either.
    expect(await seenByPage('/_next/static/chunk.js', { cookie, [PAGE_ACCOUNT_HEADER]: forged })).toBe('absent');
  });
});
