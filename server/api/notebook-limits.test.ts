import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMarkdownCell } from '../../blocks/format/notebook';
import { DEFAULT_NOTEBOOK_LIMITS } from '../../blocks/format/notebook-limits';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { createServer } from '../http';
import { FakeRunQueue } from '../../testing/fake-run-queue';

/**
 * Deep JSON is written as text: JSON.stringify recurses, and would overflow on these in the
 * test itself (which is also why the server measures depth before it stringifies anything).
 */
class RawJson {
  constructor(readonly text: string) {}
}

/** A model block holding `count` Dense blocks, each one the `next` of the one before (a chain, as Blockly saves a stack). */
function chainWorkspace(count: number): RawJson {
  let open = '';
  let close = '';
  for (let i = 0; i < count; i++) {
    open += `{"type":"layer_dense","id":"d${i}","fields":{"units":4}${i < count - 1 ? ',"next":{"block":' : ''}`;
    close = (i < count - 1 ? '}}' : '}') + close;
  }
  return new RawJson(`{"blocks":{"languageVersion":0,"blocks":[{"type":"model","id":"m","fields":{"NAME":"long"},"inputs":{"LAYERS":{"block":${open}${close}}}}]}}`);
}

/** JSON nested `levels` deep, as a hand-made file could be. */
function deepWorkspace(levels: number): RawJson {
  return new RawJson(`{"blocks":{"languageVersion":0,"blocks":[${'{"inputs":'.repeat(levels)}{"type":"layer_dense","id":"bottom"}${'}'.repeat(levels)}]}}`);
}

/** JSON.stringify, but with RawJson values written as they are. */
function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  return JSON.stringify(value);
}

/**
 * What a browser's save meets: a notebook that is too big or too deep is answered 400 with a
 * message naming the cell and the limit, and never 500, however deep or long it is.
 */
describe('notebook limits on save', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let cookie = '';

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    server = createServer({ database, runner: new FakeRunQueue(), maxParams: 5_000_000, log: () => {} });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.destroy();
  });

  async function call(path: string, input: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${base}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: toJson(input),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0]!;
    return { status: response.status, body: await response.json() };
  }

  async function save(cells: unknown[]): Promise<{ status: number; message: string }> {
    const created = await call('notebook.create', {});
    const { id } = created.body.result.data;
    const { status, body } = await call('notebook.save', { id, version: 1, title: 'Big', cells });
    return { status, message: status === 200 ? '' : body.error.message };
  }

  function modelCell(id: string, workspace: Record<string, unknown> | RawJson): unknown {
    return { id, type: 'model', workspace };
  }

  it('refuses a workspace nested 5,000 levels deep, naming the cell', async () => {
    const { status, message } = await save([newMarkdownCell('a', 'hi'), modelCell('m', deepWorkspace(5_000))]);
    expect(status).toBe(400);
    expect(message).toBe(
      `Cell 2 (a model cell) has blocks nested more than ${DEFAULT_NOTEBOOK_LIMITS.maxWorkspaceDepth} levels deep, more than a notebook may hold. Take some blocks out of the blocks they sit in, or split the model into two cells.`,
    );
  });

  it('refuses a chain of 10,000 blocks, and one just past the block limit, naming the limit', async () => {
    const long = await save([modelCell('m', chainWorkspace(10_000))]);
    expect(long.status).toBe(400);
    expect(long.message).toMatch(/^Cell 1 \(a model cell\) has blocks nested more than/);
    // Blocks side by side are not deep; only their number counts.
    const wide = { blocks: { languageVersion: 0, blocks: Array.from({ length: DEFAULT_NOTEBOOK_LIMITS.maxWorkspaceBlocks + 1 }, (_, i) => ({ type: 'layer_dense', id: `b${i}` })) } };
    const many = await save([modelCell('m', wide)]);
    expect(many.status).toBe(400);
    expect(many.message).toBe(
      `Cell 1 (a model cell) has ${DEFAULT_NOTEBOOK_LIMITS.maxWorkspaceBlocks + 1} blocks; a cell may have at most ${DEFAULT_NOTEBOOK_LIMITS.maxWorkspaceBlocks}. Delete blocks you do not use, or split the model into two cells.`,
    );
  });

  it('refuses a cell of 400 KB and a notebook of too many cells, saying what to do', async () => {
    const big = await save([newMarkdownCell('a'), newMarkdownCell('b'), newMarkdownCell('c', 'x'.repeat(99_000)), modelCell('m', { note: 'y'.repeat(400_000) })]);
    expect(big.status).toBe(400);
    expect(big.message).toBe('Cell 4 (a model cell) holds 391 KB; a cell may hold at most 128 KB. Delete blocks or text you do not use, or split it into two cells.');
    const cells = Array.from({ length: DEFAULT_NOTEBOOK_LIMITS.maxCells + 1 }, (_, i) => newMarkdownCell(`c${i}`));
    const many = await save(cells);
    expect(many.status).toBe(400);
    expect(many.message).toBe(
      `This notebook has ${DEFAULT_NOTEBOOK_LIMITS.maxCells + 1} cells; a notebook may have at most ${DEFAULT_NOTEBOOK_LIMITS.maxCells}. Delete cells you no longer need, or start a new notebook for the next part.`,
    );
  });

  it('stores a notebook just inside every limit', async () => {
    const ok = await save([modelCell('m', chainWorkspace(100)), newMarkdownCell('t', 'x'.repeat(100_000))]);
    expect(ok).toEqual({ status: 200, message: '' });
  });
});
