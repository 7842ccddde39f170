import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTableRow } from '../../blocks/format/table-inputs';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { solidPng, zip } from '../../testing/pictures';
import { loadUserDataset } from '../../testing/stored-dataset';
import type { Split } from '../data/dataset';
import { loadMnist } from '../data/mnist-digits';
import { loadBuiltInDataset } from '../data/registry';
import { checkingExamples, MAX_CHECKING_EXAMPLES, type CheckingExamples } from './checking-examples';
import { createCsvDataset, createImageDataset } from './datasets';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];
const csv = new TextEncoder().encode('size,colour,label\n' + Array.from({ length: 20 }, (_, i) => `${i},${i % 3 ? 'red' : 'green'},${i % 2 ? 'yes' : 'no'}`).join('\n'));
const csvOptions = {
  name: 'Tiny',
  label: 'label',
  features: [
    { column: 'size', as: 'number' as const },
    { column: 'colour', as: 'category' as const },
  ],
  normalization: 'standardize' as const,
  split: { train: 60, validation: 20, test: 20 },
  seed: 7,
};
/** Ten pictures, each of its own grey (0, 20, …, 180), so a picture tells which row it is. */
const greys = () => {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 10; i++) files[`${i < 5 ? 'dark' : 'light'}/${i}.png`] = solidPng(8, 8, [i * 20, i * 20, i * 20, 255]);
  return zip(files);
};
const firstLevel = (levels: string) => Buffer.from(levels, 'base64')[0]!;

function asTable(examples: CheckingExamples) {
  if (examples.kind !== 'table') throw new Error('expected table rows');
  return examples;
}
function asPictures(examples: CheckingExamples) {
  if (examples.kind !== 'pictures') throw new Error('expected pictures');
  return examples;
}

