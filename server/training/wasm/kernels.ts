import type * as tfType from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { installFusedAdam } from './adam';
import { filterGradBlocking, SimdKernels } from './simd';

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
 * CNN's training step. Its MatMul is ~10× slower when asked to transpose an operand — which
 * every Dense layer's gradient does — so transposes are done first, by its Transpose kernel.
 * Its Add with a bias vector and its Sum over all but the channel axis (the bias gradient)
 * broadcast one row at a time, 8× slower than a plain Add; its Identity and same-type Cast
 * copy whole tensors. Where a shape allows, the work goes to the SIMD kernels of ./simd
 * or to the backend's XNNPACK Conv2D; other shapes keep the plainer versions below (or the
 * stock kernel). Adam's update is fused too (./adam). Measured effect on the reference
 * CNN (batch 64, Adam, one core): 3,000 → about 6,500 samples/s; see bench/training.ts.
 */
const FAST_KERNELS: Record<string, WasmKernel> = {
  Add: (tf, backend, inputs, attrs, original) => addBias(backend, inputs as { a: TensorInfo; b: TensorInfo }, attrs, original!),
  Cast: (tf, backend, inputs, attrs, original) =>
    (attrs.dtype === inputs.x!.dtype ? shareData(backend, inputs.x!) : null) ?? (original!({ inputs, backend, attrs }) as TensorInfo),
  Identity: (tf, backend, inputs, attrs, original) => shareData(backend, inputs.x!) ?? (original!({ inputs, backend, attrs }) as TensorInfo),
  BatchMatMul: (tf, backend, inputs, attrs, original) => matMulWithoutTranspose(tf, backend, inputs as { a: TensorInfo; b: TensorInfo }, attrs, original!),
  Conv2DBackpropFilter: (tf, backend, inputs, attrs) => conv2DBackpropFilter(tf, backend, inputs as { x: TensorInfo; dy: TensorInfo }, attrs),
  Conv2DBackpropInput: (tf, backend, inputs, attrs) => conv2DBackpropInput(tf, backend, inputs as { dy: TensorInfo; filter: TensorInfo }, attrs),
  MaxPoolGrad: (tf, backend, inputs, attrs) => maxPoolGrad(tf, backend, inputs as { dy: TensorInfo; input: TensorInfo }, attrs),
  Sum: (tf, backend, inputs, attrs, original) => sumOverLeadingAxes(tf, backend, inputs as { x: TensorInfo }, attrs, original!),
};

/**
 * The stock Identity and Cast (to the same type) copy the tensor; every layer output passes
 * through a few of them while training. Sharing the data with one more reference is what the
 * cpu backend does: the backend frees it when the last reference is disposed.
 */
