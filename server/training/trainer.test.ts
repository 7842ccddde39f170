import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { DEFAULT_TRAINING, type TrainingSpec } from '../../blocks/format/model-spec';
import { selectBackend, type Tf } from './backend';
import { mnistDataset } from '../data/mnist';
import type { Dataset } from '../data/dataset';
import { evenSample, loadMnist, type Mnist } from '../data/mnist-digits';
import type { StoredDatasetRef } from '../data/job-dataset';
import type { RunEvent, SavedWeights } from './protocol';
import { builtInJob } from '../../testing/train-job';
import { EarlyStop, TrainingCancelled, TrainingInputError, train, type BuildModel, type TrainResult } from './trainer';
import { encodeChunks } from '../data/stored';
import type { ModelSpec } from '../../blocks/format/model-spec';
import { buildModel } from './build-model';
import { referenceCnnSpec, referenceMlpSpec } from './reference-models';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { modelWorkspace } from '../../blocks/templates';
import { loadBuiltInDataset } from '../data/registry';

const MLP_SPEC = referenceMlpSpec();
const CNN_SPEC = referenceCnnSpec();

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await selectBackend('auto'));
});

function job(spec: ModelSpec, training: Partial<TrainingSpec>) {
  return builtInJob('run-1', spec, { ...DEFAULT_TRAINING, ...training });
}

/** A tenth of MNIST, spread over all digits: enough to exercise the loop in well under a second. */
function smallMnistSplits(): Mnist {
  const full = loadMnist();
  return { train: evenSample(full.train, 800), test: evenSample(full.test, 200) };
}
function smallMnist(): Dataset {
  return mnistDataset(smallMnistSplits());
}

async function run(spec: ModelSpec, training: Partial<TrainingSpec>, extra: { data?: Dataset; signal?: AbortSignal; build?: BuildModel } = {}) {
  const events: RunEvent[] = [];
  const result = await train(job(spec, training), {
    tf,
    build: extra.build ?? buildModel,
    onEvent: (e) => events.push(e),
    signal: extra.signal ?? new AbortController().signal,
    data: extra.data,
  });
  return { result, events };
}

