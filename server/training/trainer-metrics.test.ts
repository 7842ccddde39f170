import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { builtInJob } from '../../testing/train-job';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { DEFAULT_TRAINING, type ModelSpec, type TrainingSpec } from '../../blocks/format/model-spec';
import { modelWorkspace } from '../../blocks/templates';
import { inMemoryDataset, type Batch, type Dataset, type StreamedDataset } from '../data/dataset';
import { loadBuiltInDataset } from '../data/registry';
import { mnistDataset } from '../data/mnist';
import { selectBackend, type Tf } from './backend';
import { buildModel } from './build-model';
import { holdOutValidation } from './hold-out';
import { evenSample, loadMnist } from '../data/mnist-digits';
import type { RunEvent } from './protocol';
import { makeOptimizer, train } from './trainer';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await selectBackend('auto'));
});

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

async function run(spec: ModelSpec, training: Partial<TrainingSpec>, data?: Dataset) {
  const events: RunEvent[] = [];
  const result = await train(
    builtInJob('metrics', spec, { ...DEFAULT_TRAINING, ...training }),
    { tf, build: buildModel, onEvent: (e) => events.push(e), signal: new AbortController().signal, batchEventIntervalMs: 0, data },
  );
  return { result, events };
}

async function collect(batches: AsyncIterable<Batch> | Iterable<Batch>): Promise<{ rows: number[][]; classes: number[] }> {
  const rows: number[][] = [];
  const classes: number[] = [];
  for await (const batch of batches) {
    const width = batch.features.length / batch.size;
    for (let i = 0; i < batch.size; i++) {
      rows.push(Array.from(batch.features.subarray(i * width, (i + 1) * width)));
      classes.push(batch.classIndices[i]!);
    }
  }
  return { rows, classes };
}

/** Keras's Precision() and Recall() with one-hot labels: an output above 0.5 is a "yes". */
function kerasPrecisionRecall(probabilities: number[][], classes: number[]): { precision: number; recall: number } {
  let truePositives = 0;
  let yes = 0;
  probabilities.forEach((row, i) =>
    row.forEach((p, c) => {
      if (p > 0.5) {
        yes++;
        if (c === classes[i]) truePositives++;
      }
    }),
  );
  return { precision: yes ? truePositives / yes : 0, recall: truePositives / classes.length };
}

describe('metrics a training cell asks for', () => {
  it('reports precision, recall and the mean errors each epoch, for training and validation rows, as Keras counts them', async () => {
    const iris = loadBuiltInDataset('iris');
    const { result, events } = await run(
      denseSpec(4, 3),
      { dataset: 'iris', epochs: 3, batchSize: 8, learningRate: 0.05, metrics: ['precision', 'recall', 'meanAbsoluteError', 'meanSquaredError'] },
      iris,
    );
    for (const epoch of result.epochs) {
      expect(Object.keys(epoch.extra ?? {}).sort()).toEqual(
        ['meanAbsoluteError', 'meanSquaredError', 'precision', 'recall', 'val_meanAbsoluteError', 'val_meanSquaredError', 'val_precision', 'val_recall'],
      );
      for (const value of Object.values(epoch.extra!)) expect(value).toBeGreaterThanOrEqual(0);
      expect(epoch.extra!.precision).toBeLessThanOrEqual(1);
    }
    // The live epoch events carry the same figures the result keeps.
    expect(events.filter((e) => e.type === 'epoch').map((e) => (e as { extra?: unknown }).extra)).toEqual(result.epochs.map((e) => e.extra));

    // The last epoch's validation figures are the trained model's, on all 21 validation flowers at once.
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: result.weights.modelTopology as tfType.io.ModelArtifacts['modelTopology'],
        weightSpecs: result.weights.weightSpecs as tfType.io.WeightsManifestEntry[],
        weightData: result.weights.weightData.slice().buffer,
      }),
    );
    const { rows, classes } = await collect(iris.batches('validation', 1000));
    const probabilities = tf.tidy(() => (model.predict(tf.tensor2d(rows)) as tfType.Tensor).arraySync() as number[][]);
    model.dispose();
    const expected = kerasPrecisionRecall(probabilities, classes);
    const last = result.epochs.at(-1)!.extra!;
    expect(last.val_precision).toBeCloseTo(expected.precision, 5);
    expect(last.val_recall).toBeCloseTo(expected.recall, 5);
    const meanAbsolute = probabilities.flatMap((row, i) => row.map((p, c) => Math.abs((c === classes[i] ? 1 : 0) - p))).reduce((a, b) => a + b) / (rows.length * 3);
    expect(last.val_meanAbsoluteError).toBeCloseTo(meanAbsolute, 5);
  });

  it('measures the same way with class-number labels (sparse loss)', async () => {
    const iris = loadBuiltInDataset('iris');
    const oneHot = await run(denseSpec(4, 3), { dataset: 'iris', epochs: 1, batchSize: 8, metrics: ['recall', 'meanSquaredError'] }, iris);
    const sparse = await run(denseSpec(4, 3), { dataset: 'iris', epochs: 1, batchSize: 8, metrics: ['recall', 'meanSquaredError'], loss: 'sparseCategoricalCrossentropy' }, iris);
    // The two losses give the same gradients here, so the same seed gives the same model and figures.
    expect(sparse.result.epochs[0]!.extra!.val_recall).toBeCloseTo(oneHot.result.epochs[0]!.extra!.val_recall!, 4);
    expect(sparse.result.epochs[0]!.extra!.val_meanSquaredError).toBeCloseTo(oneHot.result.epochs[0]!.extra!.val_meanSquaredError!, 4);
  });

  it('reports nothing extra when none is asked for, and repeats exactly with the same seed', async () => {
    const plain = await run(denseSpec(2, 2), { dataset: 'gaussian', epochs: 1, batchSize: 16 });
    expect(plain.result.epochs[0]).not.toHaveProperty('extra');
    const settings = { dataset: 'gaussian' as const, epochs: 2, batchSize: 16, metrics: ['precision' as const] };
    const first = await run(denseSpec(2, 2), settings);
    const again = await run(denseSpec(2, 2), settings);
    expect(again.result.epochs).toEqual(first.result.epochs.map((e) => ({ ...e, seconds: again.result.epochs[e.epoch - 1]!.seconds })));
  });

  it('uses the momentum the SGD-with-momentum block sets', () => {
    const optimizer = makeOptimizer(tf, { ...DEFAULT_TRAINING, optimizer: 'momentum', learningRate: 0.02, momentum: 0.5 });
    expect(optimizer.getConfig()).toMatchObject({ learningRate: 0.02, momentum: 0.5 });
    expect(makeOptimizer(tf, { ...DEFAULT_TRAINING, optimizer: 'momentum' }).getConfig()).toMatchObject({ momentum: 0.9 });
  });
});

