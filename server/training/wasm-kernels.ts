import type * as tfType from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Tf = typeof tfType;
type TensorInfo = tfType.TensorInfo;
type NamedAttrMap = tfType.NamedAttrMap;

/**
 * Kernels that tfjs-backend-wasm 4.22 lacks but training needs. Without
 * Conv2DBackpropFilter no model with a Conv2D layer can learn on wasm; the others are the
 * gradients of DepthwiseConv2D / SeparableConv2D and of Embedding (gather).
 */
const BORROWED_FROM_CPU = [
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
] as const;

type WasmKernel = (
  tf: Tf,
  backend: BackendWasm,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
  original: tfType.KernelFunc | undefined,
) => TensorInfo;

/**
 * Our own implementations. Conv2DBackpropFilter is missing from the wasm backend; its
 * Conv2DBackpropInput and MaxPoolGrad exist but are plain loops that took 60% of a small
 * CNN's training step, so they are replaced by versions built on the backend's SIMD MatMul
 * (or one pass over the data for pooling). Its MatMul itself is ~10× slower when asked to
 * transpose an operand — which every Dense layer's gradient does — so transposes are done
 * first, by the backend's Transpose kernel.
 */
const FAST_KERNELS: Record<string, WasmKernel> = {
  BatchMatMul: (tf, backend, inputs, attrs, original) => matMulWithoutTranspose(tf, backend, inputs as { a: TensorInfo; b: TensorInfo }, attrs, original!),
  Conv2DBackpropFilter: (tf, backend, inputs, attrs) => conv2DBackpropFilter(tf, backend, inputs as { x: TensorInfo; dy: TensorInfo }, attrs),
  Conv2DBackpropInput: (tf, backend, inputs, attrs) => conv2DBackpropInput(tf, backend, inputs as { dy: TensorInfo; filter: TensorInfo }, attrs),
  MaxPoolGrad: (tf, backend, inputs, attrs) => maxPoolGrad(tf, backend, inputs as { dy: TensorInfo; input: TensorInfo }, attrs),
};

const ourKernelFuncs = new WeakSet<tfType.KernelFunc>();

/**
 * Registers the missing and replaces the slow training kernels of the wasm backend; returns
 * the kernel names it (re)registered. Call after the wasm backend has initialised. Safe to call twice.
 */
export function installWasmTrainingKernels(tf: Tf): string[] {
  const registered: string[] = [];
  for (const [kernelName, impl] of Object.entries(FAST_KERNELS)) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (existing && ourKernelFuncs.has(existing.kernelFunc)) continue;
    if (existing) tf.unregisterKernel(kernelName, 'wasm');
    const original = existing?.kernelFunc;
    const kernelFunc: tfType.KernelFunc = ({ inputs, backend, attrs }) =>
      impl(tf, backend as BackendWasm, inputs as Record<string, TensorInfo>, attrs as NamedAttrMap, original);
    ourKernelFuncs.add(kernelFunc);
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    registered.push(kernelName);
  }
  for (const kernelName of BORROWED_FROM_CPU) {
    if (tf.getKernel(kernelName, 'wasm') || !tf.getKernel(kernelName, 'cpu')) continue;
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc: ({ inputs, backend, attrs }) => runOnCpu(tf, kernelName, backend as BackendWasm, inputs as Record<string, TensorInfo>, attrs as NamedAttrMap),
    });
    registered.push(kernelName);
  }
  return registered;
}

function matMulWithoutTranspose(
  tf: Tf,
  backend: BackendWasm,
  inputs: { a: TensorInfo; b: TensorInfo },
  attrs: NamedAttrMap,
  original: tfType.KernelFunc,
): TensorInfo {
  const { transposeA, transposeB } = attrs as { transposeA?: boolean; transposeB?: boolean };
  if (!transposeA && !transposeB) return original({ inputs, backend, attrs }) as TensorInfo;
  const transpose = tf.getKernel('Transpose', 'wasm')!.kernelFunc;
  const swapLastTwo = (x: TensorInfo): TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    perm.splice(-2, 2, perm.length - 1, perm.length - 2);
    return transpose({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo;
  };
  const a = transposeA ? swapLastTwo(inputs.a) : inputs.a;
  const b = transposeB ? swapLastTwo(inputs.b) : inputs.b;
  try {
    return original({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } }) as TensorInfo;
  } finally {
    if (a !== inputs.a) backend.disposeData(a.dataId);
    if (b !== inputs.b) backend.disposeData(b.dataId);
  }
}

