import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend';

/** Deterministic, varied values (including exact ties after ReLU, which max pooling must break like cpu). */
function values(n: number, phase: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(Math.sin(i * 0.37 + phase) * 8) / 4);
}

type Grads = Record<string, number[]>;

async function resultsOn(backend: 'cpu' | 'wasm', run: () => Record<string, tf.Tensor>): Promise<Grads> {
  await tf.setBackend(backend);
  const grads = run();
  const out: Grads = {};
  for (const [name, t] of Object.entries(grads)) out[name] = Array.from(await t.data());
  tf.dispose(Object.values(grads));
  return out;
}

function maxDifference(a: Grads, b: Grads): number {
  let worst = 0;
  for (const name of Object.keys(a)) {
    expect(b[name]!.length).toBe(a[name]!.length);
    a[name]!.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[name]![i]!) / Math.max(1, Math.abs(v)))));
  }
  return worst;
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  const convCases = [
    { name: '3x3 valid stride 1', x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' as const },
    { name: '3x3 same stride 2', x: [2, 9, 8, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' as const },
    { name: '5x2 same stride [1,2]', x: [1, 7, 11, 2], filter: [5, 2, 2, 3], strides: [1, 2] as [number, number], pad: 'same' as const },
    { name: '3x3 same stride 1 (padding on every side)', x: [2, 6, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same' as const },
    { name: '1x1 valid', x: [3, 4, 4, 6], filter: [1, 1, 6, 2], strides: 1, pad: 'valid' as const },
    // Output channels in fours take the SIMD filter gradient; stride 1 takes the Conv2D input gradient.
    { name: 'SIMD: 3x3 valid stride 1, 8→16 channels', x: [2, 9, 9, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'valid' as const },
    { name: 'SIMD: 3x3 same stride 1, 1→8 channels (a first layer)', x: [3, 10, 10, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' as const },
    { name: 'SIMD: 3x3 same stride 2, 4→8 channels', x: [2, 9, 8, 4], filter: [3, 3, 4, 8], strides: 2, pad: 'same' as const },
    { name: 'SIMD: 5x2 same stride [1,2], 3→12 channels (partial blocks)', x: [1, 7, 11, 3], filter: [5, 2, 3, 12], strides: [1, 2] as [number, number], pad: 'same' as const },
    { name: 'SIMD: 3x3 valid stride 1, 2→20 channels (a partial block of outputs)', x: [2, 6, 7, 2], filter: [3, 3, 2, 20], strides: 1, pad: 'valid' as const },
    { name: 'SIMD: 7x7 same stride 1, 4→4 channels', x: [1, 9, 9, 4], filter: [7, 7, 4, 4], strides: 1, pad: 'same' as const },
    { name: 'SIMD: 4x4 same stride 1 (uneven padding)', x: [2, 6, 6, 4], filter: [4, 4, 4, 8], strides: 1, pad: 'same' as const },
  ];

  for (const c of convCases) {
    it(`conv2d gradients (filter and input) match the cpu backend: ${c.name}`, async () => {
      const run = () =>
        tf.tidy(() => {
          const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
          const x = tf.tensor4d(values(size(c.x), 0.3), c.x as [number, number, number, number]);
          const filter = tf.tensor4d(values(size(c.filter), 1.1), c.filter as [number, number, number, number]);
          const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) =>
            tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.strides, c.pad).square().sum(),
          )([x, filter]);
          return { dx: g[0]!, dFilter: g[1]! };
        });
      const cpu = await resultsOn('cpu', run);
      const wasm = await resultsOn('wasm', run);
      expect(cpu.dFilter!.some((v) => v !== 0)).toBe(true);
      expect(maxDifference(cpu, wasm)).toBeLessThan(1e-4);
    });
  }

  for (const [transposeA, transposeB] of [[true, false], [false, true], [true, true]] as const) {
    it(`batched matMul with transposeA=${transposeA}, transposeB=${transposeB} matches cpu`, async () => {
      const run = () =>
        tf.tidy(() => {
          const a = tf.tensor3d(values(2 * 5 * 3, 0.2), transposeA ? [2, 3, 5] : [2, 5, 3]);
          const b = tf.tensor3d(values(2 * 3 * 4, 0.7), transposeB ? [2, 4, 3] : [2, 3, 4]);
          return { product: tf.matMul(a, b, transposeA, transposeB) };
        });
      const cpu = await resultsOn('cpu', run);
      const wasm = await resultsOn('wasm', run);
      expect(cpu.product).toHaveLength(2 * 5 * 4);
      expect(maxDifference(cpu, wasm)).toBeLessThan(1e-5);
    });
  }

  for (const channels of [3, 8]) {
  it(`max-pool gradients match cpu, including ties after ReLU and "same" padding (${channels} channels)`, async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(2 * 7 * 7 * channels, 0.5), [2, 7, 7, channels]);
        const g = tf.grad((xx: tf.Tensor) => {
          const a = tf.maxPool(tf.relu(xx) as tf.Tensor4D, 2, 2, 'valid');
          const b = tf.maxPool(xx as tf.Tensor4D, 3, 2, 'same');
          return a.mul(a).sum().add(b.sum());
        })(x);
        return { dx: g };
      });
    const cpu = await resultsOn('cpu', run);
    const wasm = await resultsOn('wasm', run);
    expect(cpu.dx!.filter((v) => v !== 0).length).toBeGreaterThan(channels * 10);
    expect(maxDifference(cpu, wasm)).toBeLessThan(1e-5);
  });
  }

  it('adding a bias vector and summing it back (its gradient) match cpu, either operand order', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(2 * 5 * 3 * 8, 0.4), [2, 5, 3, 8]);
        const bias = tf.tensor1d(values(8, 2.1));
        const odd = tf.tensor1d(values(3, 1.3));
        const dense = tf.tensor2d(values(6 * 12, 0.8), [6, 12]);
        return {
          biasAfter: tf.add(x, bias),
          biasBefore: tf.add(bias, x),
          oddChannels: tf.add(tf.reshape(x, [2, 5, 8, 3]), odd),
          denseBias: tf.add(dense, tf.tensor1d(values(12, 0.1))),
          sumLeading: tf.sum(x, [0, 1, 2]),
          sumLeadingKept: tf.sum(x, [2, 0, 1], true),
          sumDense: tf.sum(dense, 0),
          sumMiddle: tf.sum(x, [1]),
          sumAll: tf.sum(x),
        };
      });
    const cpu = await resultsOn('cpu', run);
    const wasm = await resultsOn('wasm', run);
    expect(cpu.sumLeading).toHaveLength(8);
    expect(cpu.sumLeadingKept).toHaveLength(8);
    expect(maxDifference(cpu, wasm)).toBeLessThan(1e-5);
    await tf.setBackend('wasm');
    expect(tf.sum(tf.ones([2, 3, 4]), [0, 1], true).shape).toEqual([1, 1, 4]);
  });

  it('Adam steps (one fused kernel per weight on wasm) match tfjs\'s Adam on cpu, optimizer state included', async () => {
    const run = () => {
      // b has 7 weights: the fused kernel does four at a time and the last three apart.
      const weights = { w: tf.variable(tf.tensor2d(values(6 * 8, 0.3), [6, 8]), true, 'adamTestW'), b: tf.variable(tf.tensor1d(values(7, 1.7)), true, 'adamTestB') };
      const optimizer = tf.train.adam(0.05, 0.8, 0.95);
      const x = tf.tensor2d(values(5 * 6, 0.6), [5, 6]);
      for (let step = 0; step < 4; step++) {
        optimizer.minimize(() => tf.tidy(() => tf.matMul(x, weights.w).slice([0, 0], [5, 7]).add(weights.b).square().mean() as tf.Scalar));
      }
      const out: Record<string, tf.Tensor> = { w: weights.w.clone(), b: weights.b.clone() };
      return { out, optimizer, dispose: () => { tf.dispose([weights.w, weights.b, x]); optimizer.dispose(); } };
    };
    const on = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const { out, optimizer, dispose } = run();
      const state = await optimizer.getWeights();
      const result: Grads = { iterations: Array.from(await state[0]!.tensor.data()) };
      for (const { name, tensor } of state.slice(1)) result[name] = Array.from(await tensor.data());
      for (const [name, t] of Object.entries(out)) result[name] = Array.from(await t.data());
      tf.dispose(Object.values(out));
      dispose();
      return result;
    };
    const cpu = await on('cpu');
    const wasm = await on('wasm');
    expect(cpu.iterations).toEqual([4]);
    expect(Object.keys(wasm).sort()).toEqual(Object.keys(cpu).sort());
    expect(Object.keys(cpu)).toHaveLength(7);
    expect(maxDifference(cpu, wasm)).toBeLessThan(1e-6);
  });

  it('gradients of every weight in a small CNN match cpu', async () => {
    const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });
    const run = () =>
      tf.tidy(() => {
        const model = tf.sequential({
          layers: [
            tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: seeded(1) }),
            tf.layers.maxPooling2d({ poolSize: 2 }),
            tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: seeded(2) }),
            tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: seeded(3) }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 5, activation: 'softmax', kernelInitializer: seeded(4) }),
          ],
        });
        const x = tf.tensor4d(values(4 * 12 * 12, 0.9), [4, 12, 12, 1]).div(20);
        const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 5);
        const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar);
        const named: Record<string, tf.Tensor> = {};
        // Layer names carry a global counter; index by position so both runs line up.
        Object.values(grads).forEach((g, i) => (named[`w${i}`] = g));
        model.dispose();
        return named;
      });
    const cpu = await resultsOn('cpu', run);
    const wasm = await resultsOn('wasm', run);
    expect(Object.keys(cpu)).toHaveLength(8);
    expect(maxDifference(cpu, wasm)).toBeLessThan(1e-4);
  });
});
