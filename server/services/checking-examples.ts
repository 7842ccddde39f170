import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { datasets } from '../../db/schema';
import { BUILT_IN_DATASETS, builtInSource, type DataSource } from '../../blocks/format/datasets';
import type { TrainingSpec } from '../../blocks/format/model-spec';
import { featureEncodingsSchema, type FeatureEncoding } from '../../blocks/format/table-inputs';
import { featureSize, type Split, type TrainingData } from '../data/dataset';
import { irisEncodings } from '../data/iris';
import { loadBuiltInDataset } from '../data/registry';
import { storedDataset } from '../data/stored';
import { asTrainedOn } from '../training/hold-out';
import { readDatasetChunk, storedDatasetRef } from './datasets';
import { ServiceError } from './errors';
import { getRun } from './run-store';

/** The most examples one request returns: enough to find a model's typical mistakes, few enough to predict at once in a browser. */
export const MAX_CHECKING_EXAMPLES = 200;
/** Pixels (bytes, 0..255) of all pictures of one answer together: 64×64 colour pictures stop at 81. */
export const MAX_CHECKING_PICTURE_BYTES = 1_000_000;

interface Common {
  /**
   * Which rows these are: the dataset's validation ("checking") rows, or, when it keeps none
   * of its own (MNIST's fixed split), training rows. Never the test split: it grades
   * assignments, and students never see its examples.
   */
  split: Extract<Split, 'validation' | 'train'>;
  /** How many rows that split has in all (the examples are spread evenly over it). */
  splitSize: number;
  classes: string[];
  inputShape: number[];
}

/**
 * Up to `limit` examples of a dataset that a student may see, with their true class, for
 * "Where your model goes wrong" (the browser asks the trained model about each). As compact
 * as a preview: a picture as its 0..255 levels in base64 (the model reads level / 255, as the
 * trainer does); a table row as its input numbers, with the encodings that read them back.
 */
export type CheckingExamples = Common &
  (
    | { kind: 'pictures'; pictures: { levels: string; classIndex: number }[] }
    | { kind: 'table'; encodings: FeatureEncoding[]; rows: { values: number[]; classIndex: number }[] }
  );

/**
 * The checking examples of one of the user's runs (getRun's access rule: its owner): exactly
 * the rows it was checked on, read from the data it trained on, not its cell's data as it is
 * now. A run from before the data was kept with it reads the built-in set its settings name,
 * if they name one.
 */
export async function runCheckingExamples(db: Database, userId: string, runId: string, limit = MAX_CHECKING_EXAMPLES): Promise<CheckingExamples> {
  const run = await getRun(db, userId, runId);
  const source = run.dataSource ?? (typeof run.training.dataset === 'string' ? builtInSource(run.training.dataset) : null);
  if (!source) {
    throw new ServiceError('NOT_FOUND', 'This run is older than the record of the data it trained on. Press Train again to see where a new model goes wrong.');
  }
  return checkingExamples(db, userId, source, limit, run.training);
}

/**
 * Up to `limit` checking examples of a source: a built-in set (the same for everyone) or an
 * uploaded dataset the user may read (the one rule of readableDatasetWhere, through
 * storedDatasetRef: anyone else is told it does not exist). With a run's settings, the rows
 * its validation split held out (drawn with its seed, through the trainer's own asTrainedOn);
 * otherwise the data's own validation rows (training rows for MNIST). Never a test row.
 */
export async function checkingExamples(
  db: Database,
  userId: string,
  source: DataSource,
  limit = MAX_CHECKING_EXAMPLES,
  training?: Pick<TrainingSpec, 'validationSplit' | 'seed'>,
): Promise<CheckingExamples> {
  const { data, encodings } = await readableData(db, userId, source);
  return fromDataset(training ? asTrainedOn(data, training) : data, encodings, limit);
}

/** A source's data as the trainer reads it, with the encodings that read a table row back. */
async function readableData(db: Database, userId: string, source: DataSource): Promise<{ data: TrainingData; encodings: FeatureEncoding[] }> {
  if (source.kind === 'builtIn') {
    const info = BUILT_IN_DATASETS[source.id];
    const encodings = info.preview === 'table' ? irisEncodings() : numberColumns(info.preview === 'scatter' ? ['x', 'y'] : []);
    return { data: loadBuiltInDataset(source.id, source.options), encodings };
  }
  const ref = await storedDatasetRef(db, userId, source.datasetId);
  const [stored] = await db.select({ encodings: datasets.encodings }).from(datasets).where(eq(datasets.id, ref.datasetId)).limit(1);
  const parsed = featureEncodingsSchema.safeParse(stored?.encodings ?? []);
  const size = featureSize(ref.inputShape);
  // A table stored without its encodings (none were kept then) still reads as numbered inputs.
  const encodings = parsed.success && parsed.data.length === size ? parsed.data : numberColumns(Array.from({ length: size }, (_, i) => `input ${i + 1}`));
  return { data: storedDataset(ref, (datasetId, startRow) => readDatasetChunk(db, datasetId, startRow)), encodings };
}

const numberColumns = (names: readonly string[]): FeatureEncoding[] => names.map((column) => ({ column, as: 'number', mean: 0, std: 1 }));

/** `limit` rows spread evenly over the validation split (else the training split), read a batch at a time. */
async function fromDataset(data: TrainingData, encodings: FeatureEncoding[], limit: number): Promise<CheckingExamples> {
  const split = data.validationSize > 0 ? 'validation' : 'train';
  const splitSize = split === 'validation' ? data.validationSize : data.trainSize;
  const size = featureSize(data.inputShape);
  const pictures = data.inputShape.length === 3;
  const count = Math.min(limit, splitSize, pictures ? Math.floor(MAX_CHECKING_PICTURE_BYTES / size) : Infinity);
  // A split's batches take an order over all its rows: the wanted ones first, and the reading stops after them.
  const wanted = Array.from({ length: count }, (_, i) => Math.floor((i * splitSize) / count));
  const isWanted = new Set(wanted);
  const order = Uint32Array.from([...wanted, ...Array.from({ length: splitSize }, (_, row) => row).filter((row) => !isWanted.has(row))]);
  const common: Common = { split, splitSize, classes: [...data.classes], inputShape: [...data.inputShape] };
  const features: Float32Array[] = [];
  const classIndices: number[] = [];
  for await (const batch of data.batches(split, 100, order)) {
    for (let i = 0; i < batch.size && classIndices.length < count; i++) {
      features.push(batch.features.slice(i * size, (i + 1) * size));
      classIndices.push(batch.classIndices[i]!);
    }
    if (classIndices.length === count) break;
  }
  if (pictures) {
    const levels = (values: Float32Array) => Buffer.from(Uint8Array.from(values, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))).toString('base64');
    return { ...common, kind: 'pictures', pictures: features.map((values, i) => ({ levels: levels(values), classIndex: classIndices[i]! })) };
  }
  // Float32 numbers to 7 digits: all they hold, without the long tails a double prints.
  const rows = features.map((values, i) => ({ values: Array.from(values, (v) => Number(v.toPrecision(7))), classIndex: classIndices[i]! }));
  return { ...common, kind: 'table', encodings, rows };
}
