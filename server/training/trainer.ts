import type * as tfType from '@tensorflow/tfjs';
import { lossFitProblems } from '../../blocks/shapes/advice';
import { DEFAULT_MOMENTUM, DEFAULT_PATIENCE, type ModelSpec, type TrainingSpec } from '../../blocks/format/model-spec';
import type { Tf } from './backend';
import { InvalidModelError } from './build-model';
import { inputShapeMismatch, outputShapeMismatch } from '../../blocks/format/datasets';
import { epochOrder, splitSize, type Batch, type Split, type TrainingData } from '../data/dataset';
import { seededRandom } from '../data/random';
import { loadBuiltInDataset } from '../data/registry';
import { storedDataset, type ReadChunk } from '../data/stored';
import { asTrainedOn } from './hold-out';
import { planMetrics } from './metrics';
import { ConfusionCounter } from './confusion-matrix';
import type { ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import { isProcessFailure } from './failures';
import type { EpochMetrics, RunEvent, SavedOptimizer, SavedWeights, TrainJob } from './protocol';

export type BuildModel = (tf: Tf, spec: ModelSpec) => tfType.LayersModel;

export interface TrainOptions {
  tf: Tf;
  build: BuildModel;
  onEvent: (event: RunEvent) => void;
  signal: AbortSignal;
  /** Defaults to the dataset the job names; tests pass a smaller one. */
  data?: TrainingData;
  /** Where the chunks of an uploaded dataset come from (the parent process, or the database); needed for such jobs. */
  readChunk?: ReadChunk;
  /** Fewest milliseconds between two `batch` events (the last batch of an epoch always reports). */
  batchEventIntervalMs?: number;
  /**
   * Called with the weights after every epoch but the last (whose weights are the result),
   * and the optimizer's state where TF.js can save it, so a resumed run continues unbroken.
   */
  onCheckpoint?: (epoch: number, weights: SavedWeights, optimizer?: SavedOptimizer) => void;
}

export interface TrainResult {
  testAccuracy: number;
  testLoss: number;
  samplesPerSec: number;
  seconds: number;
  weights: SavedWeights;
  epochs: EpochMetrics[];
  /** The test split by true and predicted class; null when the data has no classes to count or too many (ConfusionCounter.for). */
  confusionMatrix: ConfusionMatrix | null;
}

/** Thrown when the run's AbortSignal fires; the worker reports it as a cancellation, not a failure. */
export class TrainingCancelled extends Error {
  constructor() {
    super('Training was stopped.');
    this.name = 'TrainingCancelled';
  }
}

/**
 * A problem with what the student built or chose, phrased for them. Anything else that
 * escapes training is a bug or a crash and is reported differently.
 */
export class TrainingInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainingInputError';
  }
}

const EVALUATION_BATCH = 500;

/**
 * Trains `job.spec` on the job's dataset with `job.training`, reporting progress through
 * `onEvent`: `batch` events (throttled), one `epoch` event per epoch, then `done`. Each epoch
 * ends with an evaluation on the validation split (its valLoss/valAccuracy, so students can
 * watch for overfitting); the test split is evaluated once at the end and is the run's
 * result. A dataset without validation rows of its own is checked on the last share of its
 * training rows when the job sets a validation split (Keras's validationSplit), and on its
 * test split otherwise (MNIST, as before), the last of those then being the result. Metrics
 * asked for beyond accuracy are measured on both and reported in EpochMetrics.extra. Every random choice —
 * initial weights, dropout masks, the shuffle — comes from `job.training.seed`, so the same
 * job on the same backend repeats exactly.
 */
