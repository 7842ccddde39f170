import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { CsvImportOptions } from '../data/csv-import';
import { darkAndLightZip, solidPng, zip } from '../../testing/pictures';
import { createCsvDataset, createImageDataset, deleteDataset, getDataset, listDatasets, previewCsvUpload } from './datasets';
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
    await expect(getDataset(database.db, other.id, id)).rejects.toThrow('This dataset does not exist, or it belongs to someone else.');
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
});
