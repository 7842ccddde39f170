/**
 * Training kernels written directly in WebAssembly SIMD, assembled here at run time and run
 * on the wasm backend's own heap (the module imports the backend's memory), so tensors are
 * read and written where they lie, without copies.
 *
 * Why not JavaScript: these loops (the convolution filter gradient, max-pool gradient, bias
 * add and bias gradient, Adam's update) were the largest part of a small CNN's training
 * step; plain JS handles one float at a time, these handle four. Why not the backend's XNNPACK MatMul: it
 * re-packs its second operand on every call with a new tensor, and in a filter gradient that
 * operand is the whole output gradient (a 43264×8 matrix for MNIST's first layer), which cost
 * more than the product itself. Why assembled here rather than compiled from C: there is no
 * wasm toolchain in this project, and generating the code lets each kernel be specialised to
 * the layer's channel counts (its accumulators then live in registers).
 *
 * Every kernel has a plain-JS or stock-kernel fallback in ./kernels for the shapes it
 * does not cover (channel counts that are not multiples of 4), and is tested against the cpu
 * backend in ./kernels.test.ts.
 */

const I32 = 0x7f;
const V128 = 0x7b;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A local variable of the function being written: its index and type. */
interface Local {
  index: number;
  type: typeof I32 | typeof V128;
}

/**
 * Writes one function body. Methods push instructions (stack machine order) and return
 * `this`, so code reads top to bottom like the WebAssembly text format.
 */
class FunctionWriter {
  readonly code: number[] = [];
  readonly params: Local[];
  private readonly locals: Local[] = [];

  constructor(readonly paramCount: number) {
    this.params = Array.from({ length: paramCount }, (_, index) => ({ index, type: I32 }) as Local);
  }

  i32Local(): Local {
    return this.local(I32);
  }

  v128Local(): Local {
    return this.local(V128);
  }

  private local(type: Local['type']): Local {
    const local = { index: this.paramCount + this.locals.length, type } as Local;
    this.locals.push(local);
    return local;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }

