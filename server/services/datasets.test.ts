import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { datasets } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { CsvPreview } from '../data/csv';
import type { CsvImportOptions } from '../data/csv-import';
import type { ImagePreview } from '../data/pictures';
import { darkAndLightZip, solidPng, zip } from '../../testing/pictures';
import { createCsvDataset, DATASET_UNREADABLE_MESSAGE, createImageDataset, deleteDataset, getDataset, listDatasets, previewCsvUpload } from './datasets';
import { loadUserDataset } from '../../testing/stored-dataset';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];
const bytes = (text: string) => new TextEncoder().encode(text);
const csv = bytes('size,colour,label\n' + Array.from({ length: 20 }, (_, i) => `${i / 2},${i % 3 ? 'red' : 'green'},${i % 2 ? 'yes' : 'no'}`).join('\n'));
const options: CsvImportOptions = {
  name: 'Tiny',
  label: 'label',
  features: [
    { column: 'size', as: 'number' },
    { column: 'colour', as: 'category' },
  ],
  normalization: 'none',
  split: { train: 60, validation: 20, test: 20 },
  seed: 7,
};

describe.each(kinds)('dataset service on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  it('stores an upload and gives the same examples back for training, split as chosen', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createCsvDataset(database.db, user.id, csv, options);
    expect(created).toMatchObject({ name: 'Tiny', inputShape: [3], classes: ['no', 'yes'], trainSize: 12, validationSize: 4, testSize: 4 });

    const loaded = await loadUserDataset(database.db, user.id, created.id);
    expect(loaded).toMatchObject({ inputShape: [3], classes: ['no', 'yes'], trainSize: 12, validationSize: 4, testSize: 4 });
    const rows: number[][] = [];
    for (const split of ['train', 'validation', 'test'] as const) {
      for await (const batch of loaded.batches(split, 5)) {
        for (let i = 0; i < batch.size; i++) rows.push([...batch.features.subarray(i * 3, i * 3 + 3), batch.classIndices[i]!]);
      }
    }
    // Every original row comes back once: size, one-hot colour (green, red), label index.
    const expected = Array.from({ length: 20 }, (_, i) => [i / 2, i % 3 ? 0 : 1, i % 3 ? 1 : 0, i % 2]);
    const byText = (a: number[], b: number[]) => a.join().localeCompare(b.join());
    expect(rows.sort(byText)).toEqual(expected.sort(byText));

    const details = await getDataset(database.db, user.id, created.id);
    const preview = details.preview;
    if ('kind' in preview) throw new Error('A CSV dataset must keep a table preview, not pictures.');
    expect(preview.rowCount).toBe(20);
    expect(preview.columns.map((c) => c.type)).toEqual(['number', 'category', 'category']);
    expect(details.options).toEqual(options);
  });

  it('stores a zip of pictures and gives the resized pictures back for training', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createImageDataset(database.db, user.id, darkAndLightZip(), {
      name: 'Shades',
      size: 28,
      color: 'rgb',
      split: { train: 60, validation: 20, test: 20 },
      seed: 4,
    });
    expect(created).toMatchObject({ format: 'images', inputShape: [28, 28, 3], classes: ['dark', 'light'], trainSize: 6, validationSize: 2, testSize: 2 });
    const loaded = await loadUserDataset(database.db, user.id, created.id);
    const { value: batch } = await loaded.batches('test', 10).next();
    expect(batch!.features).toHaveLength(2 * 28 * 28 * 3);
    for (let i = 0; i < batch!.size; i++) {
      const expected = loaded.classes[batch!.classIndices[i]!] === 'dark' ? 0 : 1;
      expect(batch!.features[i * 28 * 28 * 3 + 100]).toBeCloseTo(expected, 1);
    }
    expect((await getDataset(database.db, user.id, created.id)).preview).toMatchObject({ kind: 'images', channels: 3, imageCount: 10 });
  });

  it('refuses a zip with a file that is not a picture, storing nothing', async () => {
    const { user } = await createAnonymousSession(database.db);
    const bytes = zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/readme.txt': new Uint8Array([65]) });
    const settings = { name: 'Pets', size: 28 as const, color: 'grayscale' as const, split: { train: 50, validation: 0, test: 50 }, seed: 1 };
    await expect(createImageDataset(database.db, user.id, bytes, settings)).rejects.toThrow('"dogs/readme.txt" is not a picture Layerbook can read.');
    expect(await listDatasets(database.db, user.id)).toEqual([]);
  });

  it("keeps each student's datasets to themselves", async () => {
    const owner = (await createAnonymousSession(database.db)).user;
    const other = (await createAnonymousSession(database.db)).user;
    const { id } = await createCsvDataset(database.db, owner.id, csv, options);
    expect((await listDatasets(database.db, owner.id)).map((d) => d.id)).toEqual([id]);
    expect(await listDatasets(database.db, other.id)).toEqual([]);
    await expect(getDataset(database.db, other.id, id)).rejects.toThrow(DATASET_UNREADABLE_MESSAGE);
    await expect(loadUserDataset(database.db, other.id, id)).rejects.toThrow('belongs to someone else');
    await expect(deleteDataset(database.db, other.id, id)).rejects.toThrow('belongs to someone else');
    await deleteDataset(database.db, owner.id, id);
    expect(await listDatasets(database.db, owner.id)).toEqual([]);
  });

  it('stores nothing when the file has a problem, and says what it is', async () => {
    const { user } = await createAnonymousSession(database.db);
    const before = (await database.db.select({ id: datasets.id }).from(datasets)).length;
    await expect(createCsvDataset(database.db, user.id, bytes('size,label\n1,a\n2\n'), { ...options, features: [{ column: 'size', as: 'number' }] })).rejects.toThrow(
      'Row 3 has 1 value, but the header has 2 columns.',
    );
    expect((await database.db.select({ id: datasets.id }).from(datasets)).length).toBe(before);
    expect(() => previewCsvUpload(Uint8Array.from([0xff, 0xfe, 0x00, 0x41]))).toThrow(/not a text file/);
  });

  /** A split's examples as the trainer reads them: the first input number of each, and its class. */
  async function splitRows(userId: string, datasetId: string, split: 'train' | 'validation' | 'test', width: number) {
    const loaded = await loadUserDataset(database.db, userId, datasetId);
    const rows: { first: number; label: number }[] = [];
    for await (const batch of loaded.batches(split, 50)) for (let i = 0; i < batch.size; i++) rows.push({ first: batch.features[i * width]!, label: batch.classIndices[i]! });
    return rows;
  }
  /** 40 points whose x is their row number in the file, so a preview row tells which example it is. */
  const numbered = bytes('x,y,label\n' + Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${i % 2 ? 'odd' : 'even'}`).join('\n'));
  const numberedOptions: CsvImportOptions = { ...options, name: 'Numbered', features: [{ column: 'x', as: 'number' }, { column: 'y', as: 'number' }], normalization: 'standardize' };

  it('previews a CSV with its first train and validation rows only, never a test row', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createCsvDataset(database.db, user.id, numbered, numberedOptions);
    const details = await getDataset(database.db, user.id, created.id);
    const [mean, std] = [(details.encodings[0] as { mean: number }).mean, (details.encodings[0] as { std: number }).std];
    const testXs = (await splitRows(user.id, created.id, 'test', 2)).map((r) => Math.round(r.first * std + mean));
    expect(testXs).toHaveLength(8);
    const preview = details.preview as CsvPreview;
    const shownXs = preview.rows.map((row) => Number(row[0]));
    // The first 20 rows of the file that are not test rows, in file order.
    expect(shownXs).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((x) => !testXs.includes(x)).slice(0, 20));
    expect(preview).toMatchObject({ rowCount: 40, withoutTestRows: true });
  });

  it('takes the test rows out of a CSV preview stored before previews left them out, once, keeping the rest', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createCsvDataset(database.db, user.id, numbered, numberedOptions);
    const fresh = (await getDataset(database.db, user.id, created.id)).preview as CsvPreview;
    // What an older import stored: the file's first 20 rows, test rows among them.
    const fileRows = Array.from({ length: 20 }, (_, i) => [String(i), String((i * 7) % 11), i % 2 ? 'odd' : 'even']);
    const { withoutTestRows: _, ...legacy } = { ...fresh, rows: fileRows };
    await database.db.update(datasets).set({ preview: legacy }).where(eq(datasets.id, created.id));

    const details = await getDataset(database.db, user.id, created.id);
    const [mean, std] = [(details.encodings[0] as { mean: number }).mean, (details.encodings[0] as { std: number }).std];
    const testXs = (await splitRows(user.id, created.id, 'test', 2)).map((r) => Math.round(r.first * std + mean));
    const kept = (details.preview as CsvPreview).rows;
    expect(kept).toEqual(fileRows.filter((row) => !testXs.includes(Number(row[0]))));
    expect(kept.length).toBeLessThan(20);
    // Stored back, so the next read is the plain one.
    const [stored] = await database.db.select({ preview: datasets.preview }).from(datasets).where(eq(datasets.id, created.id));
    expect(stored!.preview).toMatchObject({ rows: kept, withoutTestRows: true, columns: fresh.columns, balance: fresh.balance });
  });

  /** Ten grey pictures, each its own level, so a preview picture tells which example it is. */
  const greys = () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 10; i++) files[`${i < 5 ? 'dark' : 'light'}/${i}.png`] = solidPng(8, 8, [i * 20, i * 20, i * 20, 255]);
    return zip(files);
  };
  const greyOptions = { name: 'Greys', size: 28 as const, color: 'grayscale' as const, split: { train: 60, validation: 20, test: 20 }, seed: 3 };
  const levels = async (userId: string, datasetId: string, split: 'train' | 'validation' | 'test') =>
    (await splitRows(userId, datasetId, split, 28 * 28)).map((r) => Math.round(r.first * 255));

  it('previews pictures from the train and validation splits only, and rebuilds an older preview that showed test pictures', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createImageDataset(database.db, user.id, greys(), greyOptions);
    const testLevels = await levels(user.id, created.id, 'test');
    const trainAndValidation = [...(await levels(user.id, created.id, 'train')), ...(await levels(user.id, created.id, 'validation'))];
    expect(testLevels).toHaveLength(2);
    const preview = (await getDataset(database.db, user.id, created.id)).preview as ImagePreview;
    const shown = preview.images.map((image) => image.pixels[0]!);
    expect(shown.sort()).toEqual([...trainAndValidation].sort());
    expect(preview).toMatchObject({ imageCount: 10, withoutTestRows: true });

    // An older preview showed all ten, test pictures too: read again, it shows the same eight as a new import.
    const all = Array.from({ length: 10 }, (_, i) => ({ pixels: new Array<number>(28 * 28).fill(i * 20), label: i < 5 ? 'dark' : 'light' }));
    const { withoutTestRows: _, ...legacy } = { ...preview, images: all };
    await database.db.update(datasets).set({ preview: legacy }).where(eq(datasets.id, created.id));
    const rebuilt = (await getDataset(database.db, user.id, created.id)).preview as ImagePreview;
    expect(rebuilt.images.map((image) => image.pixels[0]!).sort()).toEqual([...trainAndValidation].sort());
    expect(rebuilt.images.every((image) => (image.pixels[0]! < 100 ? 'dark' : 'light') === image.label)).toBe(true);
    expect(rebuilt).toMatchObject({ imageCount: 10, withoutTestRows: true, balance: preview.balance });
  });
});