/**
 * The geometry both convolution gradients share: TF.js's own conv info for NHWC data, plus
 * the patch-matrix sizes, K = kh·kw·ci rows and M = n·oh·ow columns.
 */
function im2colGeometry(
  tf: Tf,
  inputShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: NamedAttrMap,
) {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filterShape,
    attrs.strides as number | [number, number],
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    false,
    'channelsLast',
  );
  return {
    ...info,
    top: info.padInfo.top,
    left: info.padInfo.left,
    K: info.filterHeight * info.filterWidth * info.inChannels,
    M: info.batchSize * info.outHeight * info.outWidth,
  };
}

/**
 * dW[kh,kw,ci,co] = Σ over (n,oh,ow) of x[n, oh·sh+kh−top, ow·sw+kw−left, ci] · dy[n,oh,ow,co].
 * Written as one matrix product: patchesᵀ [K × M] times dy [M × Cout], with K = kh·kw·ci
 * and M = n·oh·ow, so the heavy part runs in the wasm backend's own (SIMD) MatMul.
 * The patches are laid out already transposed because that MatMul is fast only without
 * transposeA.
 */
function conv2DBackpropFilter(
  tf: Tf,
  backend: BackendWasm,
  inputs: { x: TensorInfo; dy: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo {
  const { x, dy } = inputs;
  const filterShape = attrs.filterShape as [number, number, number, number];
  const dataFormat = (attrs.dataFormat as 'NHWC' | 'NCHW' | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    // tfjs-layers always hands NHWC to the kernels, so this is only reachable from raw ops.
    throw new Error('Conv2DBackpropFilter on wasm supports only NHWC data.');
  }
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left, K, M } =
    im2colGeometry(tf, x.shape as [number, number, number, number], filterShape, attrs);

  // Allocate before taking heap views: an allocation may grow wasm memory and detach them.
  const patches = backend.makeOutput([1, K, M], 'float32');
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const cols = backend.typedArrayFromHeap(patches) as Float32Array;
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  const step = strideWidth * inChannels;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      // Output columns whose tap (kh, kw) lands inside the image; the rest read padding.
      const owFrom = Math.min(outWidth, Math.max(0, Math.ceil((left - kw) / strideWidth)));
      const owTo = Math.max(owFrom, Math.min(outWidth, Math.floor((inWidth - 1 - kw + left) / strideWidth) + 1));
      for (let ci = 0; ci < inChannels; ci++) {
        const k = (kh * filterWidth + kw) * inChannels + ci;
        let m = k * M;
        for (let n = 0; n < batchSize; n++) {
          const imageBase = n * imageStride + ci;
          for (let oh = 0; oh < outHeight; oh++, m += outWidth) {
            const ih = oh * strideHeight + kh - top;
            if (ih < 0 || ih >= inHeight) {
              cols.fill(0, m, m + outWidth);
              continue;
            }
            if (owFrom > 0) cols.fill(0, m, m + owFrom);
            let src = imageBase + ih * rowStride + (owFrom * strideWidth + kw - left) * inChannels;
            for (let ow = owFrom; ow < owTo; ow++, src += step) cols[m + ow] = xs[src]!;
            if (owTo < outWidth) cols.fill(0, m + owTo, m + outWidth);
          }
        }
      }
    }
  }

  const reshape = tf.getKernel('Reshape', 'wasm')!.kernelFunc;
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const dy3 = reshape({ inputs: { x: dy }, backend, attrs: { shape: [1, M, outChannels] } }) as TensorInfo;
  const product = matMul({
    inputs: { a: patches, b: dy3 },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
  backend.disposeData(patches.dataId);
  backend.disposeData(dy3.dataId);
  // [1, K, Cout] and [kh, kw, ci, co] share one row-major layout, so only the shape changes.
  return { dataId: product.dataId, shape: [...filterShape], dtype: 'float32' };
}

/**
 * dx = col2im(dy [M × Cout] · Wᵀ [Cout × K]): the matrix product gives, for every output
 * position, what each filter tap sends back; the scatter-add puts it on the input pixel.
 */
function conv2DBackpropInput(
  tf: Tf,
  backend: BackendWasm,
  inputs: { dy: TensorInfo; filter: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo {
  const { dy, filter } = inputs;
  const inputShape = attrs.inputShape as [number, number, number, number];
  if (((attrs.dataFormat as string | undefined) ?? 'NHWC') !== 'NHWC') {
    throw new Error('Conv2DBackpropInput on wasm supports only NHWC data.');
  }
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left, K, M } =
    im2colGeometry(tf, inputShape, filter.shape as [number, number, number, number], attrs);

  // The filter is tiny; transposing it here keeps the MatMul on its fast, untransposed path.
  const filterT = backend.makeOutput([1, outChannels, K], 'float32');
  {
    const w = backend.typedArrayFromHeap(filter) as Float32Array;
    const wT = backend.typedArrayFromHeap(filterT) as Float32Array;
    for (let k = 0; k < K; k++) for (let co = 0; co < outChannels; co++) wT[co * K + k] = w[k * outChannels + co];
  }
  const reshape = tf.getKernel('Reshape', 'wasm')!.kernelFunc;
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  const dy3 = reshape({ inputs: { x: dy }, backend, attrs: { shape: [1, M, outChannels] } }) as TensorInfo;
  const colsInfo = matMul({ inputs: { a: dy3, b: filterT }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
  backend.disposeData(dy3.dataId);
  backend.disposeData(filterT.dataId);

  const dx = backend.makeOutput([...inputShape], 'float32');
  const cols = backend.typedArrayFromHeap(colsInfo) as Float32Array;
  const dxs = backend.typedArrayFromHeap(dx) as Float32Array;
  dxs.fill(0);
  const rowStride = inWidth * inChannels;
  const imageStride = inHeight * rowStride;
  let m = 0;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, m++) {
        const colBase = m * K;
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight + kh - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth + kw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const dxBase = n * imageStride + ih * rowStride + iw * inChannels;
            const c = colBase + (kh * filterWidth + kw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) dxs[dxBase + ci] += cols[c + ci];
          }
        }
      }
    }
  }
  backend.disposeData(colsInfo.dataId);
  return dx;
}