  private simd(opcode: number, ...immediates: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...immediates);
  }

  get(local: Local): this {
    return this.op(0x20, ...uleb(local.index));
  }
  set(local: Local): this {
    return this.op(0x21, ...uleb(local.index));
  }
  i32(value: number): this {
    return this.op(0x41, ...sleb(value));
  }
  add(): this {
    return this.op(0x6a);
  }
  sub(): this {
    return this.op(0x6b);
  }
  mul(): this {
    return this.op(0x6c);
  }
  shrU(): this {
    return this.op(0x76);
  }
  ltS(): this {
    return this.op(0x48);
  }
  gtS(): this {
    return this.op(0x4a);
  }
  geS(): this {
    return this.op(0x4e);
  }
  /** local += value */
  addTo(local: Local, value: Local | number): this {
    this.get(local);
    if (typeof value === 'number') this.i32(value);
    else this.get(value);
    return this.add().set(local);
  }

  f32(value: number): this {
    const bytes = new Uint8Array(new Float32Array([value]).buffer);
    return this.op(0x43, ...bytes);
  }
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f32Add(): this {
    return this.op(0x92);
  }
  v128Load(offset = 0): this {
    return this.simd(0x00, 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(0x0b, 4, ...uleb(offset));
  }
  v128Zero(): this {
    return this.simd(0x0c, ...new Array<number>(16).fill(0));
  }
  /** A constant vector of four equal int32 lanes. */
  i32x4Const(value: number): this {
    return this.simd(0x0c, ...Array.from({ length: 4 }, () => [...new Uint8Array(new Int32Array([value]).buffer)]).flat());
  }
  i32x4Eq(): this {
    return this.simd(0x37);
  }
  v128And(): this {
    return this.simd(0x4e);
  }
  i32x4Splat(): this {
    return this.simd(0x11);
  }
  i32x4ExtractLane(lane: number): this {
    return this.simd(0x1b, lane);
  }
  f32x4Splat(): this {
    return this.simd(0x13);
  }
  f32x4ExtractLane(lane: number): this {
    return this.simd(0x1f, lane);
  }
  f32x4Gt(): this {
    return this.simd(0x44);
  }
  /** (a, b, mask) → a where mask is set, else b */
  bitselect(): this {
    return this.simd(0x52);
  }
  f32x4Add(): this {
    return this.simd(0xe4);
  }
  f32x4Mul(): this {
    return this.simd(0xe6);
  }
  f32x4Div(): this {
    return this.simd(0xe7);
  }
  f32x4Sqrt(): this {
    return this.simd(0xe3);
  }

  /** if (condition on the stack) { then() } */
  if(then: () => void): this {
    this.op(0x04, 0x40);
    then();
    return this.op(0x0b);
  }

  /**
   * do { body() } while (--counter !== 0): the caller guarantees at least one iteration,
   * which saves a test per loop in the hot paths.
   */
  repeat(counter: Local, body: () => void): this {
    this.op(0x03, 0x40);
    body();
    this.get(counter).i32(1).sub().set(counter);
    this.get(counter).i32(0).gtS().op(0x0d, 0);
    return this.op(0x0b);
  }

  /** for (counter = from; counter < to; counter++) { body() } */
  forRange(counter: Local, from: Local | number, to: Local, body: () => void): this {
    if (typeof from === 'number') this.i32(from);
    else this.get(from);
    this.set(counter);
    this.op(0x02, 0x40, 0x03, 0x40);
    this.get(counter).get(to).geS().op(0x0d, 1);
    body();
    this.addTo(counter, 1);
    return this.op(0x0c, 0, 0x0b, 0x0b);
  }

  /** Locals grouped by type, as the code section wants them. */
  encodedBody(): number[] {
    const groups: [number, number][] = [];
    for (const local of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === local.type) last[0]++;
      else groups.push([1, local.type]);
    }
    const body = [...uleb(groups.length), ...groups.flatMap(([count, type]) => [...uleb(count), type]), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

/** A module of exported functions over an imported memory; every parameter is an i32. */
function assemble(memory: WebAssembly.Memory, functions: { name: string; writer: FunctionWriter }[]): WebAssembly.Exports {
  const section = (id: number, bytes: number[]) => [id, ...uleb(bytes.length), ...bytes];
  const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
  const name = (text: string) => {
    const bytes = [...Buffer.from(text, 'utf8')];
    return [...uleb(bytes.length), ...bytes];
  };
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  // A shared memory must be imported with a maximum; 65536 pages is wasm32's whole range.
  const memoryType = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const types = functions.map(({ writer }) => [0x60, ...uleb(writer.paramCount), ...new Array<number>(writer.paramCount).fill(I32), 0]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector([[...name('env'), ...name('memory'), 0x02, ...memoryType]])),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(functions.map((f) => f.writer.encodedBody()))),
  ];
  const module = new WebAssembly.Module(new Uint8Array(bytes));
  return new WebAssembly.Instance(module, { env: { memory } }).exports;
}

/**
 * How the filter gradient is cut into blocks: each call of the kernel accumulates
 * `tapsPerBlock` neighbouring filter columns × `inPerBlock` input channels × `outVectors`·4
 * output channels, all held in registers while it streams over every output position once.
 * About 12 accumulators fit in x86's 16 vector registers beside the gradient vectors.
 */
export interface FilterGradBlocking {
  outVectors: number;
  tapsPerBlock: number;
  inPerBlock: number;
}

export function filterGradBlocking(filterWidth: number, inChannels: number, outChannels: number): FilterGradBlocking {
  const outVectors = Math.min(outChannels / 4, 4);
  const tapsPerBlock = Math.max(1, Math.min(filterWidth, Math.floor(12 / outVectors)));
  const inPerBlock = Math.max(1, Math.min(inChannels, Math.floor(12 / (outVectors * tapsPerBlock))));
  return { outVectors, tapsPerBlock, inPerBlock };
}

export interface FilterGradGeometry extends FilterGradBlocking {
  /** Bytes between neighbouring filter columns in x: dilation × in-channels × 4. */
  tapStrideBytes: number;
  inChannels: number;
  outChannels: number;
}

/**
 * Kernels assembled for one wasm heap. Pointers and strides are byte offsets into it.
 */
