import { unzipSync } from 'fflate';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { z } from 'zod';
import { naturalCompare } from './csv-import';
import { SPLITS, stratifiedSplit, takeRows, type ExampleTable, type Split } from './dataset';

/**
 * A zip of pictures, one folder per class (`cats/1.png`, `dogs/2.jpg`), turned into a
 * dataset of fixed-size images. A zip is untrusted input that can claim to unpack to
 * gigabytes, so every size is checked from the zip's directory and the image headers
 * before anything is inflated or decoded.
 */
export class ImageZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageZipError';
  }
}

export const IMAGE_SIZES = [28, 32, 64] as const;

export const imageImportOptionsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** Every picture is resized to size × size. */
  size: z.union(IMAGE_SIZES.map((s) => z.literal(s)) as [z.ZodLiteral<28>, z.ZodLiteral<32>, z.ZodLiteral<64>]),
  color: z.enum(['grayscale', 'rgb']),
  split: z
    .object({ train: z.number().int().min(1).max(98), validation: z.number().int().min(0).max(98), test: z.number().int().min(1).max(98) })
    .refine((s) => s.train + s.validation + s.test === 100, 'Train, validation and test must add up to 100%.'),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});
export type ImageImportOptions = z.infer<typeof imageImportOptionsSchema>;

export const MAX_ZIP_ENTRIES = 5000;
/** Per picture, as the zip declares it unpacked. A phone photo is a few MB. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/** All pictures together, unpacked. */
export const MAX_TOTAL_BYTES = 256 * 1024 * 1024;
/** Decoding makes 4 bytes per pixel; 4096 × 4096 is already 64 MB. */
export const MAX_IMAGE_SIDE = 4096;
export const MAX_IMAGE_CLASSES = 100;
export const PREVIEW_IMAGE_COUNT = 30;

export interface ImportedImages {
  inputShape: [number, number, number];
  classes: string[];
  splits: Record<Split, ExampleTable>;
  /** A few pictures spread over the classes, as whole levels 0..255 (size × size × channels each). */
  preview: ImagePreview;
}

export interface ImagePreview {
  kind: 'images';
  width: number;
  height: number;
  channels: number;
  imageCount: number;
  images: { pixels: number[]; label: string }[];
}

interface PictureEntry {
  path: string;
  className: string;
}

/** Unpacks, checks, decodes and resizes every picture, then splits them stratified by class with the seed. */
export function importImageZip(zip: Uint8Array, options: ImageImportOptions): ImportedImages {
  const pictures = listPictures(zip);
  const wanted = new Set(pictures.map((p) => p.path));
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: (file) => wanted.has(file.name) });
  } catch (error) {
    throw new ImageZipError(`The zip file could not be unpacked (${error instanceof Error ? error.message : String(error)}). Make the zip again and upload it.`);
  }

  const classes = [...new Set(pictures.map((p) => p.className))].sort(naturalCompare);
  const channels = options.color === 'rgb' ? 3 : 1;
  const size = options.size * options.size * channels;
  const features = new Float32Array(pictures.length * size);
  const classIndices = new Int32Array(pictures.length);
  pictures.forEach((picture, i) => {
    const bytes = files[picture.path];
    if (!bytes) throw new ImageZipError(`"${picture.path}" is listed in the zip but could not be unpacked. Make the zip again and upload it.`);
    const rgba = decodePicture(picture.path, bytes);
    features.set(resizeToChannels(rgba, options.size, channels), i * size);
    classIndices[i] = classes.indexOf(picture.className);
  });

  const rows = stratifiedSplit(classIndices, classes.length, options.seed, options.split);
  if (rows.train.length === 0) throw new ImageZipError('After splitting there are no training pictures. Add more pictures or give training a bigger share.');
  const splits = Object.fromEntries(SPLITS.map((split) => [split, takeRows(features, classIndices, size, rows[split])])) as Record<Split, ExampleTable>;

  const previewRows = Array.from({ length: Math.min(PREVIEW_IMAGE_COUNT, pictures.length) }, (_, i) => Math.floor((i * pictures.length) / Math.min(PREVIEW_IMAGE_COUNT, pictures.length)));
  const preview: ImagePreview = {
    kind: 'images',
    width: options.size,
    height: options.size,
    channels,
    imageCount: pictures.length,
    images: previewRows.map((row) => ({
      pixels: Array.from(features.subarray(row * size, (row + 1) * size), (v) => Math.round(v * 255)),
      label: classes[classIndices[row]!]!,
    })),
  };
  return { inputShape: [options.size, options.size, channels], classes, splits, preview };
}

