import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend';

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

  it('max-pool gradients match cpu, including ties after ReLU and "same" padding', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(2 * 7 * 7 * 3, 0.5), [2, 7, 7, 3]);
        const g = tf.grad((xx: tf.Tensor) => {
          const a = tf.maxPool(tf.relu(xx) as tf.Tensor4D, 2, 2, 'valid');
          const b = tf.maxPool(xx as tf.Tensor4D, 3, 2, 'same');
          return a.mul(a).sum().add(b.sum());
        })(x);
        return { dx: g };
      });
    const cpu = await resultsOn('cpu', run);
    const wasm = await resultsOn('wasm', run);
    expect(maxDifference(cpu, wasm)).toBeLessThan(1e-5);
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