export class SimdKernels {
  private readonly filterGradCache = new Map<string, (...args: number[]) => void>();
  private readonly tiledPoolGradCache = new Map<string, (...args: number[]) => void>();
  private readonly fixed: {
    biasAdd: (a: number, bias: number, out: number, rows: number, vectors: number) => void;
    columnSum: (x: number, out: number, rows: number, vectors: number) => void;
    maxPoolGrad: (...args: number[]) => void;
    adam: (...args: number[]) => void;
  };

  constructor(private readonly memory: WebAssembly.Memory) {
    const exports = assemble(memory, [
      { name: 'biasAdd', writer: writeBiasAdd() },
      { name: 'columnSum', writer: writeColumnSum() },
      { name: 'maxPoolGrad', writer: writeMaxPoolGrad() },
      { name: 'adam', writer: writeAdam() },
    ]);
    this.fixed = exports as unknown as SimdKernels['fixed'];
  }

  /** out[r, c] = a[r, c] + bias[c]; `vectors` = channels / 4. */
  biasAdd(a: number, bias: number, out: number, rows: number, vectors: number): void {
    if (rows > 0) this.fixed.biasAdd(a, bias, out, rows, vectors);
  }

  /** out[c] = Σ_r x[r, c]; `vectors` = channels / 4. */
  columnSum(x: number, out: number, rows: number, vectors: number): void {
    this.fixed.columnSum(x, out, rows, vectors);
  }

  /**
   * dx (zeroed by the caller) gets each dy at the first maximum of its pooling window.
   * Channels must be a multiple of 4. All sizes in elements, pointers in bytes.
   */
  maxPoolGrad(p: {
    x: number; dy: number; dx: number;
    batch: number; inHeight: number; inWidth: number; channels: number; outHeight: number; outWidth: number;
    filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number; top: number; left: number;
  }): void {
    this.fixed.maxPoolGrad(
      p.x, p.dy, p.dx, p.batch, p.inHeight, p.inWidth, p.channels, p.outHeight, p.outWidth,
      p.filterHeight, p.filterWidth, p.strideHeight, p.strideWidth, p.top, p.left,
    );
  }

  /**
   * maxPoolGrad for windows that neither overlap nor cross the image's edge (the usual 2×2
   * stride 2): each window is written whole with vector stores, no read-modify-write. Cells
   * outside every window are left as they are, so dx must be zeroed first.
   */
  maxPoolGradTiled(p: {
    x: number; dy: number; dx: number;
    batch: number; inHeight: number; inWidth: number; channels: number; outHeight: number; outWidth: number;
    filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number;
  }): void {
    const key = `${p.filterHeight}/${p.filterWidth}/${p.channels}/${p.inWidth}`;
    let kernel = this.tiledPoolGradCache.get(key);
    if (!kernel) {
      kernel = assemble(this.memory, [{ name: 'run', writer: writeMaxPoolGradTiled(p.filterHeight, p.filterWidth, p.channels, p.inWidth) }]).run as (...args: number[]) => void;
      this.tiledPoolGradCache.set(key, kernel);
    }
    const columnBytes = p.channels * 4;
    const rowBytes = p.inWidth * columnBytes;
    if (p.batch > 0 && p.outHeight > 0 && p.outWidth > 0) {
      kernel(p.x, p.dy, p.dx, p.batch, p.outHeight, p.outWidth, p.inHeight * rowBytes, p.strideHeight * rowBytes, p.strideWidth * columnBytes);
    }
  }

  /**
   * One Adam step over `vectors`·4 weights; see writeAdam. `constants` points at eight
   * floats: β1, 1−β1, β2, 1−β2, 1−β1^t, 1−β2^t, ε, −learning rate.
   */
  adam(p: { value: number; m: number; v: number; gradient: number; constants: number; newValue: number; newM: number; newV: number; vectors: number }): void {
    if (p.vectors > 0) this.fixed.adam(p.value, p.m, p.v, p.gradient, p.constants, p.newValue, p.newM, p.newV, p.vectors);
  }

