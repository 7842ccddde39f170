import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { createAuth, loadAuthSecret } from '../server/auth/better-auth';
import { main } from './cli';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } }, out, err };
}

describe('layerbook admin create', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'lb-admin-'));
  const saved = { url: process.env.DATABASE_URL, dir: process.env.LAYERBOOK_DATA_DIR };
  afterAll(() => {
    process.env.DATABASE_URL = saved.url;
    process.env.LAYERBOOK_DATA_DIR = saved.dir;
    rmSync(folder, { recursive: true, force: true });
  });

  it('makes an admin who can sign in with the printed first password, and refuses a taken username', async () => {
    delete process.env.DATABASE_URL;
    process.env.LAYERBOOK_DATA_DIR = path.join(folder, 'pglite');
    const first = capture();
    expect(await main(['admin', 'create', '--username', 'Head', '--name', 'Ms Head'], first.io)).toBe(0);
    const printed = /First password: (\S+)/.exec(first.out.join(''))![1]!;

    const database = openDatabase({ dataDir: process.env.LAYERBOOK_DATA_DIR });
    try {
      const auth = createAuth(database.db, { secret: await loadAuthSecret(database.db), trustedOrigins: () => [] });
      const session = await auth.api.signInUsername({ body: { username: 'head', password: printed } });
      expect(session.user).toMatchObject({ name: 'Ms Head', role: 'admin' });
    } finally {
      await database.close();
    }

    const again = capture();
    expect(await main(['admin', 'create', '--username', 'head', '--name', 'Someone', '--password', 'long enough'], again.io)).toBe(1);
    expect(again.err.join('')).toMatch(/Someone already has this username/);
    const usage = capture();
    expect(await main(['admin', 'create', '--username', 'x'], usage.io)).toBe(2);
    expect(usage.err.join('')).toMatch(/admin create needs --username and --name/);
  }, 60_000);
});