/**
 * Sends each output gradient to the first maximum of its pooling window — the same
 * tie-break as the cpu backend, which matters after ReLU where windows of zeros are common.
 * (The wasm backend's native MaxPoolWithArgmax breaks ties differently, so it is not used.)
 */
function maxPoolGrad(
  tf: Tf,
  backend: BackendWasm,
  inputs: { dy: TensorInfo; input: TensorInfo },
  attrs: NamedAttrMap,
): TensorInfo {
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as number | [number, number],
    attrs.strides as number | [number, number],
    1,
    attrs.pad as 'valid' | 'same' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;

  const dx = backend.makeOutput([...input.shape], 'float32');
  const xs = backend.typedArrayFromHeap(input) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const dxs = backend.typedArrayFromHeap(dx) as Float32Array;
  dxs.fill(0);
  const rowStride = inWidth * channels;
  const imageStride = inHeight * rowStride;
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * imageStride;
    for (let oh = 0; oh < outHeight; oh++) {
      const hStart = oh * strideHeight - top;
      const hFrom = Math.max(0, hStart);
      const hTo = Math.min(inHeight, hStart + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const wStart = ow * strideWidth - left;
        const wFrom = Math.max(0, wStart);
        const wTo = Math.min(inWidth, wStart + filterWidth);
        for (let c = 0; c < channels; c++, o++) {
          let best = -Infinity;
          let bestIndex = -1;
          for (let ih = hFrom; ih < hTo; ih++) {
            let index = imageBase + ih * rowStride + wFrom * channels + c;
            for (let iw = wFrom; iw < wTo; iw++, index += channels) {
              if (xs[index] > best) {
                best = xs[index];
                bestIndex = index;
              }
            }
          }
          if (bestIndex >= 0) dxs[bestIndex] += dys[o];
        }
      }
    }
  }
  return dx;
}

/**
 * Runs a cpu-backend kernel on copies of the inputs and copies the result back. Slower than
 * a native kernel, but exact and one implementation for every rarely used gradient.
 */
function runOnCpu(
  tf: Tf,
  kernelName: string,
  backend: BackendWasm,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const cpu = tf.findBackend('cpu');
  const kernel = tf.getKernel(kernelName, 'cpu');
  if (!cpu || !kernel) throw new Error(`The cpu backend is needed to run ${kernelName} on wasm.`);
  const cpuInputs: Record<string, TensorInfo> = {};
  for (const [name, info] of Object.entries(inputs)) {
    cpuInputs[name] = { ...info, dataId: cpu.write(backend.readSync(info.dataId), info.shape, info.dtype) };
  }
  try {
    const result = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs }) as TensorInfo;
    const values = cpu.readSync(result.dataId);
    cpu.disposeData(result.dataId);
    return backend.makeOutput([...result.shape], result.dtype, undefined, values);
  } finally {
    for (const info of Object.values(cpuInputs)) cpu.disposeData(info.dataId);
  }
}