  /**
   * One block of a convolution's filter gradient: for each of `batch × outHeight × outWidth`
   * output positions, multiplies the block's x values by the position's dy vectors and
   * accumulates; then stores the block into dW. `x` points at the block's first x value for
   * output position (0, 0); `dy` at the block's first output channel of position (0, 0).
   */
  filterGradBlock(
    g: FilterGradGeometry,
    x: number, dy: number, dw: number,
    batch: number, outHeight: number, outWidth: number,
    xImageStride: number, xRowStride: number, xColumnStride: number,
  ): void {
    const key = `${g.outVectors}/${g.tapsPerBlock}/${g.inPerBlock}/${g.tapStrideBytes}/${g.inChannels}/${g.outChannels}`;
    let kernel = this.filterGradCache.get(key);
    if (!kernel) {
      kernel = assemble(this.memory, [{ name: 'run', writer: writeFilterGrad(g) }]).run as (...args: number[]) => void;
      this.filterGradCache.set(key, kernel);
    }
    kernel(x, dy, dw, batch, outHeight, outWidth, xImageStride, xRowStride, xColumnStride);
  }
}

function writeBiasAdd(): FunctionWriter {
  const f = new FunctionWriter(5);
  const [a, bias, out, rows, vectors] = f.params as [Local, Local, Local, Local, Local];
  const b = f.i32Local();
  const v = f.i32Local();
  f.repeat(rows, () => {
    f.get(bias).set(b).get(vectors).set(v);
    f.repeat(v, () => {
      f.get(out).get(a).v128Load().get(b).v128Load().f32x4Add().v128Store();
      f.addTo(a, 16).addTo(b, 16).addTo(out, 16);
    });
  });
  return f;
}

function writeColumnSum(): FunctionWriter {
  const f = new FunctionWriter(4);
  const [x, out, rows, vectors] = f.params as [Local, Local, Local, Local];
  const o = f.i32Local();
  const v = f.i32Local();
  // Zero the output, then add each row into it: `out` is a few hundred bytes and stays in L1.
  f.get(out).set(o).get(vectors).set(v);
  f.repeat(v, () => {
    f.get(o).v128Zero().v128Store().addTo(o, 16);
  });
  f.get(rows).i32(0).gtS().if(() => {
    f.repeat(rows, () => {
      f.get(out).set(o).get(vectors).set(v);
      f.repeat(v, () => {
        f.get(o).get(o).v128Load().get(x).v128Load().f32x4Add().v128Store();
        f.addTo(o, 16).addTo(x, 16);
      });
    });
  });
  return f;
}

/**
 * For every output position and group of four channels, scans the pooling window keeping the
 * first maximum per lane (strictly greater replaces, as in the cpu backend), then adds the
 * four dy values at those places. Windows may overlap (3×3 stride 2), so the adds are scalar.
 */