export async function train(job: TrainJob, options: TrainOptions): Promise<TrainResult> {
  const { tf, onEvent, signal } = options;
  const training = job.training;
  const loaded = options.data ?? loadJobDataset(job, options.readChunk);
  const data = asTrainedOn(loaded, training);
  const interval = options.batchEventIntervalMs ?? 100;
  throwIfCancelled(signal);

  const restoreRandom = seedMathRandom(training.seed);
  const tensorsBefore = tf.memory().numTensors;
  let model: tfType.LayersModel | null = null;
  try {
    model = buildChecked(tf, options.build, job.spec);
    const inputShape = checkInputShape(model, data);
    const sparse = training.loss === 'sparseCategoricalCrossentropy';
    checkOutputShape(model, data);
    const classCount = data.classes.length;
    checkLossFits(training, data);
    checkTrainableInTfjs(model);
    const metricPlan = planMetrics(tf, training.metrics, { classCount, sparse });
    model.compile({ optimizer: makeOptimizer(tf, training), loss: training.loss, metrics: metricPlan.compileMetrics });
    if (job.resumeFrom) {
      loadCheckpoint(tf, model, job.resumeFrom.weights);
      if (job.resumeFrom.optimizer) await restoreOptimizer(tf, model.optimizer, job.resumeFrom.optimizer);
    }
    const firstEpoch = job.resumeFrom ? job.resumeFrom.epoch + 1 : 1;

    const toTensors = (batch: Batch) => ({
      xs: tf.tensor(batch.features, [batch.size, ...inputShape]),
      ys: sparse ? tf.tensor(Float32Array.from(batch.classIndices), [batch.size, 1]) : tf.tensor(batch.labels, [batch.size, classCount]),
    });
    const watchSplit: Split = data.validationSize > 0 ? 'validation' : 'test';

    const shuffleRandom = seededRandom(training.seed ^ 0x5eed);
    const batchesPerEpoch = Math.ceil(data.trainSize / training.batchSize);
    const totalSamples = data.trainSize * training.epochs;
    const epochs: EpochMetrics[] = [];
    const runStart = performance.now();
    let samplesDone = data.trainSize * (firstEpoch - 1);
    const throughput = new Throughput();
    let lastEventAt = -Infinity;
    let evaluation: Evaluation = { loss: NaN, accuracy: NaN, quantities: [] };
    const earlyStop = training.earlyStopping ? new EarlyStop(training.patience ?? DEFAULT_PATIENCE) : null;

    // A resumed run draws the skipped epochs' shuffles too, so its later epochs see the same order as an unbroken run.
    for (let skipped = 1; skipped < firstEpoch; skipped++) epochOrder(data, shuffleRandom);

    for (let epoch = firstEpoch; epoch <= training.epochs; epoch++) {
      const epochStart = performance.now();
      const order = epochOrder(data, shuffleRandom);
      let batchNumber = 0;
      let lossSum = 0;
      let accuracySum = 0;
      const quantitySums = new Array<number>(metricPlan.quantityCount).fill(0);
      let epochSamples = 0;
      for await (const batch of data.batches('train', training.batchSize, order)) {
        batchNumber++;
        const stepStart = performance.now();
        const { xs, ys } = toTensors(batch);
        let loss: number;
        let accuracy: number;
        let quantities: number[];
        try {
          [loss, accuracy, ...quantities] = (await model.trainOnBatch(xs, ys)) as number[] as [number, number, ...number[]];
        } finally {
          tf.dispose([xs, ys]);
        }
        quantities.forEach((value, i) => (quantitySums[i]! += value * batch.size));
        throughput.add(batch.size, performance.now() - stepStart);
        samplesDone += batch.size;
        epochSamples += batch.size;
        lossSum += loss * batch.size;
        accuracySum += accuracy * batch.size;
        if (!Number.isFinite(loss)) {
          throw new TrainingInputError(
            'The loss became NaN or infinite, so the network stopped learning. Try a smaller learning rate.',
          );
        }

        const now = performance.now();
        if (now - lastEventAt >= interval || batchNumber === batchesPerEpoch) {
          lastEventAt = now;
          const samplesPerSec = throughput.samplesPerSec();
          onEvent({
            type: 'batch',
            epoch,
            epochs: training.epochs,
            batch: batchNumber,
            batchesPerEpoch,
            loss,
            accuracy,
            samplesPerSec,
            progress: samplesDone / totalSamples,
            // The remaining batches plus one evaluation per remaining epoch, at the measured rate.
            etaSeconds: etaSeconds(totalSamples - samplesDone, samplesPerSec, training.epochs - epoch + 1, splitSize(data, watchSplit)),
          });
        }
        // Let the process read its messages (a cancel arrives as one) between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
        throwIfCancelled(signal);
      }

      evaluation = await evaluate(tf, model, data, watchSplit, toTensors);
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / epochSamples,
        accuracy: accuracySum / epochSamples,
        valLoss: evaluation.loss,
        valAccuracy: evaluation.accuracy,
        seconds: (performance.now() - epochStart) / 1000,
      };
      if (metricPlan.metrics.length > 0) {
        metrics.extra = {
          ...metricPlan.figures(quantitySums.map((sum) => sum / epochSamples), false),
          ...metricPlan.figures(evaluation.quantities, true),
        };
      }
      epochs.push(metrics);
      onEvent({ type: 'epoch', ...metrics });
      if (earlyStop?.shouldStop(evaluation.accuracy) && epoch < training.epochs) {
        onEvent({ type: 'note', text: earlyStop.message(epoch, training.epochs) });
        break;
      }
      if (options.onCheckpoint && epoch < training.epochs) {
        options.onCheckpoint(epoch, await saveWeights(tf, model), await saveOptimizer(tf, model.optimizer));
      }
      throwIfCancelled(signal);
    }

    // The confusion matrix comes from the same pass over the test split as the test accuracy. A
    // set watched on its test split (MNIST) goes through it once more to count it: the same
    // weights give the same loss and accuracy. A job resumed at its last epoch trains nothing
    // (an autograde evaluates handed-in weights): the test split is measured then too.
    const confusion = ConfusionCounter.for(data);
    const test =
      watchSplit === 'test' && epochs.length > 0 && confusion === null ? evaluation : await evaluate(tf, model, data, 'test', toTensors, confusion && { counter: confusion, sparse });
    const weights = await saveWeights(tf, model);
    const seconds = (performance.now() - runStart) / 1000;
    const samplesPerSec = throughput.samplesPerSec();
    onEvent({ type: 'done', testAccuracy: test.accuracy, testLoss: test.loss, samplesPerSec, seconds });
    return { testAccuracy: test.accuracy, testLoss: test.loss, samplesPerSec, seconds, weights, epochs, confusionMatrix: confusion?.result() ?? null };
  } finally {
    restoreRandom();
    model?.optimizer?.dispose();
    model?.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked > 0) console.warn(`[training] run ${job.runId} left ${leaked} tensors in memory`);
  }
}