describe('validation split', () => {
  const mnist = () => {
    const full = loadMnist();
    return mnistDataset({ train: evenSample(full.train, 800), test: evenSample(full.test, 200) });
  };

  it('holds back the last share of the training rows of data without validation rows, trains on the rest, and checks on them each epoch', async () => {
    const { result, events } = await run(denseSpec(784, 10), { epochs: 2, batchSize: 50, validationSplit: 0.25 }, mnist());
    // 600 of the 800 training pictures are trained on, 200 checked.
    expect(events.find((e) => e.type === 'batch')).toMatchObject({ batchesPerEpoch: 12 });
    const isShareOf = (accuracy: number, count: number) => Math.abs(accuracy * count - Math.round(accuracy * count)) < 1e-4;
    expect(result.epochs.every((e) => isShareOf(e.valAccuracy!, 200))).toBe(true);
    // The test pictures are the result, evaluated once at the end, not the validation figures.
    expect(result.testAccuracy).not.toBe(result.epochs.at(-1)!.valAccuracy);
    const again = await run(denseSpec(784, 10), { epochs: 2, batchSize: 50, validationSplit: 0.25 }, mnist());
    expect(again.result.epochs.map((e) => [e.loss, e.valLoss])).toEqual(result.epochs.map((e) => [e.loss, e.valLoss]));
  });

  it('is not used when the data keeps validation rows of its own', async () => {
    const { events, result } = await run(denseSpec(4, 3), { dataset: 'iris', epochs: 1, batchSize: 5, validationSplit: 0.5 }, loadBuiltInDataset('iris'));
    // All 105 training flowers are trained on, and the 21 validation flowers checked.
    expect(events.find((e) => e.type === 'batch')).toMatchObject({ batchesPerEpoch: 21 });
    const correct = result.epochs[0]!.valAccuracy! * 21;
    expect(Math.abs(correct - Math.round(correct))).toBeLessThan(1e-4);
  });
});

describe('holdOutValidation', () => {
  const rows = (count: number) => ({ features: Float32Array.from({ length: count }, (_, i) => i), classIndices: Int32Array.from({ length: count }, (_, i) => i % 2), count });
  const table = (count: number) => inMemoryDataset({ id: 't', name: 'T', inputShape: [1], classes: ['a', 'b'], splits: { train: rows(count), validation: rows(0), test: rows(3) } });

  it('splits the training rows into two parts that never overlap, the same way for the same seed', async () => {
    const split = holdOutValidation(table(10), 0.3, 5);
    expect([split.trainSize, split.validationSize, split.testSize]).toEqual([7, 3, 3]);
    const train = (await collect(split.batches('train', 4))).rows.flat();
    const validation = (await collect(split.batches('validation', 2))).rows.flat();
    expect(train).toHaveLength(7);
    expect(validation).toHaveLength(3);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await collect(holdOutValidation(table(10), 0.3, 5).batches('validation', 10))).rows.flat()).toEqual(validation);
    expect((await collect(holdOutValidation(table(10), 0.3, 6).batches('validation', 10))).rows.flat()).not.toEqual(validation);
    // An epoch's order visits every kept row once.
    const order = (split as StreamedDataset).epochOrder(() => 0.5);
    expect((await collect(split.batches('train', 3, order))).rows.flat().sort((a, b) => a - b)).toEqual([...train].sort((a, b) => a - b));
  });

  it('leaves data too small to split as it is', () => {
    const tiny = table(1);
    expect(holdOutValidation(tiny, 0.5, 1)).toBe(tiny);
    // 5% of 10 rows is less than one row.
    const ten = table(10);
    expect(holdOutValidation(ten, 0.05, 1)).toBe(ten);
  });
});