export interface ZipFileEntry {
  /** As written in the zip, for messages and for unzipping. */
  name: string;
  /** The path's folders and file name, without empty or "." parts. */
  parts: string[];
  declaredBytes: number;
}

/**
 * Reads the zip's directory only (nothing is inflated: the filter refuses every file) and
 * checks what any zip upload must pass: the number of entries, no path leaving the zip, and
 * the declared unpacked sizes, each and in total. Files the computer adds on its own
 * (macOS resource forks, .DS_Store, Thumbs.db) are left out; folders are listed apart, so
 * an empty one can be reported. Unzipping later trusts these sizes: fflate writes into a
 * buffer of the declared size, so a zip that lies about it cannot unpack to more.
 */
export function readZipDirectory(zip: Uint8Array, limits: { maxEntryBytes: number; what: string }): { files: ZipFileEntry[]; folders: string[] } {
  const entries: { name: string; originalSize: number }[] = [];
  try {
    unzipSync(zip, {
      filter: (file) => {
        entries.push({ name: file.name, originalSize: file.originalSize });
        return false;
      },
    });
  } catch {
    throw new ImageZipError('This file is not a zip file that can be read. Put the files in a .zip file (for example with "Compress" or "Send to → Compressed folder") and upload that.');
  }
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw new ImageZipError(`The zip holds ${entries.length} files; at most ${MAX_ZIP_ENTRIES} can be imported. Use fewer files.`);
  }
  let total = 0;
  const files: ZipFileEntry[] = [];
  const folders: string[] = [];
  for (const entry of entries) {
    const name = entry.name.replace(/\\/g, '/');
    if (name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..')) {
      throw new ImageZipError(`"${entry.name}" points outside the zip's folders. Zip only the files themselves and upload again.`);
    }
    const parts = name.split('/').filter((part) => part !== '' && part !== '.');
    if (parts.length === 0 || parts[0] === '__MACOSX' || parts.some((p) => p.startsWith('.')) || parts.at(-1) === 'Thumbs.db') continue;
    if (name.endsWith('/')) {
      folders.push(parts.join('/'));
      continue;
    }
    if (entry.originalSize > limits.maxEntryBytes) {
      throw new ImageZipError(`"${entry.name}" unpacks to ${formatMb(entry.originalSize)}; each ${limits.what} may be at most ${formatMb(limits.maxEntryBytes)}. Use a smaller ${limits.what}.`);
    }
    total += entry.originalSize;
    if (total > MAX_TOTAL_BYTES) throw new ImageZipError(`The files in this zip unpack to more than ${formatMb(MAX_TOTAL_BYTES)} in all. Use fewer or smaller files.`);
    files.push({ name: entry.name, parts, declaredBytes: entry.originalSize });
  }
  return { files, folders };
}

