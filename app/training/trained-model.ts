import type * as tfjs from '@tensorflow/tfjs';
import type { LayerKernel, LayerOutput } from './model-insides';

/**
 * A finished run's trained model, loaded into the page to answer one example at a time.
 *
 * TF.js is imported here, when a student opens "Try your model", never before: it is a large
 * chunk that the notebook's first load must not carry (the only TF.js import app/ may make;
 * .dependency-cruiser.cjs allows app/ a dynamic import of it and nothing else).
 */
export interface TrainedModel {
  /** The model's answer for one example: its raw outputs, one per class. */
  predict(example: Float32Array): Float32Array;
  /**
   * The model's answers for `count` examples laid end to end in `examples`, in one call (a
   * decision map's whole grid at once, not point by point): `count` × classes raw outputs.
   */
  predictBatch(examples: Float32Array, count: number): Float32Array;
  /** What every layer makes of one example, in the model's order ("Look inside"); the last is the answer. */
  layerOutputs(example: Float32Array): LayerOutput[];
  /** The kernel of the first layer that has weights, or null for a model without any. */
  firstKernel(): LayerKernel | null;
  dispose(): void;
}

/** Why a run's model cannot answer for the data the training cell uses, in words for the student. */
export class ModelDoesNotFit extends Error {}

/**
 * Loads the run's model from the same owner-only download as "Download trained model"
 * (server/downloads.ts: model.json names weights.bin beside it, which tf.loadLayersModel
 * fetches with the page's cookie), and checks it takes one example of `exampleShape` and
 * answers with one output per class.
 */
export async function loadTrainedModel(runId: string, exampleShape: readonly number[], classCount: number): Promise<TrainedModel> {
  const tf = await import('@tensorflow/tfjs');
  // The plain JavaScript backend: one small picture takes milliseconds on it, and it needs no
  // WebGL context (not every school computer has one, and headless browsers often do not) and
  // no .wasm file. It runs under the page's Content-Security-Policy, which allows no eval
  // (only WebAssembly to compile: see server/security-headers.ts).
  await tf.setBackend('cpu');
  return asTrainedModel(tf, await tf.loadLayersModel(`/api/runs/${encodeURIComponent(runId)}/model.json`), exampleShape, classCount);
}

/**
 * A loaded model as a TrainedModel, once checked to fit the data; disposed if it does not.
 * Apart from loading so that tests can hand it a model built in place.
 */
export function asTrainedModel(tf: typeof tfjs, model: tfjs.LayersModel, exampleShape: readonly number[], classCount: number): TrainedModel {
  let inputShape: number[];
  try {
    inputShape = exampleInputShape(model.inputs.map((input) => input.shape), exampleShape);
    checkAnswersPerClass(model.outputs.map((output) => output.shape), classCount);
  } catch (error) {
    model.dispose();
    throw error;
  }
  // The one place prepared examples become the model's input: a batch of one, or of many.
  const asBatch = (examples: Float32Array, count = 1) => tf.tensor(examples, [count, ...inputShape]);
  const predictBatch = (examples: Float32Array, count: number) =>
    tf.tidy(() => (model.predict(asBatch(examples, count)) as tfjs.Tensor).dataSync() as Float32Array);
  const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
  // Made at the first look inside, from the same layers (no weights of its own, so only the
  // model itself is ever disposed).
  let everyOutput: tfjs.LayersModel | null = null;
  return {
    predict: (example) => predictBatch(example, 1),
    predictBatch,
    layerOutputs: (example) => {
      everyOutput ??= tf.model({ inputs: model.inputs, outputs: layers.map((layer) => layer.output as tfjs.SymbolicTensor) });
      const inside = everyOutput;
      return tf.tidy(() => {
        const answer = inside.predict(asBatch(example));
        const outputs = Array.isArray(answer) ? answer : [answer];
        return outputs.map((output, i) => ({ className: layers[i]!.getClassName(), shape: output.shape.slice(1), values: output.dataSync() as Float32Array }));
      });
    },
    firstKernel: () => {
      const layer = layers.find((candidate) => candidate.weights.length > 0);
      if (!layer) return null;
      // A layer's first weights are its kernel (Dense, Conv2D: kernel then bias).
      const kernel = layer.getWeights()[0]!;
      return { className: layer.getClassName(), shape: kernel.shape, values: kernel.dataSync() as Float32Array };
    },
    dispose: () => model.dispose(),
  };
}

type Shape = ReadonlyArray<number | null>;

/**
 * The shape one example takes in this model (without the batch): the model's own Input shape,
 * which may be the picture's 28,28,1 or a flat 784 (the trainer reshapes, and so does this),
 * with any size left open ("any") taken from the data.
 */
export function exampleInputShape(modelInputs: readonly Shape[], exampleShape: readonly number[]): number[] {
  const size = exampleShape.reduce((a, b) => a * b, 1);
  const wrongInput = new ModelDoesNotFit(
    `This run's model does not take ${oneExample(exampleShape)}, the data this cell trains on now. Press Train to train it on this data, then try it.`,
  );
  if (modelInputs.length !== 1) throw wrongInput;
  const [, ...dims] = modelInputs[0]!;
  const shape = dims.map((dim, i) => dim ?? (dims.length === exampleShape.length ? exampleShape[i] : undefined));
  if (shape.some((dim) => dim === undefined) || shape.reduce<number>((a, b) => a * b!, 1) !== size) throw wrongInput;
  return shape as number[];
}

/**
 * One example of the data in words: a 2-D set's point ("2 numbers (one point's x and y)"), a
 * table's row ("one row of 4 numbers") or a picture ("one 28×28×1 picture").
 */
function oneExample(exampleShape: readonly number[]): string {
  if (exampleShape.length !== 1) return `one ${exampleShape.join('×')} picture`;
  const [size] = exampleShape as [number];
  if (size === 2) return "2 numbers (one point's x and y)";
  return `one row of ${size} ${size === 1 ? 'number' : 'numbers'}`;
}

/** The model must answer with one number per class of the data, or its answers cannot be named. */
export function checkAnswersPerClass(modelOutputs: readonly Shape[], classCount: number): void {
  const [output] = modelOutputs;
  if (modelOutputs.length !== 1 || output!.length !== 2 || output![1] !== classCount) {
    throw new ModelDoesNotFit(
      `This run's model does not answer with one number per class: the data this cell trains on now has ${classCount} classes. Press Train to train it on this data, then try it.`,
    );
  }
}