function writeMaxPoolGrad(): FunctionWriter {
  const f = new FunctionWriter(15);
  const [x, dy, dx, batch, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, top, left] =
    f.params as Local[] as [Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const [n, oh, ow, c, ih, iw, hFrom, hTo, wFrom, wTo, columnBytes, rowBytes, imageBytes, row, address, vectorsLeft] =
    Array.from({ length: 16 }, () => f.i32Local());
  const [best, bestAt, value, mask, dyv] = Array.from({ length: 5 }, () => f.v128Local());

  f.get(channels).i32(4).mul().set(columnBytes!);
  f.get(inWidth).get(columnBytes!).mul().set(rowBytes!);
  f.get(inHeight).get(rowBytes!).mul().set(imageBytes!);
  /** into = clamp(origin·stride − pad (+ size), 0, limit) */
  const windowEdge = (origin: Local, stride: Local, pad: Local, size: Local | null, limit: Local, into: Local) => {
    f.get(origin).get(stride).mul().get(pad).sub();
    if (size) f.get(size).add();
    f.set(into);
    f.get(into).i32(0).ltS().if(() => f.i32(0).set(into));
    f.get(into).get(limit).gtS().if(() => f.get(limit).set(into));
  };

  f.forRange(n!, 0, batch, () => {
    f.forRange(oh!, 0, outHeight, () => {
      windowEdge(oh!, strideHeight, top, null, inHeight, hFrom!);
      windowEdge(oh!, strideHeight, top, filterHeight, inHeight, hTo!);
      f.forRange(ow!, 0, outWidth, () => {
        windowEdge(ow!, strideWidth, left, null, inWidth, wFrom!);
        windowEdge(ow!, strideWidth, left, filterWidth, inWidth, wTo!);
        // c walks the channels in bytes, four channels at a time.
        f.i32(0).set(c!);
        f.get(channels).i32(2).shrU().set(vectorsLeft!);
        f.repeat(vectorsLeft!, () => {
          f.f32(-Infinity).f32x4Splat().set(best);
          f.i32(-1).i32x4Splat().set(bestAt);
          f.forRange(ih!, hFrom!, hTo!, () => {
            // row = n·imageBytes + ih·rowBytes + c
            f.get(n!).get(imageBytes!).mul().get(ih!).get(rowBytes!).mul().add().get(c!).add().set(row!);
            f.forRange(iw!, wFrom!, wTo!, () => {
              f.get(row!).get(iw!).get(columnBytes!).mul().add().set(address!);
              f.get(x).get(address!).add().v128Load().set(value);
              f.get(value).get(best).f32x4Gt().set(mask);
              f.get(value).get(best).get(mask).bitselect().set(best);
              f.get(address!).i32x4Splat().get(bestAt).get(mask).bitselect().set(bestAt);
            });
          });
          f.get(dy).v128Load().set(dyv);
          for (let lane = 0; lane < 4; lane++) {
            f.get(bestAt).i32x4ExtractLane(lane).set(address!);
            f.get(address!).i32(0).geS().if(() => {
              f.get(dx).get(address!).add().i32(lane * 4).add().set(address!);
              f.get(address!).get(address!).f32Load().get(dyv).f32x4ExtractLane(lane).f32Add().f32Store();
            });
          }
          f.addTo(dy, 16).addTo(c!, 16);
        });
      });
    });
  });
  return f;
}

/**
 * See SimdKernels.maxPoolGradTiled. Per group of four channels: the first maximum of the
 * window per lane (strictly greater replaces, as in the cpu backend; an all-NaN window gets
 * nothing), then each window cell gets dy where it was that maximum and 0 elsewhere.
 */
function writeMaxPoolGradTiled(filterHeight: number, filterWidth: number, channels: number, inWidth: number): FunctionWriter {
  const f = new FunctionWriter(9);
  const [x, dy, dx, batch, outHeight, outWidth, imageBytes, windowRowBytes, windowColumnBytes] = f.params as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const [n, oh, ow, v, imageAt, rowAt, at, address] = Array.from({ length: 8 }, () => f.i32Local());
  const [best, bestCell, value, mask, dyv] = Array.from({ length: 5 }, () => f.v128Local());
  const cells: number[] = [];
  for (let i = 0; i < filterHeight; i++) for (let j = 0; j < filterWidth; j++) cells.push((i * inWidth + j) * channels * 4);
  const vectors = channels / 4;

  f.i32(0).set(imageAt).get(batch).set(n);
  f.repeat(n, () => {
    f.get(imageAt).set(rowAt).get(outHeight).set(oh);
    f.repeat(oh, () => {
      f.get(rowAt).set(at).get(outWidth).set(ow);
      f.repeat(ow, () => {
        f.i32(vectors).set(v);
        f.repeat(v, () => {
          f.f32(-Infinity).f32x4Splat().set(best);
          f.i32x4Const(-1).set(bestCell);
          f.get(x).get(at).add().set(address);
          cells.forEach((offset, cell) => {
            f.get(address).v128Load(offset).set(value);
            f.get(value).get(best).f32x4Gt().set(mask);
            f.get(value).get(best).get(mask).bitselect().set(best);
            f.i32x4Const(cell).get(bestCell).get(mask).bitselect().set(bestCell);
          });
          f.get(dy).v128Load().set(dyv);
          f.get(dx).get(at).add().set(address);
          cells.forEach((offset, cell) => {
            f.get(address).get(dyv).get(bestCell).i32x4Const(cell).i32x4Eq().v128And().v128Store(offset);
          });
          f.addTo(dy, 16).addTo(at, 16);
        });
        // Back to the window's first channel, then on to the next window.
        f.get(at).i32(channels * 4).sub().get(windowColumnBytes).add().set(at);
      });
      f.addTo(rowAt, windowRowBytes);
    });
    f.addTo(imageAt, imageBytes);
  });
  return f;
}

/**
 * tfjs's AdamOptimizer step for one variable in one pass, with its operations in its order
 * (each rounded to float32 as its separate kernels do), so the result is the same:
 *   m' = m·β1 + g·(1−β1);  v' = v·β2 + g²·(1−β2)
 *   w' = (m'/(1−β1^t)) / (√(v'/(1−β2^t)) + ε) · (−lr) + w
 */
function writeAdam(): FunctionWriter {
  const f = new FunctionWriter(9);
  const [value, m, v, gradient, constants, newValue, newM, newV, vectors] = f.params as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const [beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1, correction2, epsilon, minusRate] = Array.from({ length: 8 }, () => f.v128Local());
  const [g, mNext, vNext] = Array.from({ length: 3 }, () => f.v128Local());
  [beta1, oneMinusBeta1, beta2, oneMinusBeta2, correction1, correction2, epsilon, minusRate].forEach((local, i) =>
    f.get(constants).f32Load(i * 4).f32x4Splat().set(local),
  );
  f.repeat(vectors, () => {
    f.get(gradient).v128Load().set(g);
    f.get(m).v128Load().get(beta1).f32x4Mul().get(g).get(oneMinusBeta1).f32x4Mul().f32x4Add().set(mNext);
    f.get(v).v128Load().get(beta2).f32x4Mul().get(g).get(g).f32x4Mul().get(oneMinusBeta2).f32x4Mul().f32x4Add().set(vNext);
    f.get(newM).get(mNext).v128Store();
    f.get(newV).get(vNext).v128Store();
    f.get(newValue);
    f.get(mNext).get(correction1).f32x4Div();
    f.get(vNext).get(correction2).f32x4Div().f32x4Sqrt().get(epsilon).f32x4Add();
    f.f32x4Div().get(minusRate).f32x4Mul().get(value).v128Load().f32x4Add().v128Store();
    for (const pointer of [value, m, v, gradient, newValue, newM, newV]) f.addTo(pointer, 16);
  });
  return f;
}

/**
 * The filter gradient for one block (see FilterGradBlocking), specialised to the layer: the
 * block's accumulators are locals (registers), the x offsets of its taps and channels are
 * constants in the load instructions.
 */
function writeFilterGrad(g: FilterGradGeometry): FunctionWriter {
  const f = new FunctionWriter(9);
  const [x, dy, dw, batch, outHeight, outWidth, xImageStride, xRowStride, xColumnStride] =
    f.params as [Local, Local, Local, Local, Local, Local, Local, Local, Local];
  const [n, oh, ow, xImage, xRow, xc] = Array.from({ length: 6 }, () => f.i32Local());
  const acc = Array.from({ length: g.tapsPerBlock }, () =>
    Array.from({ length: g.inPerBlock }, () => Array.from({ length: g.outVectors }, () => f.v128Local())),
  );
  const d = Array.from({ length: g.outVectors }, () => f.v128Local());
  const s = f.v128Local();

  for (const local of acc.flat(2)) f.v128Zero().set(local);
  f.get(x).set(xImage!).get(batch).set(n!);
  f.repeat(n!, () => {
    f.get(xImage!).set(xRow!).get(outHeight).set(oh!);
    f.repeat(oh!, () => {
      f.get(xRow!).set(xc!).get(outWidth).set(ow!);
      f.repeat(ow!, () => {
        d.forEach((local, v) => f.get(dy).v128Load(v * 16).set(local));
        acc.forEach((byChannel, tap) =>
          byChannel.forEach((byVector, channel) => {
            f.get(xc!).f32Load(tap * g.tapStrideBytes + channel * 4).f32x4Splat().set(s);
            byVector.forEach((local, v) => f.get(local).get(s).get(d[v]!).f32x4Mul().f32x4Add().set(local));
          }),
        );
        f.addTo(dy, g.outChannels * 4).addTo(xc!, xColumnStride);
      });
      f.addTo(xRow!, xRowStride);
    });
    f.addTo(xImage!, xImageStride);
  });
  acc.forEach((byChannel, tap) =>
    byChannel.forEach((byVector, channel) =>
      byVector.forEach((local, v) =>
        f.get(dw).get(local).v128Store(((tap * g.inChannels + channel) * g.outChannels + v * 4) * 4),
      ),
    ),
  );
  return f;
}
