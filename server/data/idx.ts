/**
 * The IDX format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist): two zero bytes, a
 * type code, the number of dimensions, each dimension as a big-endian 32-bit count, then the
 * values big-endian. Sizes are checked against the header before anything is allocated, so a
 * header that claims billions of values is refused rather than believed.
 */
export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

const TYPES: Record<number, { name: string; bytes: number; read: (view: DataView, at: number) => number }> = {
  0x08: { name: 'unsigned byte', bytes: 1, read: (v, at) => v.getUint8(at) },
  0x09: { name: 'signed byte', bytes: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { name: 'short', bytes: 2, read: (v, at) => v.getInt16(at, false) },
  0x0c: { name: 'int', bytes: 4, read: (v, at) => v.getInt32(at, false) },
  0x0d: { name: 'float', bytes: 4, read: (v, at) => v.getFloat32(at, false) },
  0x0e: { name: 'double', bytes: 8, read: (v, at) => v.getFloat64(at, false) },
};

export interface IdxArray {
  /** e.g. [60000, 28, 28] for images, [60000] for labels. */
  shape: number[];
  values: Float32Array;
}

/** Refuses anything larger: 100 million values is already 400 MB as floats. */
export const MAX_IDX_VALUES = 100_000_000;

export function parseIdx(bytes: Uint8Array, fileName = 'The file'): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxError(`${fileName} is not an IDX file (it should start with two zero bytes). Use the unzipped files such as train-images-idx3-ubyte.`);
  }
  const type = TYPES[bytes[2]!];
  if (!type) throw new IdxError(`${fileName} has an unknown IDX value type (code ${bytes[2]}).`);
  const dims = bytes[3]!;
  if (dims < 1 || dims > 4) throw new IdxError(`${fileName} has ${dims} dimensions; images need 3 and labels 1.`);
  const headerSize = 4 + dims * 4;
  if (bytes.length < headerSize) throw new IdxError(`${fileName} ends inside its header; the file is cut short. Download it again.`);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + i * 4, false));
  const count = shape.reduce((p, d) => p * d, 1);
  if (count > MAX_IDX_VALUES) throw new IdxError(`${fileName} says it holds ${shape.join('×')} values, more than Layerbook reads (${MAX_IDX_VALUES.toLocaleString('en')}).`);
  const expected = headerSize + count * type.bytes;
  if (bytes.length !== expected) {
    throw new IdxError(
      `${fileName} should be ${expected} bytes for ${shape.join('×')} ${type.name} values, but it is ${bytes.length} bytes. ` +
        (bytes.length < expected ? 'It is cut short; download it again.' : 'It has extra data at the end; is it still compressed (.gz)? Unzip it first.'),
    );
  }
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = type.read(view, headerSize + i * type.bytes);
  return { shape, values };
}

/** Images and labels files as examples: pixels scaled to 0..1, one label per image. */
export function idxExamples(images: IdxArray, labels: IdxArray): { inputShape: number[]; features: Float32Array; classIndices: Int32Array; classes: string[] } {
  if (images.shape.length !== 3) throw new IdxError(`The images file should have 3 dimensions (count × height × width), not ${images.shape.length}.`);
  if (labels.shape.length !== 1) throw new IdxError(`The labels file should have 1 dimension (one label per image), not ${labels.shape.length}.`);
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) throw new IdxError(`There are ${count} images but ${labels.shape[0]} labels. Use the labels file that belongs to these images.`);
  const classIndices = Int32Array.from(labels.values);
  for (let i = 0; i < count; i++) {
    if (!Number.isInteger(labels.values[i]) || classIndices[i]! < 0 || classIndices[i]! > 255) {
      throw new IdxError(`Label ${i + 1} is ${labels.values[i]}; labels must be whole numbers from 0 to 255.`);
    }
  }
  const classCount = Math.max(...classIndices) + 1;
  const max = images.values.reduce((m, v) => Math.max(m, v), 0);
  const features = max > 1 ? images.values.map((v) => v / 255) : images.values;
  return { inputShape: [height, width, 1], features, classIndices, classes: Array.from({ length: classCount }, (_, i) => String(i)) };
}
