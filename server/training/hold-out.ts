import { checkingRows } from '../../blocks/catalog/training';
import type { TrainingSpec } from '../../blocks/format/model-spec';
import { featureSize, type Batch, type Split, type StreamedDataset, type TrainingData } from '../data/dataset';
import { seededRandom, shuffledOrder } from '../data/random';

/** Keeps the hold-out's random draws apart from the weights' and the epochs' shuffles. */
const HOLD_OUT_SALT = 0x0da7a5e7;

/**
 * The data as a run with these settings trains on it: when the run checks on a share of the
 * training rows (checkingRows' 'split'), those rows held out as its validation split. One
 * rule for the trainer and for "Where your model goes wrong" (server/services/checking-examples.ts),
 * which shows exactly the rows a run was checked on.
 */
export function asTrainedOn(data: TrainingData, training: Pick<TrainingSpec, 'validationSplit' | 'seed'>): TrainingData {
  return checkingRows(training.validationSplit, data.validationSize > 0) === 'split' ? holdOutValidation(data, training.validationSplit!, training.seed) : data;
}

/**
 * The training rows with the last `share` of them held back as validation rows, as Keras's
 * validationSplit does; the result trains on the rest and is checked on those. The rows are
 * shuffled with `seed` first (an MNIST file lists its digits in an order of its own), so the
 * held-back rows are a fair sample, and the same seed holds back the same rows. A streamed
 * dataset is already stored in a seeded random order, and its last rows are taken as they are,
 * so reading them stays chunk by chunk. Less than one row to hold back: the data as it is.
 */
export function holdOutValidation(data: TrainingData, share: number, seed: number): TrainingData {
  const total = data.trainSize;
  const held = Math.min(total - 1, Math.floor(total * share));
  if (held < 1) return data;
  const kept = total - held;
  const streamed = 'epochOrder' in data;
  const order = streamed ? Uint32Array.from({ length: total }, (_, i) => i) : shuffledOrder(total, seededRandom(seed ^ HOLD_OUT_SALT));
  const trainRows = order.subarray(0, kept);
  const validationRows = order.subarray(kept);
  const size = featureSize(data.inputShape);
  const classCount = data.classes.length;

  /**
   * The first `count` rows of `rows` (after `first`), read through the underlying train split.
   * Its batches need an order over every train row, so the rows wanted come first and the
   * reading stops once they are through (the batch at the boundary is cut short).
   */
  async function* read(rows: Uint32Array, rest: Uint32Array, batchSize: number): AsyncGenerator<Batch> {
    const full = new Uint32Array(total);
    full.set(rows, 0);
    full.set(rest, rows.length);
    let left = rows.length;
    for await (const batch of data.batches('train', batchSize, full)) {
      yield batch.size <= left ? batch : cut(batch, left, size, classCount);
      left -= batch.size;
      if (left <= 0) break;
    }
  }

  const heldOut: StreamedDataset = {
    id: data.id,
    name: data.name,
    inputShape: [...data.inputShape],
    labelKind: data.labelKind,
    classes: [...data.classes],
    classNoun: data.classNoun,
    exampleName: data.exampleName,
    trainSize: kept,
    validationSize: held,
    testSize: data.testSize,
    async *batches(split: Split, batchSize: number, splitOrder?: Uint32Array) {
      if (split === 'test') {
        yield* data.batches('test', batchSize, splitOrder);
        return;
      }
      const [rows, others] = split === 'train' ? [trainRows, validationRows] : [validationRows, trainRows];
      if (splitOrder && splitOrder.length !== rows.length) throw new Error(`The order has ${splitOrder.length} rows but the ${split} split has ${rows.length}.`);
      yield* read(splitOrder ? splitOrder.map((i) => rows[i]!) : rows, others, batchSize);
    },
    epochOrder(random) {
      if (!streamed) return shuffledOrder(kept, random);
      // The stored set's own chunk-friendly order, without the held-back rows (the last ones).
      return data.epochOrder(random).filter((row) => row < kept);
    },
  };
  return heldOut;
}

function cut(batch: Batch, rows: number, size: number, classCount: number): Batch {
  return {
    features: batch.features.subarray(0, rows * size),
    labels: batch.labels.subarray(0, rows * classCount),
    classIndices: batch.classIndices.subarray(0, rows),
    size: rows,
  };
}
