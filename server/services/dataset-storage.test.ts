import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { DEFAULT_TRAINING } from '../../blocks/format/model-spec';
import { modelWorkspace } from '../../blocks/templates';
import { datasetChunks, datasets } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import type { Batch, ExampleTable, Split } from '../data/dataset';
import { seededRandom } from '../data/random';
import { storedDataset, type ReadChunk } from '../data/stored';
import { selectBackend, type Tf } from '../training/backend';
import { buildModel } from '../training/build-model';
import { train } from '../training/trainer';
import { DATASET_GONE_MESSAGE, deleteDataset, insertDataset, readDatasetChunk, storedDatasetRef } from './datasets';
import { loadUserDataset } from '../../testing/stored-dataset';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

/** 4×4 grey pictures using every level 0..255 somewhere; label = row % 2. */
function pictures(first: number, count: number) {
  const table = { pixels: new Uint8Array(count * 16), classIndices: new Int32Array(count), count };
  for (let r = 0; r < count; r++) {
    for (let p = 0; p < 16; p++) table.pixels[r * 16 + p] = ((first + r) * 16 + p) % 256;
    table.classIndices[r] = (first + r) % 2;
  }
  return table;
}

/** 2-D points whose class is whether x > y: easy to learn, so training results are meaningful. */
function points(seed: number, count: number): ExampleTable {
  const random = seededRandom(seed);
  const features = new Float32Array(count * 2);
  const classIndices = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const [x, y] = [random() * 2 - 1, random() * 2 - 1];
    features.set([x, y], i * 2);
    classIndices[i] = x > y ? 1 : 0;
  }
  return { features, classIndices, count };
}

async function allRows(batches: AsyncGenerator<Batch>, size: number): Promise<number[][]> {
  const rows: number[][] = [];
  for await (const batch of batches) {
    for (let i = 0; i < batch.size; i++) rows.push([...batch.features.subarray(i * size, (i + 1) * size), batch.classIndices[i]!]);
  }
  return rows;
}

const byValues = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

let tf: Tf;
beforeAll(async () => {
  // Tiny models on 2-D points: the plain backend is plenty, and the same on every machine.
  ({ tf } = await selectBackend('cpu'));
});

