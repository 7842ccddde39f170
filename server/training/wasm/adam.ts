import type * as tfType from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { SimdKernels } from './simd';

type Tf = typeof tfType;
type TensorInfo = tfType.TensorInfo;

/** The kernel that does one variable's Adam step on wasm. */
export const FUSED_ADAM = 'LayerbookFusedAdam';

interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tfType.Variable;
  accBeta2: tfType.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tfType.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tfType.Variable }[];
  incrementIterations(): void;
}

type ApplyGradients = tfType.AdamOptimizer['applyGradients'];
const patched = new WeakSet<object>();

/**
 * tfjs's AdamOptimizer updates each variable with about 13 elementwise kernels; with the
 * engine's bookkeeping around each, the optimizer was a fifth of an MLP's training step on
 * wasm. On the wasm backend this replaces them with one SIMD pass per variable (same
 * operations, same order, same float32 rounding: see writeAdam in ./simd), keeping the
 * optimizer's state (moment variables, iteration count) exactly as tfjs keeps it, so saving
 * and restoring optimizer weights still works. Other backends run tfjs's own code.
 *
 * The optimizer is made by tfjs-layers' compile(), so the method is replaced on the class.
 */
export function installFusedAdam(tf: Tf, simdFor: (backend: BackendWasm) => SimdKernels | null): void {
  if (!tf.getKernel(FUSED_ADAM, 'wasm')) {
    tf.registerKernel({
      kernelName: FUSED_ADAM,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => fusedAdam(simdFor(backend as BackendWasm)!, backend as BackendWasm, inputs as FusedAdamInputs, attrs as unknown as FusedAdamAttrs),
    });
  }
  const prototype = tf.AdamOptimizer.prototype;
  if (patched.has(prototype)) return;
  patched.add(prototype);
  const stock: ApplyGradients = prototype.applyGradients;
  prototype.applyGradients = function (this: tfType.AdamOptimizer, variableGradients) {
    const backend = tf.backend() as BackendWasm;
    if (tf.getBackend() !== 'wasm' || !simdFor(backend)) return stock.call(this, variableGradients);
    fusedApplyGradients(tf, this as unknown as AdamInternals, variableGradients);
  };
}

/** tfjs's AdamOptimizer.applyGradients with the per-variable arithmetic in one kernel. */
function fusedApplyGradients(tf: Tf, adam: AdamInternals, variableGradients: Parameters<ApplyGradients>[0]): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  tf.tidy(() => {
    const oneMinusAccBeta1 = tf.sub(1, adam.accBeta1);
    const oneMinusAccBeta2 = tf.sub(1, adam.accBeta2);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      const trainable = false;
      adam.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(trainable)) };
      adam.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(trainable)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const firstMoment = adam.accumulatedFirstMoment[i]!.variable;
      const secondMoment = adam.accumulatedSecondMoment[i]!.variable;
      const attrs: FusedAdamAttrs = { beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, learningRate: adam.learningRate };
      const [newValue, newFirstMoment, newSecondMoment] = tf.engine().runKernel(
        FUSED_ADAM,
        { value, m: firstMoment, v: secondMoment, gradient, oneMinusAccBeta1, oneMinusAccBeta2 },
        attrs as unknown as tfType.NamedAttrMap,
      ) as tfType.Tensor[];
      firstMoment.assign(newFirstMoment!);
      secondMoment.assign(newSecondMoment!);
      value.assign(newValue!);
    });
    adam.accBeta1.assign(tf.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tf.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}

interface FusedAdamInputs {
  [name: string]: TensorInfo;
  value: TensorInfo;
  m: TensorInfo;
  v: TensorInfo;
  gradient: TensorInfo;
  oneMinusAccBeta1: TensorInfo;
  oneMinusAccBeta2: TensorInfo;
}

interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

function fusedAdam(simd: SimdKernels, backend: BackendWasm, inputs: FusedAdamInputs, attrs: FusedAdamAttrs): TensorInfo[] {
  const { value, m, v, gradient } = inputs;
  for (const info of [value, m, v, gradient]) {
    if (info.dtype !== 'float32') throw new Error(`${FUSED_ADAM} takes float32 tensors, not ${info.dtype}.`);
  }
  const size = value.shape.reduce((p, q) => p * q, 1);
  const outputs = [0, 1, 2].map(() => backend.makeOutput([...value.shape], 'float32'));
  const constants = backend.makeOutput([8], 'float32');
  // Views only after every allocation: one may grow the heap and detach earlier views.
  const heap = (info: TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;
  const c = heap(constants);
  // Float32Array rounds each to float32, as the scalar tensors of tfjs's version are.
  c.set([attrs.beta1, 1 - attrs.beta1, attrs.beta2, 1 - attrs.beta2, heap(inputs.oneMinusAccBeta1)[0]!, heap(inputs.oneMinusAccBeta2)[0]!, attrs.epsilon, -attrs.learningRate]);
  const address = (info: TensorInfo) => heap(info).byteOffset;
  const vectors = size >> 2;
  const [newValue, newM, newV] = outputs as [TensorInfo, TensorInfo, TensorInfo];
  simd.adam({
    value: address(value), m: address(m), v: address(v), gradient: address(gradient), constants: address(constants),
    newValue: address(newValue), newM: address(newM), newV: address(newV), vectors,
  });
  if (size % 4 !== 0) {
    // The last one to three weights, in JS with float32 rounding after every operation.
    const f = Math.fround;
    const [W, M, V, G, W2, M2, V2] = [value, m, v, gradient, newValue, newM, newV].map(heap) as Float32Array[];
    const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1, correction2, epsilon, minusRate] = c as unknown as number[];
    for (let i = vectors * 4; i < size; i++) {
      const g = G![i]!;
      const mNext = f(f(M![i]! * beta1!) + f(g * oneMinusBeta1!));
      const vNext = f(f(V![i]! * beta2!) + f(f(g * g) * oneMinusBeta2!));
      M2![i] = mNext;
      V2![i] = vNext;
      const step = f(f(mNext / correction1!) / f(f(Math.sqrt(f(vNext / correction2!))) + epsilon!));
      W2![i] = f(f(step * minusRate!) + W![i]!);
    }
  }
  backend.disposeData(constants.dataId);
  return outputs;
}