/**
 * Early stopping as Keras's EarlyStopping(monitor='val_accuracy', patience) does it: stop once
 * the checking accuracy has not beaten its best for `patience` epochs in a row. The run keeps
 * the last epoch's weights (Keras's default, restore_best_weights=False), so the result is
 * what the student watched happen.
 */
export class EarlyStop {
  private best = -Infinity;
  private epochsWithoutGain = 0;

  constructor(private readonly patience: number) {}

  shouldStop(checkingAccuracy: number): boolean {
    if (checkingAccuracy > this.best) {
      this.best = checkingAccuracy;
      this.epochsWithoutGain = 0;
      return false;
    }
    this.epochsWithoutGain++;
    return this.epochsWithoutGain >= this.patience;
  }

  message(epoch: number, epochs: number): string {
    const span = this.patience === 1 ? '1 epoch' : `${this.patience} epochs`;
    return `Stopped early after epoch ${epoch} of ${epochs}: the checking accuracy had not improved for ${span}.`;
  }
}

/**
 * Training speed in samples per second, leaving out the first batch: TF.js sets up its
 * kernels there, and on a short run that one slow step would halve the figure.
 */
class Throughput {
  private batches = 0;
  private first = { samples: 0, ms: 0 };
  private rest = { samples: 0, ms: 0 };

  add(samples: number, ms: number): void {
    const into = this.batches++ === 0 ? this.first : this.rest;
    into.samples += samples;
    into.ms += ms;
  }

  samplesPerSec(): number {
    const { samples, ms } = this.batches > 1 ? this.rest : this.first;
    return ms > 0 ? (samples * 1000) / ms : 0;
  }
}

function etaSeconds(samplesLeft: number, samplesPerSec: number, evaluationsLeft: number, testCount: number): number | null {
  if (!Number.isFinite(samplesPerSec) || samplesPerSec <= 0) return null;
  // Evaluating runs forward only: about a third of a training step per sample.
  return (samplesLeft + (evaluationsLeft * testCount) / 3) / samplesPerSec;
}

function loadJobDataset(job: TrainJob, readChunk: ReadChunk | undefined): TrainingData {
  if (job.dataset.kind === 'stored') {
    // Reaching this without a reader is a bug in whoever started the trainer; still phrased for the student.
    if (!readChunk) throw new TrainingInputError('This trainer cannot read uploaded datasets. Ask your teacher to check how the training workers were started.');
    return storedDataset(job.dataset, readChunk);
  }
  return loadBuiltInDataset(job.dataset.id, job.dataset.options);
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new TrainingCancelled();
}

