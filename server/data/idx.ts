import { UploadProblem } from './upload-files';

/**
 * The IDX format of MNIST, Fashion-MNIST and KMNIST (yann.lecun.com/exdb/mnist): two zero
 * bytes, a type code, the number of dimensions, each dimension as a big-endian 32-bit
 * count, then the values big-endian. Sizes are checked against the header before anything
 * is allocated, so a header that claims billions of values is refused rather than believed.
 */

const TYPES: Record<number, { name: string; bytes: number; read: (view: DataView, at: number) => number }> = {
  0x08: { name: 'unsigned byte', bytes: 1, read: (v, at) => v.getUint8(at) },
  0x09: { name: 'signed byte', bytes: 1, read: (v, at) => v.getInt8(at) },
  0x0b: { name: 'short', bytes: 2, read: (v, at) => v.getInt16(at, false) },
  0x0c: { name: 'int', bytes: 4, read: (v, at) => v.getInt32(at, false) },
  0x0d: { name: 'float', bytes: 4, read: (v, at) => v.getFloat32(at, false) },
  0x0e: { name: 'double', bytes: 8, read: (v, at) => v.getFloat64(at, false) },
};
const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  /** e.g. [60000, 28, 28] for images, [60000] for labels. */
  shape: number[];
  typeCode: number;
  /** The values as stored (big-endian), a view into the file: nothing is copied. */
  data: Uint8Array;
}

/** Refuses anything larger: 100 million values is already 100 MB as bytes. */
export const MAX_IDX_VALUES = 100_000_000;

/** Checks the header against the file's length; the values stay where they are. */
export function parseIdx(bytes: Uint8Array, fileName = 'The file'): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new UploadProblem(`${fileName} is not an IDX file (it should start with two zero bytes). Use files such as train-images-idx3-ubyte.gz from the MNIST or Fashion-MNIST site.`);
  }
  const type = TYPES[bytes[2]!];
  if (!type) throw new UploadProblem(`${fileName} has an unknown IDX value type (code ${bytes[2]}).`);
  const dims = bytes[3]!;
  if (dims < 1 || dims > 4) throw new UploadProblem(`${fileName} has ${dims} dimensions; images need 3 and labels 1.`);
  const headerSize = 4 + dims * 4;
  if (bytes.length < headerSize) throw new UploadProblem(`${fileName} ends inside its header; the file is cut short. Download it again.`);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + i * 4, false));
  const count = shape.reduce((p, d) => p * d, 1);
  if (count > MAX_IDX_VALUES) throw new UploadProblem(`${fileName} says it holds ${shape.join('×')} values, more than Layerbook reads (${MAX_IDX_VALUES.toLocaleString('en')}).`);
  const expected = headerSize + count * type.bytes;
  if (bytes.length !== expected) {
    throw new UploadProblem(
      `${fileName} should be ${expected} bytes for ${shape.join('×')} ${type.name} values, but it is ${bytes.length} bytes. ` +
        (bytes.length < expected ? 'It is cut short; download it again.' : 'It has extra data at the end; download it again.'),
    );
  }
  return { shape, typeCode: bytes[2]!, data: bytes.subarray(headerSize, expected) };
}

/**
 * The images as whole levels 0..255, count × height × width. MNIST-style files store
 * unsigned bytes, which are used as they are (no copy); other types are rounded, and
 * values that all lie within 0..1 are read as fractions of full brightness.
 */
export function idxPixels(images: IdxArray, fileName: string): Uint8Array {
  if (images.shape.length !== 3) throw new UploadProblem(`${fileName} should have 3 dimensions (count × height × width) to be images, not ${images.shape.length}.`);
  if (images.typeCode === UNSIGNED_BYTE) return images.data;
  // Two passes over the file rather than a copy as numbers: a float image file can hold 100 million values.
  const type = TYPES[images.typeCode]!;
  const view = new DataView(images.data.buffer, images.data.byteOffset, images.data.byteLength);
  const count = images.data.length / type.bytes;
  let max = 0;
  for (let i = 0; i < count; i++) max = Math.max(max, type.read(view, i * type.bytes));
  const scale = max <= 1 ? 255 : 1;
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = Math.min(255, Math.max(0, Math.round(type.read(view, i * type.bytes) * scale)));
  return out;
}

/** One class index per image; labels must be whole numbers from 0 to 255. */
export function idxLabels(labels: IdxArray, fileName: string): Int32Array {
  if (labels.shape.length !== 1) throw new UploadProblem(`${fileName} should have 1 dimension (one label per image) to be labels, not ${labels.shape.length}.`);
  const values = readValues(labels);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new UploadProblem(`${fileName}: label ${i + 1} is ${v}; labels must be whole numbers from 0 to 255.`);
    out[i] = v;
  }
  return out;
}

function readValues(array: IdxArray): Float64Array {
  const type = TYPES[array.typeCode]!;
  const view = new DataView(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Float64Array(array.data.length / type.bytes);
  for (let i = 0; i < out.length; i++) out[i] = type.read(view, i * type.bytes);
  return out;
}