describe.each(kinds)('checking examples on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function splitRows(userId: string, datasetId: string, split: Split): Promise<{ values: number[]; classIndex: number }[]> {
    const loaded = await loadUserDataset(database.db, userId, datasetId);
    const size = loaded.inputShape.reduce((a, b) => a * b, 1);
    const rows: { values: number[]; classIndex: number }[] = [];
    for await (const batch of loaded.batches(split, 50)) {
      for (let i = 0; i < batch.size; i++) rows.push({ values: Array.from(batch.features.subarray(i * size, (i + 1) * size)), classIndex: batch.classIndices[i]! });
    }
    return rows;
  }

  it("gives a CSV upload's validation rows with their classes and readable values, and never a test row", async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createCsvDataset(database.db, user.id, csv, csvOptions);
    const source = { kind: 'upload' as const, datasetId: created.id, name: 'Tiny', inputShape: [3], classes: ['no', 'yes'] };
    const examples = asTable(await checkingExamples(database.db, user.id, source));
    expect(examples).toMatchObject({ split: 'validation', splitSize: 4, classes: ['no', 'yes'], inputShape: [3] });

    const validation = await splitRows(user.id, created.id, 'validation');
    const test = await splitRows(user.id, created.id, 'test');
    const key = (row: { values: number[]; classIndex: number }) => `${row.values.map((v) => v.toFixed(4)).join()}|${row.classIndex}`;
    expect(examples.rows.map(key).sort()).toEqual(validation.map(key).sort());
    for (const row of examples.rows) expect(test.map(key)).not.toContain(key(row));

    // Read back, each row is a row of the file with its own label (odd sizes are "yes").
    for (const row of examples.rows) {
      const [size, colour] = readTableRow(examples.encodings, row.values);
      const number = Number(size!.value);
      expect(Number.isInteger(number)).toBe(true);
      expect(colour!.value).toBe(number % 3 ? 'red' : 'green');
      expect(examples.classes[row.classIndex]).toBe(number % 2 ? 'yes' : 'no');
    }
  });

  it('gives pictures as 0..255 levels from the validation split only, at most as many as asked', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await createImageDataset(database.db, user.id, greys(), { name: 'Greys', size: 28, color: 'grayscale', split: { train: 60, validation: 20, test: 20 }, seed: 3 });
    const source = { kind: 'upload' as const, datasetId: created.id, name: 'Greys', inputShape: [28, 28, 1], classes: ['dark', 'light'] };
    const examples = asPictures(await checkingExamples(database.db, user.id, source));
    expect(examples).toMatchObject({ split: 'validation', splitSize: 2, inputShape: [28, 28, 1] });
    expect(examples.pictures).toHaveLength(2);
    const levelsOf = async (split: Split) => (await splitRows(user.id, created.id, split)).map((r) => Math.round(r.values[0]! * 255));
    const testLevels = await levelsOf('test');
    expect(examples.pictures.map((p) => firstLevel(p.levels)).sort()).toEqual((await levelsOf('validation')).sort());
    for (const picture of examples.pictures) {
      expect(Buffer.from(picture.levels, 'base64')).toHaveLength(28 * 28);
      expect(testLevels).not.toContain(firstLevel(picture.levels));
      // dark holds the greys 0..80, light 100..180.
      expect(examples.classes[picture.classIndex]).toBe(firstLevel(picture.levels) < 90 ? 'dark' : 'light');
    }
    expect(asPictures(await checkingExamples(database.db, user.id, source, 1)).pictures).toHaveLength(1);
  });

  it("answers another user as if the upload did not exist", async () => {
    const { user: owner } = await createAnonymousSession(database.db);
    const { user: stranger } = await createAnonymousSession(database.db);
    const created = await createCsvDataset(database.db, owner.id, csv, csvOptions);
    const source = { kind: 'upload' as const, datasetId: created.id, name: 'Tiny', inputShape: [3], classes: ['no', 'yes'] };
    await expect(checkingExamples(database.db, stranger.id, source)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("gives iris's validation flowers, never a test flower", async () => {
    const examples = asTable(await checkingExamples(database.db, 'nobody', { kind: 'builtIn', id: 'iris' }));
    const iris = loadBuiltInDataset('iris');
    expect(examples).toMatchObject({ split: 'validation', splitSize: iris.validationSize, classes: ['setosa', 'versicolor', 'virginica'] });
    const rowsOf = (split: Split) => [...iris.batches(split, 200)].flatMap((b) => Array.from({ length: b.size }, (_, i) => Array.from(b.features.subarray(i * 4, i * 4 + 4), (v) => v.toFixed(4)).join()));
    const key = (values: number[]) => values.map((v) => v.toFixed(4)).join();
    expect(examples.rows.map((r) => key(r.values)).sort()).toEqual(rowsOf('validation').sort());
    for (const row of examples.rows) expect(rowsOf('test')).not.toContain(key(row.values));
    // Read back in centimetres, as the file has them.
    expect(readTableRow(examples.encodings, examples.rows[0]!.values).map((c) => c.column)).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
  });
});

describe('checking examples of MNIST', () => {
  it('are training pictures (MNIST keeps no validation rows), spread over the digits, and never a test picture', async () => {
    const examples = asPictures(await checkingExamples(null as never, 'nobody', { kind: 'builtIn', id: 'mnist' }));
    const mnist = loadMnist();
    expect(examples).toMatchObject({ split: 'train', splitSize: mnist.train.count, inputShape: [28, 28, 1] });
    expect(examples.pictures).toHaveLength(MAX_CHECKING_EXAMPLES);
    expect(new Set(examples.pictures.map((p) => p.classIndex)).size).toBe(10);
    const levels = (set: typeof mnist.test, row: number) => Buffer.from(Uint8Array.from(set.images.subarray(row * 784, (row + 1) * 784), (v) => Math.round(v * 255))).toString('base64');
    const test = new Set(Array.from({ length: mnist.test.count }, (_, row) => levels(mnist.test, row)));
    const train = new Set(Array.from({ length: mnist.train.count }, (_, row) => levels(mnist.train, row)));
    for (const picture of examples.pictures) {
      expect(test.has(picture.levels)).toBe(false);
      expect(train.has(picture.levels)).toBe(true);
    }
  });
});