function buildChecked(tf: Tf, build: BuildModel, spec: ModelSpec): tfType.LayersModel {
  try {
    return build(tf, spec);
  } catch (error) {
    // buildModel's own errors already speak to the student; anything else is TF.js's words.
    if (error instanceof InvalidModelError) throw new TrainingInputError(error.message);
    // Memory running out or a WebAssembly abort is the process's failure, never the student's model.
    if (isProcessFailure(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrainingInputError(`This model can't be built: ${reason}`);
  }
}

/** The model's input shape without the batch dimension, checked against one example of the dataset. */
function checkInputShape(model: tfType.LayersModel, data: TrainingData): number[] {
  if (model.inputs.length !== 1) {
    throw new TrainingInputError(`${data.name} gives one input per example, but this model has ${model.inputs.length} Input blocks. Keep exactly one.`);
  }
  const shape = model.inputs[0]!.shape.slice(1);
  // Any shape holding the same count of numbers works (784 for a 28×28×1 digit): each batch is reshaped to it.
  const problem = inputShapeMismatch(shape, data);
  if (problem) throw new TrainingInputError(`${problem.message} ${problem.fix}`);
  return shape as number[];
}

function checkOutputShape(model: tfType.LayersModel, data: TrainingData): void {
  if (model.outputs.length !== 1) {
    throw new TrainingInputError(`This model has ${model.outputs.length} outputs; for ${data.name} it needs exactly one.`);
  }
  const shape = model.outputs[0]!.shape.slice(1);
  const problem = outputShapeMismatch(shape, data);
  if (problem) throw new TrainingInputError(`${problem.message} ${problem.fix}`);
}

/** The training cell refuses the same loss before Train can be pressed (lossFitProblems); this is for jobs from elsewhere. */
function checkLossFits(training: TrainingSpec, data: TrainingData): void {
  const info = { classCount: data.classes.length, name: data.name, classNoun: data.classNoun };
  const problem = lossFitProblems(training.loss, info, null).find((d) => d.severity === 'error');
  if (problem) throw new TrainingInputError(`${problem.message} ${problem.fix}`);
}

/** Layers TF.js can run forward but has no gradient for, which would fail at the first batch. */
function checkTrainableInTfjs(model: tfType.LayersModel): void {
  for (const layer of model.layers) {
    const rate = layer.getConfig().dilationRate;
    const rates = Array.isArray(rate) ? rate : rate == null ? [] : [rate];
    if (rates.some((r) => typeof r === 'number' && r > 1)) {
      throw new TrainingInputError(
        `TF.js cannot train a ${layer.getClassName()} layer with a dilation rate above 1 yet. ` +
          'Set "dilation rate" back to 1 on that block (under more options).',
      );
    }
  }
}

/** 'momentum' is SGD with momentum; 0.9 (what Keras tutorials use) unless the training cell says otherwise. */
export function makeOptimizer(tf: Tf, training: TrainingSpec): tfType.Optimizer {
  const rate = training.learningRate;
  switch (training.optimizer) {
    case 'sgd':
      return tf.train.sgd(rate);
    case 'momentum':
      return tf.train.momentum(rate, training.momentum ?? DEFAULT_MOMENTUM);
    case 'adam':
      return tf.train.adam(rate);
    case 'rmsprop':
      return tf.train.rmsprop(rate);
    case 'adagrad':
      return tf.train.adagrad(rate);
    case 'adadelta':
      return tf.train.adadelta(rate);
    case 'adamax':
      return tf.train.adamax(rate);
  }
}

/** Loss, accuracy and the extra metrics' quantities (see ./metrics), each a mean over the split. */
interface Evaluation {
  loss: number;
  accuracy: number;
  quantities: number[];
}

/**
 * Loss and accuracy over a whole split, in batches so memory stays small; with `counting`,
 * also each example's predicted class against its label, read as the loss reads it.
 */
async function evaluate(
  tf: Tf,
  model: tfType.LayersModel,
  data: TrainingData,
  split: Split,
  toTensors: (batch: Batch) => { xs: tfType.Tensor; ys: tfType.Tensor },
  counting: { counter: ConfusionCounter; sparse: boolean } | null = null,
): Promise<Evaluation> {
  let lossSum = 0;
  let accuracySum = 0;
  let quantitySums: number[] = [];
  for await (const batch of data.batches(split, EVALUATION_BATCH)) {
    const [loss, accuracy, ...quantities] = tf.tidy(() => {
      const { xs, ys } = toTensors(batch);
      const result = model.evaluate(xs, ys, { batchSize: EVALUATION_BATCH }) as tfType.Scalar[];
      if (counting) {
        const outputs = (model.predict(xs, { batchSize: EVALUATION_BATCH }) as tfType.Tensor).dataSync();
        counting.counter.add(outputs, counting.sparse ? { classIndices: batch.classIndices } : { oneHot: batch.labels }, batch.size);
      }
      return result.map((scalar) => scalar.dataSync()[0]!);
    }) as [number, number, ...number[]];
    lossSum += loss * batch.size;
    accuracySum += accuracy * batch.size;
    quantitySums = quantities.map((value, i) => (quantitySums[i] ?? 0) + value * batch.size);
  }
  const count = splitSize(data, split);
  return { loss: lossSum / count, accuracy: accuracySum / count, quantities: quantitySums.map((sum) => sum / count) };
}

/**
 * Puts a checkpoint's weights into a freshly built model of the same spec. By position, not
 * by name: TF.js numbers auto-named layers per process, so names differ between workers.
 */
function loadCheckpoint(tf: Tf, model: tfType.LayersModel, saved: SavedWeights): void {
  const specs = saved.weightSpecs as tfType.io.WeightsManifestEntry[];
  const bytes = saved.weightData;
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
  const tensors = specs.map((spec) => named[spec.name]!);
  try {
    if (tensors.length !== model.weights.length) throw new Error(`the checkpoint has ${tensors.length} weights, the model ${model.weights.length}`);
    model.setWeights(tensors);
  } finally {
    tf.dispose(Object.values(named));
  }
}

/**
 * The optimizer's variables (Adam's moments, momentum…) and its step count, in getWeights
 * order. Undefined for an optimizer TF.js cannot save (Adamax): a resumed run then restarts
 * its optimizer, as every resumed run did before.
 */
async function saveOptimizer(tf: Tf, optimizer: tfType.Optimizer | undefined): Promise<SavedOptimizer | undefined> {
  if (!optimizer) return undefined;
  let named: Array<{ name: string; tensor: tfType.Tensor }>;
  try {
    named = await optimizer.getWeights();
  } catch {
    return undefined;
  }
  try {
    const { data, specs } = await tf.io.encodeWeights(named);
    return { weightSpecs: specs, weightData: new Uint8Array(data as ArrayBuffer) };
  } finally {
    // getWeights makes a fresh tensor for the step count; the others are the optimizer's own variables.
    tf.dispose(named.filter((n) => n.name === 'iter').map((n) => n.tensor));
  }
}

/**
 * Gives a fresh optimizer the state saved with a checkpoint. TF.js matches the variables by
 * position, which is the model's weight order and the same in every process for one spec.
 */
async function restoreOptimizer(tf: Tf, optimizer: tfType.Optimizer, saved: SavedOptimizer): Promise<void> {
  const specs = saved.weightSpecs as tfType.io.WeightsManifestEntry[];
  const bytes = saved.weightData;
  const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
  try {
    await optimizer.setWeights(specs.map((spec) => ({ name: spec.name, tensor: named[spec.name]! })));
  } finally {
    // setWeights copies each tensor into a variable of its own.
    tf.dispose(Object.values(named));
  }
}

/** TF.js's own save format, with the weight buffers joined into one, as tf.loadLayersModel expects. */
export async function saveWeights(tf: Tf, model: tfType.LayersModel): Promise<SavedWeights> {
  let saved: SavedWeights | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const parts = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const joined = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        joined.set(new Uint8Array(part), offset);
        offset += part.byteLength;
      }
      saved = { modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs ?? [], weightData: joined };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('TF.js did not hand over the trained weights.');
  return saved;
}

/**
 * TF.js has no global seed: initializers and dropout draw their seeds from Math.random
 * when none is given. Swapping Math.random for a seeded generator during a run makes the
 * run repeatable. Safe here because a worker process trains one job at a time.
 */
function seedMathRandom(seed: number): () => void {
  const original = Math.random;
  Math.random = seededRandom(seed);
  return () => {
    Math.random = original;
  };
}