describe('train', () => {
  it('an MLP reaches more than 90% test accuracy in one epoch, reporting batches, the epoch and done in order', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const started = performance.now();
    const { result, events } = await run(MLP_SPEC, { epochs: 1, batchSize: 32, learningRate: 0.002 });
    const seconds = (performance.now() - started) / 1000;

    expect(result.testAccuracy).toBeGreaterThan(0.9);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    const types = events.map((e) => e.type);
    expect(types.at(-1)).toBe('done');
    expect(types.at(-2)).toBe('epoch');
    expect(types.slice(0, -2).every((t) => t === 'batch')).toBe(true);
    const batchEvents = events.filter((e): e is Extract<RunEvent, { type: 'batch' }> => e.type === 'batch');
    // Throttled to at most ~10 a second (plus the epoch's last batch), not one per batch (250 here).
    expect(batchEvents.length).toBeLessThanOrEqual(seconds * 10 + 2);
    expect(batchEvents.length).toBeGreaterThan(1);
    const last = batchEvents.at(-1)!;
    expect(last).toMatchObject({ epoch: 1, epochs: 1, batch: 250, batchesPerEpoch: 250, progress: 1 });
    for (let i = 1; i < batchEvents.length; i++) expect(batchEvents[i]!.progress).toBeGreaterThan(batchEvents[i - 1]!.progress);
    expect(batchEvents[0]!.samplesPerSec).toBeGreaterThan(0);
    expect(batchEvents[0]!.etaSeconds).toBeGreaterThan(last.etaSeconds!);

    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.testAccuracy).toBe(result.testAccuracy);
    expect(result.epochs).toHaveLength(1);
    expect(result.epochs[0]!.valAccuracy).toBe(result.testAccuracy);
  });

  it('a small CNN reaches at least 95% test accuracy in four epochs', async () => {
    const { result } = await run(CNN_SPEC, { epochs: 4, batchSize: 32, learningRate: 0.003 });
    expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('saves weights that TF.js loads back into a model giving the same predictions', async () => {
    const data = smallMnistSplits();
    const { result } = await run(MLP_SPEC, { epochs: 1 }, { data: mnistDataset(data) });
    const { modelTopology, weightSpecs, weightData } = result.weights;
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelTopology as tfType.io.ModelArtifacts['modelTopology'],
        weightSpecs: weightSpecs as tfType.io.WeightsManifestEntry[],
        weightData: weightData.slice().buffer,
      }),
    );
    const predicted = tf.tidy(() => {
      const xs = tf.tensor(data.test.images, [data.test.count, 28, 28, 1]);
      return Array.from((loaded.predict(xs) as tfType.Tensor).argMax(-1).dataSync());
    });
    loaded.dispose();
    const accuracy = predicted.filter((digit, i) => digit === data.test.digits[i]).length / data.test.count;
    expect(accuracy).toBeCloseTo(result.testAccuracy, 5);
  });

  it('repeats exactly with the same seed and differs with another', async () => {
    const data = smallMnist();
    const losses = async (seed: number) => (await run(CNN_SPEC, { epochs: 1, seed }, { data })).result.epochs[0]!.loss;
    const first = await losses(7);
    expect(await losses(7)).toBe(first);
    expect(await losses(8)).not.toBe(first);
  });

  it('stops within a batch or two of being cancelled, frees its tensors and reports no result', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const controller = new AbortController();
    let batchesAfterCancel = -1;
    const events: RunEvent[] = [];
    const training = train(job(CNN_SPEC, { epochs: 3, batchSize: 8 }), {
      tf,
      build: buildModel,
      signal: controller.signal,
      batchEventIntervalMs: 0,
      onEvent: (e) => {
        events.push(e);
        if (e.type !== 'batch') return;
        if (batchesAfterCancel >= 0) batchesAfterCancel++;
        if (e.batch === 3) {
          controller.abort();
          batchesAfterCancel = 0;
        }
      },
    });
    await expect(training).rejects.toBeInstanceOf(TrainingCancelled);
    expect(batchesAfterCancel).toBeLessThanOrEqual(1);
    expect(events.some((e) => e.type === 'done' || e.type === 'epoch')).toBe(false);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('explains, for a student, an Input shape that does not fit MNIST', async () => {
    const wrongInput: BuildModel = (t) =>
      buildModel(t, { ...MLP_SPEC, layers: MLP_SPEC.layers.map((l) => (l.type === 'input' ? { ...l, args: { shape: [10, 10, 1] } } : l)) });
    await expect(run(MLP_SPEC, {}, { build: wrongInput, data: smallMnist() })).rejects.toThrow(
      new TrainingInputError(
        "The Input block's shape is [10, 10, 1], but an MNIST digit is 28×28 pixels (784 numbers). " +
          'Set the Input shape to 28,28,1 (for Conv2D layers) or 784 (for Dense layers only).',
      ),
    );
  });

  it('explains a last layer that does not give one number per digit', async () => {
    const fiveOutputs = { ...MLP_SPEC, layers: MLP_SPEC.layers.map((l, i, all) => (i === all.length - 1 ? { ...l, args: { ...l.args, units: 5 } } : l)) };
    await expect(run(fiveOutputs, {}, { data: smallMnist() })).rejects.toThrow(/MNIST has 10 digits.*Dense layer with 10 units/);
  });

  it('refuses, before training, a dilated Conv2D that TF.js cannot train', async () => {
    const dilated = { ...CNN_SPEC, layers: CNN_SPEC.layers.map((l) => (l.type === 'conv2d' ? { ...l, args: { ...l.args, dilationRate: 2 } } : l)) };
    await expect(run(dilated, {}, { data: smallMnist() })).rejects.toThrow(
      'TF.js cannot train a Conv2D layer with a dilation rate above 1 yet. Set "dilation rate" back to 1 on that block (under more options).',
    );
  });

  it('tells the student to lower the learning rate when the loss blows up', async () => {
    await expect(run(MLP_SPEC, { optimizer: 'sgd', learningRate: 10, loss: 'meanSquaredError' }, { data: smallMnist(), build: unstable })).rejects.toThrow(
      /smaller learning rate/,
    );
  });

  it('trains with sparse labels and SGD with momentum', async () => {
    const { result } = await run(MLP_SPEC, { loss: 'sparseCategoricalCrossentropy', optimizer: 'momentum', learningRate: 0.05, epochs: 2 }, { data: smallMnist() });
    expect(result.testAccuracy).toBeGreaterThan(0.7);
    // MNIST is watched on its test split each epoch; the matrix counts that split once more at the end.
    expectMatrixOfTestSplit(result, 200, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});

/**
 * The run's confusion matrix counts every test example once, under the dataset's class names,
 * and its diagonal (the right answers) is the test accuracy.
 */
function expectMatrixOfTestSplit(result: TrainResult, testSize: number, classNames: string[]): void {
  const matrix = result.confusionMatrix!;
  expect(matrix.classes).toEqual(classNames);
  const rowTotals = matrix.counts.map((row) => row.reduce((a, b) => a + b, 0));
  expect(rowTotals.reduce((a, b) => a + b, 0)).toBe(testSize);
  const right = matrix.counts.reduce((sum, row, i) => sum + row[i]!, 0);
  expect(right / testSize).toBeCloseTo(result.testAccuracy, 5);
}

/** A small Dense network for the flat datasets: Input → Dense 16 relu → Dense `classes` softmax. */
function denseSpec(inputs: number, classes: number): ModelSpec {
  const { spec } = specFromWorkspace(
    modelWorkspace('flat', 'Flat', [
      { key: 'input', args: { shape: [inputs] } },
      { key: 'dense', args: { units: 16, activation: 'relu' } },
      { key: 'dense', args: { units: classes, activation: 'softmax' } },
    ]),
  );
  return spec!;
}

describe('train on other datasets', () => {
  it('learns the iris species to at least 90% test accuracy in a few seconds, checking validation per epoch', async () => {
    const started = performance.now();
    const { result } = await run(denseSpec(4, 3), { dataset: 'iris', epochs: 30, batchSize: 8, learningRate: 0.01 });
    expect((performance.now() - started) / 1000).toBeLessThan(20);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.9);
    // Each epoch is checked on the 21 validation flowers, the result on the 24 test flowers.
    const isShareOf = (accuracy: number, count: number) => Math.abs(accuracy * count - Math.round(accuracy * count)) < 1e-4;
    expect(result.epochs.every((e) => isShareOf(e.valAccuracy!, 21))).toBe(true);
    expect(isShareOf(result.testAccuracy, 24)).toBe(true);
    expectMatrixOfTestSplit(result, 24, ['setosa', 'versicolor', 'virginica']);
  });

  it('separates the circle set, which no straight line can, to at least 90%', async () => {
    const { result } = await run(denseSpec(2, 2), { dataset: 'circle', epochs: 20, batchSize: 16, learningRate: 0.03 });
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('trains on the settings a data cell chose, sent with the job', async () => {
    const events: RunEvent[] = [];
    const spiral = { kind: 'builtIn' as const, id: 'spiral' as const, options: { size: 120, noise: 0, seed: 4 } };
    const result = await train(
      { runId: 'run-2', spec: denseSpec(2, 2), training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' }, epochs: 1, batchSize: 84 }, dataset: spiral },
      { tf, build: buildModel, onEvent: (e) => events.push(e), signal: new AbortController().signal },
    );
    // 120 points split 70/15/15: 84 train in one batch of 84.
    expect(events.find((e) => e.type === 'batch')).toMatchObject({ batchesPerEpoch: 1, batch: 1 });
    expect(result.epochs).toHaveLength(1);
  });

  it('trains on an uploaded table the job names, reading its chunks as it goes, and names it in messages', async () => {
    // Two columns, class = whether the first is bigger: 60 rows as a CSV upload would store them.
    const rows = Array.from({ length: 60 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 2.3)]);
    const table = (from: number, to: number) => ({
      features: Float32Array.from(rows.slice(from, to).flat()),
      classIndices: Int32Array.from(rows.slice(from, to), ([a, b]) => (a! > b! ? 1 : 0)),
      count: to - from,
    });
    const chunks = [...encodeChunks({ train: table(0, 40), validation: table(40, 50), test: table(50, 60) }, [2], 1, 80)];
    const ref: StoredDatasetRef = {
      kind: 'stored',
      datasetId: 'u1',
      name: 'My table',
      inputShape: [2],
      classes: ['no', 'yes'],
      sizes: { train: 40, validation: 10, test: 10 },
      encoding: 'float32',
      chunkRows: chunks.map((c) => c.rowCount),
    };
    const reads: number[] = [];
    const readChunk = async (_id: string, startRow: number) => {
      reads.push(startRow);
      return chunks.find((c) => c.startRow === startRow)!;
    };
    const job = (spec: ModelSpec) => ({ runId: 'run-3', spec, training: { ...DEFAULT_TRAINING, dataset: { cell: 'data-1' }, epochs: 2, batchSize: 8 }, dataset: ref });
    const options = { tf, build: buildModel, onEvent: () => {}, signal: new AbortController().signal, readChunk };
    const result = await train(job(denseSpec(2, 2)), options);
    expect(result.epochs).toHaveLength(2);
    // Every chunk was read (train 4 chunks of 10 rows, validation and test one each), a few at a time.
    expect(new Set(reads)).toEqual(new Set(chunks.map((c) => c.startRow)));
    await expect(train(job(denseSpec(4, 2)), options)).rejects.toThrow('Your Input block says 4 but the My table data has 2 numbers per example. Set the Input shape to 2.');
  });

  it('explains an Input shape that does not fit the iris data, naming the number to type', async () => {
    await expect(run(MLP_SPEC, { dataset: 'iris' }, { data: loadBuiltInDataset('iris') })).rejects.toThrow(
      new TrainingInputError('Your Input block says 28×28×1 but the Iris flowers data has 4 numbers per example. Set the Input shape to 4.'),
    );
  });

  it('with early stopping and patience 1, stops an easy set before its epoch count and says so', async () => {
    const { result, events } = await run(denseSpec(2, 2), { dataset: 'gaussian', epochs: 40, batchSize: 16, learningRate: 0.03, earlyStopping: true, patience: 1 });
    const stoppedAt = result.epochs.length;
    expect(stoppedAt).toBeLessThan(40);
    // Patience 1: the last epoch is the first whose checking accuracy did not beat the best before it.
    const accuracies = result.epochs.map((e) => e.valAccuracy!);
    expect(accuracies[stoppedAt - 1]).toBeLessThanOrEqual(Math.max(...accuracies.slice(0, -1)));
    // A note, which the run keeps (runs.notes) so a reloaded page still says why it stopped.
    const notes = events.filter((e) => e.type === 'note');
    expect(notes).toEqual([{ type: 'note', text: `Stopped early after epoch ${stoppedAt} of 40: the checking accuracy had not improved for 1 epoch.` }]);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('without early stopping, trains every epoch it was given', async () => {
    const { result, events } = await run(denseSpec(2, 2), { dataset: 'gaussian', epochs: 6, batchSize: 16, learningRate: 0.03 });
    expect(result.epochs).toHaveLength(6);
    expect(events.some((e) => e.type === 'status' || e.type === 'note')).toBe(false);
  });

  it('resumes from a checkpoint at the next epoch, carrying on where the unbroken run would be', async () => {
    // Plain SGD keeps no state of its own, so the resumed run can match the unbroken one exactly.
    const training = { ...DEFAULT_TRAINING, dataset: 'circle' as const, epochs: 3, batchSize: 16, learningRate: 0.05, optimizer: 'sgd' as const };
    const checkpoints: { epoch: number; weights: SavedWeights }[] = [];
    const base = { tf, build: buildModel, onEvent: () => {}, signal: new AbortController().signal };
    const unbroken = await train(builtInJob('whole', denseSpec(2, 2), training), { ...base, onCheckpoint: (epoch, weights) => checkpoints.push({ epoch, weights }) });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2]);

    const events: RunEvent[] = [];
    const resumed = await train(builtInJob('resumed', denseSpec(2, 2), training, { resumeFrom: checkpoints[0]! }), { ...base, onEvent: (e) => events.push(e) });
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([2, 3]);
    expect(resumed.epochs[0]!.loss).toBeCloseTo(unbroken.epochs[1]!.loss, 5);
    expect(resumed.testAccuracy).toBeCloseTo(unbroken.testAccuracy, 5);
    const firstBatch = events.find((e): e is Extract<RunEvent, { type: 'batch' }> => e.type === 'batch')!;
    expect(firstBatch.epoch).toBe(2);
    expect(firstBatch.progress).toBeGreaterThan(1 / 3);
  });

  it('refuses binary crossentropy for a dataset with more than two classes, naming the loss to pick', async () => {
    await expect(run(denseSpec(4, 3), { dataset: 'iris', loss: 'binaryCrossentropy' })).rejects.toThrow(
      new TrainingInputError('Binary crossentropy is for choosing between two species, but Iris flowers has 3. Pick categorical crossentropy in the loss block.'),
    );
  });

  it("names the dataset's class count when the last layer does not match it", async () => {
    await expect(run(denseSpec(4, 10), { dataset: 'iris' })).rejects.toThrow(
      'The last layer gives [10] numbers per example, but Iris flowers has 3 species. End the model with Flatten (if needed) and a Dense layer with 3 units and softmax activation.',
    );
  });
});

/** A linear model without softmax, so a huge learning rate makes the squared error overflow. */
const unstable: BuildModel = (t) => t.sequential({ layers: [t.layers.dense({ inputShape: [784], units: 10 })] });

describe('EarlyStop', () => {
  it('stops only after `patience` epochs in a row without a new best, and a new best resets the count', () => {
    const stop = new EarlyStop(2);
    expect([0.5, 0.6, 0.6, 0.7, 0.65].map((a) => stop.shouldStop(a))).toEqual([false, false, false, false, false]);
    expect(stop.shouldStop(0.7)).toBe(true);
    expect(stop.message(6, 10)).toBe('Stopped early after epoch 6 of 10: the checking accuracy had not improved for 2 epochs.');
  });
});