/** The zip's pictures with their class (folder) names, sorted by path so the same zip always gives the same dataset. */
export function listPictures(zip: Uint8Array): PictureEntry[] {
  const { files, folders } = readZipDirectory(zip, { maxEntryBytes: MAX_ENTRY_BYTES, what: 'picture' });
  for (const file of files) {
    if (!/\.(png|jpe?g)$/i.test(file.parts.at(-1)!)) {
      throw new ImageZipError(`"${file.name}" is not a picture Layerbook can read. Only .png and .jpg pictures can be imported: remove that file from the zip.`);
    }
  }
  if (files.length === 0) throw new ImageZipError('The zip has no .png or .jpg pictures. Put the pictures in one folder per class, like cats/1.png and dogs/2.jpg.');

  // Zipping the folder that holds the class folders adds one more level (animals/cats/1.png): look inside it.
  const first = files[0]!.parts[0]!;
  const wrapped = files.every((f) => f.parts.length === 3 && f.parts[0] === first);
  const depth = wrapped ? 1 : 0;
  const pictures: PictureEntry[] = [];
  for (const file of files) {
    if (file.parts.length !== depth + 2) {
      throw new ImageZipError(
        file.parts.length < depth + 2
          ? `"${file.name}" is not inside a class folder. Put every picture in a folder named after its class, like cats/1.png.`
          : `"${file.name}" is in a folder inside a class folder. Put every picture directly in its class folder, like cats/1.png.`,
      );
    }
    pictures.push({ path: file.name, className: file.parts[depth]! });
  }
  const classes = new Set(pictures.map((p) => p.className));
  for (const folder of folders) {
    const parts = folder.split('/');
    if (parts.length === depth + 1 && (!wrapped || parts[0] === first) && !classes.has(parts[depth]!)) {
      throw new ImageZipError(`The folder "${parts[depth]}" has no pictures. Put some pictures in it, or delete the folder.`);
    }
  }
  if (classes.size < 2) {
    throw new ImageZipError(
      `The zip has only one class folder ("${[...classes][0]}"). A network needs at least 2 classes to tell apart: add a second folder of pictures.`,
    );
  }
  if (classes.size > MAX_IMAGE_CLASSES) throw new ImageZipError(`The zip has ${classes.size} class folders; at most ${MAX_IMAGE_CLASSES} can be imported.`);
  return pictures.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Width and height from a PNG's IHDR or a JPEG's SOF segment, without decoding any pixels. */
export function pictureDimensions(path: string, bytes: Uint8Array): { width: number; height: number; format: 'png' | 'jpeg' } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notPicture = () => new ImageZipError(`"${path}" is named like a picture but is not a PNG or JPEG inside. Save it again as .png or .jpg, or remove it.`);
  if (bytes.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(4) === 0x0d0a1a0a && view.getUint32(12) === 0x49484452) {
    return { width: view.getUint32(16), height: view.getUint32(20), format: 'png' };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 <= bytes.length) {
      if (bytes[at] !== 0xff) throw notPicture();
      const marker = bytes[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: view.getUint16(at + 5), width: view.getUint16(at + 7), format: 'jpeg' };
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        at += 2;
        continue;
      }
      at += 2 + view.getUint16(at + 2);
    }
  }
  throw notPicture();
}

/** RGBA bytes, after the header's dimensions were checked. */
function decodePicture(path: string, bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const { width, height, format } = pictureDimensions(path, bytes);
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ImageZipError(`"${path}" says it is ${width}×${height} pixels; pictures may be at most ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}. Make it smaller and zip it again.`);
  }
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: (MAX_IMAGE_SIDE * MAX_IMAGE_SIDE) / 1e6, maxMemoryUsageInMB: 256 });
    return { width: jpeg.width, height: jpeg.height, data: jpeg.data };
  } catch {
    throw new ImageZipError(`"${path}" is damaged and could not be read as a picture. Open it, save it again, and zip it again — or remove it.`);
  }
}

/**
 * Area-average resize (each output pixel is the mean of the input pixels it covers, with
 * partial pixels weighted), stretched to a square, transparent parts drawn on white, to
 * values 0..1 in `channels` channels (1: grey by luminance, 3: RGB).
 */
export function resizeToChannels(image: { width: number; height: number; data: Uint8Array }, size: number, channels: 1 | 3 | number): Float32Array {
  const out = new Float32Array(size * size * channels);
  const scaleX = image.width / size;
  const scaleY = image.height / size;
  const sum = [0, 0, 0];
  for (let oy = 0; oy < size; oy++) {
    const y0 = oy * scaleY;
    const y1 = y0 + scaleY;
    for (let ox = 0; ox < size; ox++) {
      const x0 = ox * scaleX;
      const x1 = x0 + scaleX;
      sum[0] = sum[1] = sum[2] = 0;
      let weightSum = 0;
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), image.height); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), image.width); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const at = (y * image.width + x) * 4;
          const alpha = image.data[at + 3]! / 255;
          for (let c = 0; c < 3; c++) sum[c]! += w * (image.data[at + c]! * alpha + 255 * (1 - alpha));
          weightSum += w;
        }
      }
      const [r, g, b] = sum.map((s) => s / weightSum / 255) as [number, number, number];
      const at = (oy * size + ox) * channels;
      if (channels === 1) out[at] = 0.299 * r + 0.587 * g + 0.114 * b;
      else [out[at], out[at + 1], out[at + 2]] = [r, g, b];
    }
  }
  return out;
}

function formatMb(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