function shareData(backend: BackendWasm, x: TensorInfo): TensorInfo | null {
  const data = backend.dataIdMap.get(x.dataId) as { refCount: number } | undefined;
  if (!data || x.dtype === 'string' || x.dtype === 'complex64') return null;
  data.refCount++;
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

const simdByBackend = new WeakMap<BackendWasm, SimdKernels | null>();

/**
 * The SIMD kernels for this backend's heap, or null where they cannot be assembled (a
 * runtime without WebAssembly SIMD): callers then take their plain path.
 */
function simdKernels(backend: BackendWasm): SimdKernels | null {
  let kernels = simdByBackend.get(backend);
  if (kernels === undefined) {
    try {
      kernels = new SimdKernels(heapMemory(backend));
    } catch {
      kernels = null;
    }
    simdByBackend.set(backend, kernels);
  }
  return kernels;
}

/** The backend's WebAssembly.Memory: exported by the single-threaded build, created in JS by the threaded one. */
function heapMemory(backend: BackendWasm): WebAssembly.Memory {
  const module = backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  const memory = module.asm?.memory ?? module.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('The wasm backend does not expose its memory.');
  return memory;
}

/** Byte address of a tensor's data in the wasm heap. */
function heapAddress(backend: BackendWasm, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

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
  installFusedAdam(tf, simdKernels);
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
  const geometry = im2colGeometry(tf, x.shape as [number, number, number, number], filterShape, attrs);
  const simd = simdKernels(backend);
  if (simd && geometry.outChannels % 4 === 0 && geometry.M > 0) return conv2DBackpropFilterSimd(backend, simd, x, dy, filterShape, geometry);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left, K, M } = geometry;

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
 * The same gradient straight from x and dy by the SIMD kernel, block by block (see
 * filterGradBlocking): no patch matrix, and no packing of dy as MatMul weights. The kernel
 * reads every filter tap of every output position, so padding becomes real zeros in a
 * copy of x first.
 */
function conv2DBackpropFilterSimd(
  backend: BackendWasm,
  simd: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  g: ReturnType<typeof im2colGeometry>,
): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left } = g;
  const paddedHeight = Math.max(inHeight + top, (outHeight - 1) * strideHeight + filterHeight);
  const paddedWidth = Math.max(inWidth + left, (outWidth - 1) * strideWidth + filterWidth);
  const padded = paddedHeight !== inHeight || paddedWidth !== inWidth ? backend.makeOutput([batchSize, paddedHeight, paddedWidth, inChannels], 'float32') : null;
  if (padded) {
    const to = backend.typedArrayFromHeap(padded) as Float32Array;
    const from = backend.typedArrayFromHeap(x) as Float32Array;
    to.fill(0);
    const rowLength = inWidth * inChannels;
    for (let n = 0; n < batchSize; n++) {
      for (let ih = 0; ih < inHeight; ih++) {
        const source = (n * inHeight + ih) * rowLength;
        to.set(from.subarray(source, source + rowLength), ((n * paddedHeight + ih + top) * paddedWidth + left) * inChannels);
      }
    }
  }
  const dw = backend.makeOutput([...filterShape], 'float32');
  const xBase = heapAddress(backend, padded ?? x);
  const dyBase = heapAddress(backend, dy);
  const dwBase = heapAddress(backend, dw);
  const columnBytes = inChannels * 4;
  const rowBytes = paddedWidth * columnBytes;
  const { tapsPerBlock, inPerBlock, outVectors } = filterGradBlocking(filterWidth, inChannels, outChannels);
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw += tapsPerBlock) {
      for (let ci = 0; ci < inChannels; ci += inPerBlock) {
        for (let co = 0; co < outChannels; co += outVectors * 4) {
          simd.filterGradBlock(
            {
              tapsPerBlock: Math.min(tapsPerBlock, filterWidth - kw),
              inPerBlock: Math.min(inPerBlock, inChannels - ci),
              outVectors: Math.min(outVectors, (outChannels - co) / 4),
              tapStrideBytes: columnBytes,
              inChannels,
              outChannels,
            },
            xBase + kh * rowBytes + kw * columnBytes + ci * 4,
            dyBase + co * 4,
            dwBase + (((kh * filterWidth + kw) * inChannels + ci) * outChannels + co) * 4,
            batchSize, outHeight, outWidth,
            paddedHeight * rowBytes, strideHeight * rowBytes, strideWidth * columnBytes,
          );
        }
      }
    }
  }
  if (padded) backend.disposeData(padded.dataId);
  return dw;
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
  const geometry = im2colGeometry(tf, inputShape, filter.shape as [number, number, number, number], attrs);
  const viaConv2D = conv2DBackpropInputByConv2D(tf, backend, dy, filter, geometry);
  if (viaConv2D) return viaConv2D;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left, K, M } = geometry;

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
 * With stride 1 the input gradient is itself a convolution: dy, padded so that every input
 * pixel sees each filter tap that touched it, convolved with the filter turned 180° and its
 * in/out channels swapped. That runs in the backend's XNNPACK Conv2D (the padding is passed
 * to it, not copied), about as fast as the forward pass. Returns null for other strides.
 */
