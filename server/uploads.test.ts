import type { AddressInfo } from 'node:net';
import { request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../db/schema';
import { openTestDatabase, type TestDatabase } from '../testing/database';
import { giveRole } from '../testing/roles';
import { createServer } from './http';
import { FakeRunQueue } from '../testing/fake-run-queue';
import { findSessionUser, SESSION_COOKIE } from './services/sessions';
const gzip = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));
import { gzipSync } from 'node:zlib';
import { importsInFlight } from './data/import-pool';
import { formBody, idxFile, solidPng, zip } from '../testing/pictures';

const LIMIT = 4096;
const csv = 'x,y,kind\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 5},${i % 2 ? 'odd' : 'even'}`).join('\n');
const options = {
  name: 'Numbers',
  label: 'kind',
  features: [
    { column: 'x', as: 'number' },
    { column: 'y', as: 'number' },
  ],
  normalization: 'standardize',
  split: { train: 70, validation: 15, test: 15 },
  seed: 3,
};

describe('CSV upload over HTTP', () => {
  let database: TestDatabase;
  let server: Server;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    server = createServer({ database, runner: new FakeRunQueue(), maxParams: 1_000_000, maxUploadBytes: LIMIT, nextHandler: (_req, res) => void res.end('page'), log: () => {} });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Opening the starter notebook is what makes a visitor a user with a session.
    const page = await fetch(`${base}/api/trpc/notebook.openStarter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    cookie = page.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.destroy();
  });

  const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', body, headers: { cookie, 'content-type': 'text/csv', ...headers } });

  it('previews a file: column types, first rows and the row count, storing nothing', async () => {
    const response = await post('/api/datasets/csv/preview', csv);
    expect(response.status).toBe(200);
    const { preview } = await response.json();
    expect(preview.rowCount).toBe(40);
    expect(preview.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['x:number', 'y:number', 'kind:category']);
    expect(preview.rows[0]).toEqual(['0', '0', 'even']);
    expect(await database.db.select().from(datasets)).toEqual([]);
  });

  it('imports a file with the chosen settings into a dataset owned by the uploader', async () => {
    const response = await post(`/api/datasets/csv?options=${encodeURIComponent(JSON.stringify(options))}`, csv);
    expect(response.status).toBe(201);
    const { dataset } = await response.json();
    expect(dataset).toMatchObject({ name: 'Numbers', format: 'csv', inputShape: [2], classes: ['even', 'odd'], trainSize: 28, validationSize: 6, testSize: 6 });
  });

  it('answers a problem in the file with 400 and the row to fix, leaving nothing behind', async () => {
    const before = (await database.db.select().from(datasets)).length;
    const response = await post(`/api/datasets/csv?options=${encodeURIComponent(JSON.stringify(options))}`, 'x,y,kind\n1,2,a\n3,oops,b\n');
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe(
      'Row 3, column "y": "oops" is not a number, but this column is used as numbers. Fix that value (use a dot for decimals, like 2.5), or use the column as categories.',
    );
    expect(await database.db.select().from(datasets)).toHaveLength(before);
  });

  it('refuses settings that are not valid before reading the file', async () => {
    const response = await post(`/api/datasets/csv?options=${encodeURIComponent(JSON.stringify({ ...options, split: { train: 90, validation: 20, test: 5 } }))}`, csv);
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatch(/^Import settings: split Train, validation and test must add up to 100%/);
  });

  it('answers 413 from the declared length, before the body is read', async () => {
    // Sends only the headers: a server that waited for the body would never answer.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/datasets/csv/preview`, { method: 'POST', headers: { cookie, 'content-length': String(LIMIT * 10) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(status).toBe(413);
  });

  it('answers 413 while streaming a body that has no declared length and grows past the limit', async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit in all, so the answer must come from counting, not from the end of the body.
        if (sent > LIMIT * 1000) return controller.close();
        sent += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x31));
      },
    });
    const response = await fetch(`${base}/api/datasets/csv/preview`, { method: 'POST', body: stream, duplex: 'half', headers: { cookie } } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe('This file is bigger than the 4 KB limit. Upload a smaller file, for example with fewer rows or pictures.');
    expect(sent).toBeLessThan(LIMIT * 1000);
  });

  it('refuses GET', async () => {
    expect((await fetch(`${base}/api/datasets/csv`, { headers: { cookie } })).status).toBe(405);
  });

  describe('picture zips', () => {
    const imageOptions = { name: 'Shades', size: 28, color: 'grayscale', split: { train: 50, validation: 0, test: 50 }, seed: 2 };
    const url = (o: object = imageOptions) => `/api/datasets/images?options=${encodeURIComponent(JSON.stringify(o))}`;
    const shades = () =>
      zip({
        'black/1.png': solidPng(3, 3, [0, 0, 0, 255]),
        'black/2.png': solidPng(3, 3, [0, 0, 0, 255]),
        'white/1.png': solidPng(3, 3, [255, 255, 255, 255]),
        'white/2.png': solidPng(3, 3, [255, 255, 255, 255]),
      });

    it('imports a zip with one folder per class as an image dataset owned by the uploader', async () => {
      const response = await post(url(), shades(), { 'content-type': 'application/zip' });
      expect(response.status).toBe(201);
      const { dataset } = await response.json();
      expect(dataset).toMatchObject({ name: 'Shades', format: 'images', inputShape: [28, 28, 1], classes: ['black', 'white'], trainSize: 2, validationSize: 0, testSize: 2 });
      const [row] = (await database.db.select().from(datasets)).filter((d) => d.id === dataset.id);
      expect(row!.preview).toMatchObject({ kind: 'images', width: 28, height: 28, channels: 1, imageCount: 4 });
    });

    it('refuses a zip with a path climbing out of it with 400 and the file name, storing nothing', async () => {
      const before = (await database.db.select().from(datasets)).length;
      const bytes = zip({ 'black/1.png': solidPng(3, 3, [0, 0, 0, 255]), '../evil.png': solidPng(3, 3, [0, 0, 0, 255]) });
      const response = await post(url(), bytes, { 'content-type': 'application/zip' });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(/^"..\/evil.png" points outside the zip's folders/);
      expect(await database.db.select().from(datasets)).toHaveLength(before);
    });

    it('refuses settings that are not valid, and a zip over the size limit with 413', async () => {
      const bad = await post(url({ ...imageOptions, size: 30 }), shades());
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatch(/^Import settings: size/);
      const missing = await post('/api/datasets/images', shades());
      expect((await missing.json()).error).toBe('Say the dataset name and the picture size (the "options" parameter is missing).');
      const tooBig = await post(url(), new Uint8Array(LIMIT + 1));
      expect(tooBig.status).toBe(413);
    });
  });


  it('imports a zip of IDX images and labels files, and refuses one without labels', async () => {
    const images = idxFile(0x08, [4, 2, 2], [0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
    const labels = idxFile(0x08, [4], [0, 1, 0, 1]);
    const settings = { name: 'Digits', classNames: ['zero', 'one'], split: { train: 50, validation: 0, test: 50 }, seed: 1, shareWithSchool: false };
    const url = `/api/datasets/idx?options=${encodeURIComponent(JSON.stringify(settings))}`;
    const response = await post(url, zip({ 'train-images-idx3-ubyte': images, 'train-labels-idx1-ubyte': labels }), { 'content-type': 'application/zip' });
    expect(response.status).toBe(201);
    expect((await response.json()).dataset).toMatchObject({ name: 'Digits', format: 'idx', inputShape: [2, 2, 1], classes: ['zero', 'one'], trainSize: 2, testSize: 2 });

    const refused = await post(url, zip({ 'train-images-idx3-ubyte': images }), { 'content-type': 'application/zip' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/^Choose the images file and its labels file .*: 2 or 4 files\. There is 1 file: "train-images-idx3-ubyte"\.$/);
  });
});

describe.each([{ kind: 'pglite' as const }, { kind: 'postgres' as const }])('picture and IDX uploads of several files on $kind', ({ kind }) => {
  const PICTURE_LIMIT = 8 * 1024 * 1024;
  const IDX_LIMIT = 256 * 1024;
  const PIXEL_LIMIT = 20_000_000;
  let database: TestDatabase;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = createServer({
      database,
      runner: new FakeRunQueue(),
      maxParams: 1_000_000,
      maxUploadBytes: PICTURE_LIMIT,
      maxIdxUploadBytes: IDX_LIMIT,
      maxUploadPixels: PIXEL_LIMIT,
      nextHandler: (_req, res) => void res.end('page'),
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

  /** A fresh visitor: a session cookie and the user behind it. */
  async function visitor() {
    const page = await fetch(`${base}/api/trpc/notebook.openStarter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const cookie = page.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0]!;
    const user = (await findSessionUser(database.db, decodeURIComponent(cookie.split('=')[1]!)))!;
    return { cookie, userId: user.id };
  }
  const send = (cookie: string, path: string, options: object, body: { bytes: Uint8Array<ArrayBuffer>; contentType: string }) =>
    fetch(`${base}${path}?options=${encodeURIComponent(JSON.stringify(options))}`, { method: 'POST', body: body.bytes, headers: { cookie, 'content-type': body.contentType } });
  const datasetRows = () => database.db.select().from(datasets);

  const pictureOptions = { name: 'Picked', size: 28, color: 'grayscale', split: { train: 50, validation: 0, test: 50 }, seed: 2 };
  const idxOptions = { name: 'Digits', split: { train: 70, validation: 10, test: 20 }, seed: 1, shareWithSchool: false };
  /** `count` 2×2 pictures labelled 0, 1, 0, 1… as the MNIST site ships them (gzipped). */
  const idxPair = (count: number) => {
    const labels = Array.from({ length: count }, (_, i) => i % 2);
    return { images: gzip(idxFile(0x08, [count, 2, 2], labels.flatMap((l) => [l, l, l, l]))), labels: gzip(idxFile(0x08, [count], labels)) };
  };

  it('imports pictures picked class by class, sent as one form with each class before its pictures', async () => {
    const { cookie } = await visitor();
    const form = await formBody([
      ['class', 'black'],
      ['picture', { name: 'a.png', bytes: solidPng(5, 5, [0, 0, 0, 255]) }],
      ['picture', { name: 'b.png', bytes: solidPng(5, 5, [0, 0, 0, 255]) }],
      ['class', 'white'],
      ['picture', { name: 'c.png', bytes: solidPng(5, 5, [255, 255, 255, 255]) }],
      ['picture', { name: 'd.png', bytes: solidPng(5, 5, [255, 255, 255, 255]) }],
    ]);
    const response = await send(cookie, '/api/datasets/images', pictureOptions, form);
    expect(response.status).toBe(201);
    const { dataset } = await response.json();
    expect(dataset).toMatchObject({ name: 'Picked', format: 'images', inputShape: [28, 28, 1], classes: ['black', 'white'], trainSize: 2, testSize: 2 });
    const [row] = (await datasetRows()).filter((d) => d.id === dataset.id);
    expect(row!.featureEncoding).toBe('uint8');
    expect(row!.preview).toMatchObject({ kind: 'images', imageCount: 4, balance: { classes: ['black', 'white'], counts: { train: [1, 1], test: [1, 1] } } });
  });

  it('refuses pictures past the pixel budget with 400 naming it, zipped or picked class by class, storing nothing', async () => {
    const { cookie } = await visitor();
    /** A PNG that says it is 4096×4096: only its header, so the budget must be checked before decoding. */
    const hugePng = () => {
      const bytes = new Uint8Array(33);
      const view = new DataView(bytes.buffer);
      bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
      view.setUint32(16, 4096);
      view.setUint32(20, 4096);
      bytes.set([8, 6, 0, 0, 0], 24);
      return bytes;
    };
    const before = (await datasetRows()).length;
    const zipped = zip({ 'a/1.png': hugePng(), 'b/1.png': hugePng() });
    const form = await formBody([
      ['class', 'a'],
      ['picture', { name: '1.png', bytes: hugePng() }],
      ['class', 'b'],
      ['picture', { name: '1.png', bytes: hugePng() }],
    ]);
    for (const body of [{ bytes: zipped as Uint8Array<ArrayBuffer>, contentType: 'application/zip' }, form]) {
      const response = await send(cookie, '/api/datasets/images', pictureOptions, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe(
        'These 2 pictures have 33.6 million pixels together; one upload may have at most 20 million pixels. Make the pictures smaller (a network sees them at 64×64 at most) or upload fewer at once.',
      );
    }
    expect((await datasetRows()).length).toBe(before);
  });

  it('imports the four gzipped IDX files in one form, the t10k pair as the test split', async () => {
    const { cookie } = await visitor();
    const train = idxPair(40);
    const test = idxPair(8);
    const form = await formBody([
      ['file', { name: 'train-images-idx3-ubyte.gz', bytes: train.images }],
      ['file', { name: 'train-labels-idx1-ubyte.gz', bytes: train.labels }],
      ['file', { name: 't10k-images-idx3-ubyte.gz', bytes: test.images }],
      ['file', { name: 't10k-labels-idx1-ubyte.gz', bytes: test.labels }],
    ]);
    const response = await send(cookie, '/api/datasets/idx', { ...idxOptions, classNames: ['zero', 'one'] }, form);
    expect(response.status).toBe(201);
    expect((await response.json()).dataset).toMatchObject({ format: 'idx', inputShape: [2, 2, 1], classes: ['zero', 'one'], trainSize: 36, validationSize: 4, testSize: 8 });
  });

  it('answers 413 past the IDX limit, which is separate from the picture limit, and stores nothing', async () => {
    const { cookie } = await visitor();
    const before = (await datasetRows()).length;
    const big = { bytes: new Uint8Array(IDX_LIMIT + 1), contentType: 'application/zip' };
    const response = await send(cookie, '/api/datasets/idx', idxOptions, big);
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe(
      'These files are bigger than the 256 KB limit for IDX uploads. Upload a smaller dataset, or ask whoever runs Layerbook to raise LAYERBOOK_MAX_IDX_UPLOAD_BYTES.',
    );
    // The same size is fine for pictures (and then fails only for not being a zip).
    expect((await send(cookie, '/api/datasets/images', pictureOptions, big)).status).toBe(400);
    expect(await datasetRows()).toHaveLength(before);
  });

  it('lets only a teacher give an IDX dataset to the whole school, refusing others before reading the files', async () => {
    const student = await visitor();
    const form = await formBody([
      ['file', { name: 'train-images-idx3-ubyte.gz', bytes: idxPair(10).images }],
      ['file', { name: 'train-labels-idx1-ubyte.gz', bytes: idxPair(10).labels }],
    ]);
    const refused = await send(student.cookie, '/api/datasets/idx', { ...idxOptions, shareWithSchool: true }, form);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/^Only teachers can give a dataset to the whole school\./);
    expect((await datasetRows()).filter((d) => d.ownerId === student.userId)).toEqual([]);

    const teacher = await visitor();
    await giveRole(database.db, teacher.userId, 'teacher');
    const accepted = await send(teacher.cookie, '/api/datasets/idx', { ...idxOptions, shareWithSchool: true }, form);
    expect(accepted.status).toBe(201);
    const { dataset } = await accepted.json();
    const [row] = (await datasetRows()).filter((d) => d.id === dataset.id);
    expect(row).toMatchObject({ visibility: 'school', featureEncoding: 'uint8', format: 'idx' });
  });

  it('keeps answering /api/health while a big picture upload is decoded', async () => {
    const { cookie } = await visitor();
    // Large pictures take a while to decode and shrink: long enough to ask for health meanwhile.
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 6; i++) files[`${i % 2 ? 'dark' : 'light'}/${i}.png`] = solidPng(1400, 1400, i % 2 ? [20, 20, 20, 255] : [230, 230, 230, 255]);
    const body = zip(files);
    expect(body.length).toBeLessThan(PICTURE_LIMIT);
    let uploadFinished = false;
    const upload = send(cookie, '/api/datasets/images', pictureOptions, { bytes: body, contentType: 'application/zip' }).finally(() => (uploadFinished = true));
    while (importsInFlight() === 0 && !uploadFinished) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(importsInFlight()).toBe(1);

    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    // Health answered while the pictures were still being decoded: the decoding did not hold up the server.
    expect(uploadFinished).toBe(false);
    expect(importsInFlight()).toBe(1);
    expect((await upload).status).toBe(201);
  });
});