describe.each(kinds)('dataset storage in chunks on $kind', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  async function store(userId: string, splits: Record<Split, ExampleTable | ReturnType<typeof pictures>>, inputShape: number[], chunkBytes: number) {
    return insertDataset(
      database.db,
      userId,
      { name: 'Stored', format: 'pixels' in splits.train ? 'idx' : 'csv', inputShape, classes: ['no', 'yes'], encodings: [], options: { seed: 3 }, preview: {}, splits },
      chunkBytes,
    );
  }

  it('keeps pictures as 8-bit chunks of bounded size and gives every pixel back as exactly k / 255', async () => {
    const { user } = await createAnonymousSession(database.db);
    const splits = { train: pictures(0, 30), validation: pictures(30, 6), test: pictures(36, 10) };
    // 64 bytes hold 4 pictures of 16 pixels.
    const created = await store(user.id, splits, [4, 4, 1], 64);
    const [row] = await database.db.select({ encoding: datasets.featureEncoding }).from(datasets).where(eq(datasets.id, created.id));
    expect(row?.encoding).toBe('uint8');
    const chunks = await database.db.select().from(datasetChunks).where(eq(datasetChunks.datasetId, created.id)).orderBy(datasetChunks.startRow);
    // train 8 chunks (7 of 4, 1 of 2), validation 2, test 3; none spans two splits.
    expect(chunks.map((c) => c.rowCount)).toEqual([4, 4, 4, 4, 4, 4, 4, 2, 4, 2, 4, 4, 2]);
    for (const chunk of chunks) expect(chunk.features.byteLength).toBe(chunk.rowCount * 16);

    const loaded = await loadUserDataset(database.db, user.id, created.id);
    for (const [split, from, count] of [['train', 0, 30], ['validation', 30, 6], ['test', 36, 10]] as const) {
      const expected = Array.from({ length: count }, (_, r) => [
        ...Array.from({ length: 16 }, (_, p) => Math.fround((((from + r) * 16 + p) % 256) / 255)),
        (from + r) % 2,
      ]);
      expect((await allRows(loaded.batches(split, 7), 16)).sort(byValues)).toEqual(expected.sort(byValues));
    }
  });

  it('keeps tables as float32 and gives back the very same numbers', async () => {
    const { user } = await createAnonymousSession(database.db);
    const splits = { train: points(1, 50), validation: points(2, 10), test: points(3, 10) };
    const created = await store(user.id, splits, [2], 80);
    const [row] = await database.db.select({ encoding: datasets.featureEncoding }).from(datasets).where(eq(datasets.id, created.id));
    expect(row?.encoding).toBe('float32');
    const loaded = await loadUserDataset(database.db, user.id, created.id);
    const expected = Array.from({ length: 10 }, (_, i) => [...splits.test.features.subarray(i * 2, i * 2 + 2), splits.test.classIndices[i]!]);
    expect((await allRows(loaded.batches('test', 3), 2)).sort(byValues)).toEqual(expected.sort(byValues));
  });

  it('reads chunks from the database only as batches need them', async () => {
    const { user } = await createAnonymousSession(database.db);
    // 200 train points, 10 to a chunk: 20 train chunks, a window of 4 read at a time.
    const created = await store(user.id, { train: points(4, 200), validation: points(5, 20), test: points(6, 20) }, [2], 80);
    const ref = await storedDatasetRef(database.db, user.id, created.id);
    expect(ref).toMatchObject({ kind: 'stored', encoding: 'float32', sizes: { train: 200, validation: 20, test: 20 } });
    expect(ref.chunkRows).toHaveLength(24);
    const reads: number[] = [];
    const readChunk: ReadChunk = (id, startRow) => {
      reads.push(startRow);
      return readDatasetChunk(database.db, id, startRow);
    };
    const data = storedDataset(ref, readChunk, { windowChunks: 4 });
    expect(reads).toEqual([]);
    await data.batches('validation', 5).next();
    expect(reads).toEqual([200]);

    reads.length = 0;
    await allRows(data.batches('train', 32, data.epochOrder(seededRandom(1))), 2);
    // Each train chunk once per epoch, and only train chunks.
    expect([...reads].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
  });

  it('trains the same on a dataset cut into a few chunks as on one, and repeats exactly when cut into many', async () => {
    const { user } = await createAnonymousSession(database.db);
    const splits = () => ({ train: points(7, 160), validation: points(8, 40), test: points(9, 40) });
    // Train split: 1 chunk; 4 chunks (one shuffle window: the same global shuffle); 16 chunks (four windows).
    const ids = {
      one: (await store(user.id, splits(), [2], 1_000_000)).id,
      four: (await store(user.id, splits(), [2], 40 * 8)).id,
      sixteen: (await store(user.id, splits(), [2], 10 * 8)).id,
    };
    const { spec } = specFromWorkspace(
      modelWorkspace('points', 'Points', [
        { key: 'input', args: { shape: [2] } },
        { key: 'dense', args: { units: 8, activation: 'relu' } },
        { key: 'dense', args: { units: 2, activation: 'softmax' } },
      ]),
    );
    const trainOn = async (id: string) => {
      const dataset = await storedDatasetRef(database.db, user.id, id);
      const result = await train(
        { runId: id, spec: spec!, training: { ...DEFAULT_TRAINING, dataset: { cell: 'data' }, epochs: 3, batchSize: 16, learningRate: 0.05, seed: 5 }, dataset },
        {
          tf,
          build: buildModel,
          onEvent: () => {},
          signal: new AbortController().signal,
          readChunk: (datasetId, startRow) => readDatasetChunk(database.db, datasetId, startRow),
        },
      );
      return { losses: result.epochs.map((e) => e.loss), testAccuracy: result.testAccuracy };
    };
    const one = await trainOn(ids.one);
    expect(one.testAccuracy).toBeGreaterThan(0.85);
    expect(await trainOn(ids.four)).toEqual(one);
    // Beyond one window the epochs visit rows in another order: another result, as good and as repeatable.
    const sixteen = await trainOn(ids.sixteen);
    expect(sixteen.losses).not.toEqual(one.losses);
    expect(sixteen.testAccuracy).toBeGreaterThan(0.85);
    expect(await trainOn(ids.sixteen)).toEqual(sixteen);
  });

  it('stores nothing at all when storing fails part way through the chunks', async () => {
    const { user } = await createAnonymousSession(database.db);
    const broken = pictures(0, 40);
    let reads = 0;
    // Labels that give out after the first chunks were written, as a failing importer would.
    broken.classIndices = new Proxy(broken.classIndices, {
      get(target, key) {
        if (typeof key === 'string' && /^\d+$/.test(key) && ++reads > 20) throw new Error('the labels ran out');
        return Reflect.get(target, key);
      },
    });
    await expect(store(user.id, { train: broken, validation: pictures(40, 4), test: pictures(44, 4) }, [4, 4, 1], 64)).rejects.toThrow('the labels ran out');
    expect(await database.db.select().from(datasets).where(eq(datasets.ownerId, user.id))).toEqual([]);
    // Chunks without their dataset row would be the half-stored leftovers.
    const orphans = await database.query<{ n: number }>(
      sql`select count(*)::int as n from dataset_chunks c where not exists (select 1 from datasets d where d.id = c.dataset_id)`,
    );
    expect(Number(orphans[0]!.n)).toBe(0);
  });

  it('says a deleted dataset is gone, and a dataset with a missing chunk is damaged', async () => {
    const { user } = await createAnonymousSession(database.db);
    const created = await store(user.id, { train: points(10, 40), validation: points(11, 5), test: points(12, 5) }, [2], 80);
    const ref = await storedDatasetRef(database.db, user.id, created.id);
    await database.db.delete(datasetChunks).where(and(eq(datasetChunks.datasetId, created.id), eq(datasetChunks.startRow, 10)));
    await expect(storedDatasetRef(database.db, user.id, created.id)).rejects.toThrow('The stored dataset "Stored" is damaged: some of its examples are missing. Upload it again.');
    await deleteDataset(database.db, user.id, ref.datasetId);
    await expect(readDatasetChunk(database.db, ref.datasetId, 0)).rejects.toThrow(DATASET_GONE_MESSAGE);
  });
});