function conv2DBackpropInputByConv2D(
  tf: Tf,
  backend: BackendWasm,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ReturnType<typeof im2colGeometry>,
): TensorInfo | null {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left } = g;
  const pads = {
    top: filterHeight - 1 - top,
    bottom: inHeight - outHeight + top,
    left: filterWidth - 1 - left,
    right: inWidth - outWidth + left,
  };
  if (strideHeight !== 1 || strideWidth !== 1 || Object.values(pads).some((p) => p < 0) || g.M === 0) return null;
  const turned = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
  const w = backend.typedArrayFromHeap(filter) as Float32Array;
  const t = backend.typedArrayFromHeap(turned) as Float32Array;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const from = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * inChannels * outChannels;
      const to = (kh * filterWidth + kw) * outChannels * inChannels;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++) t[to + co * inChannels + ci] = w[from + ci * outChannels + co]!;
      }
    }
  }
  try {
    return tf.getKernel('Conv2D', 'wasm')!.kernelFunc({
      inputs: { x: dy, filter: turned },
      backend,
      attrs: {
        strides: [1, 1],
        pad: [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [1, 1],
      },
    }) as TensorInfo;
  } finally {
    backend.disposeData(turned.dataId);
  }
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
  const simd = simdKernels(backend);
  if (simd && channels % 4 === 0 && channels > 0) {
    (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
    const windowsTile =
      strideHeight >= filterHeight && strideWidth >= filterWidth && top === 0 && left === 0 &&
      (outHeight - 1) * strideHeight + filterHeight <= inHeight && (outWidth - 1) * strideWidth + filterWidth <= inWidth;
    if (windowsTile) {
      simd.maxPoolGradTiled({
        x: heapAddress(backend, input), dy: heapAddress(backend, dy), dx: heapAddress(backend, dx),
        batch: batchSize, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth,
      });
      return dx;
    }
    simd.maxPoolGrad({
      x: heapAddress(backend, input), dy: heapAddress(backend, dy), dx: heapAddress(backend, dx),
      batch: batchSize, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, top, left,
    });
    return dx;
  }
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

/** a + bias, where bias is a vector as long as a's last axis (a Conv2D or Dense bias). */
function addBias(backend: BackendWasm, inputs: { a: TensorInfo; b: TensorInfo }, attrs: NamedAttrMap, original: tfType.KernelFunc): TensorInfo {
  const { a, b } = inputs;
  const [wide, bias] = b.shape.length === 1 ? [a, b] : a.shape.length === 1 ? [b, a] : [null, null];
  const channels = bias?.shape[0] ?? 0;
  const simd = simdKernels(backend);
  if (
    !simd || !wide || !bias || wide.shape.length < 2 || a.dtype !== 'float32' || b.dtype !== 'float32' ||
    channels % 4 !== 0 || channels === 0 || wide.shape[wide.shape.length - 1] !== channels
  ) {
    return original({ inputs, backend, attrs }) as TensorInfo;
  }
  const out = backend.makeOutput([...wide.shape], 'float32');
  const rows = sizeOf(wide.shape) / channels;
  simd.biasAdd(heapAddress(backend, wide), heapAddress(backend, bias), heapAddress(backend, out), rows, channels / 4);
  return out;
}

/** Σ over every axis but the last: the gradient of a bias. Other reductions go to the stock kernel. */
function sumOverLeadingAxes(tf: Tf, backend: BackendWasm, inputs: { x: TensorInfo }, attrs: NamedAttrMap, original: tfType.KernelFunc): TensorInfo {
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape).sort((p, q) => p - q);
  const channels = x.shape[rank - 1] ?? 0;
  const simd = simdKernels(backend);
  if (!simd || x.dtype !== 'float32' || rank < 2 || axes.length !== rank - 1 || axes.some((axis, i) => axis !== i) || channels % 4 !== 0 || channels === 0) {
    return original({ inputs, backend, attrs }) as TensorInfo;
  }
  const shape = attrs.keepDims ? [...new Array<number>(rank - 1).fill(1), channels] : [channels];
  const out = backend.makeOutput(shape, 'float32');
  simd.columnSum(heapAddress(backend, x), heapAddress(backend, out), sizeOf(x.shape) / channels, channels / 4);
  return out;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, q) => p * q, 1);
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
