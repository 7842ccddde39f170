import { beforeAll, describe, expect, it } from 'vitest';
import { builtInSource } from '../../blocks/format/datasets';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { DEFAULT_TRAINING, type ModelSpec, type TrainingSpec } from '../../blocks/format/model-spec';
import { modelWorkspace } from '../../blocks/templates';
import { selectBackend, type Tf } from './backend';
import { buildModel } from './build-model';
import type { Checkpoint, SavedWeights, TrainJob } from './protocol';
import { train } from './trainer';

/**
 * Carrying a run on from a checkpoint, with the optimizer's own state, on the plain
 * JavaScript backend: its arithmetic is the same in every process, so a resumed run can be
 * compared number for number with one that was never interrupted.
 */
let tf: Tf;
beforeAll(async () => {
  ({ tf } = await selectBackend('cpu'));
});

function circleSpec(): ModelSpec {
  const { spec } = specFromWorkspace(
    modelWorkspace('circle', 'Circle', [
      { key: 'input', args: { shape: [2] } },
      { key: 'dense', args: { units: 8, activation: 'relu' } },
      { key: 'dense', args: { units: 2, activation: 'softmax' } },
    ]),
  );
  return spec!;
}

function weightsOf(saved: SavedWeights): Float32Array {
  return new Float32Array(saved.weightData.slice().buffer);
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, value, i) => Math.max(worst, Math.abs(value - b[i]!)), 0);
}

describe.each(['adam', 'rmsprop', 'momentum'] as const)('resuming a %s run', (optimizer) => {
  const training: TrainingSpec = { ...DEFAULT_TRAINING, dataset: 'circle', optimizer, epochs: 4, batchSize: 16, learningRate: 0.02, seed: 21 };
  const base = () => ({ tf, build: buildModel, onEvent: () => {}, signal: new AbortController().signal });
  const job = (extra: Partial<TrainJob> = {}): TrainJob => ({ runId: 'r', spec: circleSpec(), dataset: builtInSource('circle'), training, ...extra });

  it('from epoch 2 with the optimizer state ends with the weights of the unbroken run', async () => {
    const checkpoints: Checkpoint[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const unbroken = await train(job(), {
      ...base(),
      onCheckpoint: (epoch, weights, optimizerState) => checkpoints.push({ epoch, weights, ...(optimizerState ? { optimizer: optimizerState } : {}) }),
    });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    const fromTwo = checkpoints[1]!;
    expect(fromTwo.optimizer?.weightData.byteLength).toBeGreaterThan(0);
    // TF.js's Momentum optimizer keeps one scalar after dispose (SGD's learning rate), resumed or not.
    const leftByAnyRun = tf.memory().numTensors - tensorsBefore;

    const resumed = await train(job({ resumeFrom: fromTwo }), base());
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([3, 4]);
    expect(largestDifference(weightsOf(resumed.weights), weightsOf(unbroken.weights))).toBeLessThan(1e-5);
    expect(resumed.epochs[1]!.loss).toBeCloseTo(unbroken.epochs[3]!.loss, 5);
    // Restoring the optimizer's variables leaves nothing behind.
    expect(tf.memory().numTensors - tensorsBefore).toBe(2 * leftByAnyRun);

    // Without its state the optimizer starts cold and the run drifts away: the state is what makes the match.
    const { optimizer: _dropped, ...weightsOnly } = fromTwo;
    const cold = await train(job({ resumeFrom: weightsOnly }), base());
    expect(largestDifference(weightsOf(cold.weights), weightsOf(unbroken.weights))).toBeGreaterThan(1e-3);
  });
});
