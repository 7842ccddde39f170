import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { z } from 'zod';
import { MAX_IMAGE_SIDE, resizeToChannels } from '../../blocks/format/picture-pixels';
import { balanceOfSplits, type ClassBalance } from './balance';
import { naturalCompare } from './csv-import';
import { SPLITS, stratifiedSplit, type Split, type SplitPercent } from './dataset';
import { UploadProblem, type FormEntry, type NamedFile } from './upload-files';

/**
 * Pictures turned into a dataset of fixed-size images, whichever way they came: a zip with
 * one folder per class (image-zip.ts), pictures picked class by class in the browser (a
 * form, below), or IDX files (idx-import.ts). Every picture's header is checked before it
 * is decoded, so a file claiming a giant size is refused rather than believed.
 */

export const IMAGE_SIZES = [28, 32, 64] as const;

export const splitSchema = z
  .object({ train: z.number().int().min(1).max(98), validation: z.number().int().min(0).max(98), test: z.number().int().min(1).max(98) })
  .refine((s) => s.train + s.validation + s.test === 100, 'Train, validation and test must add up to 100%.');

export const imageImportOptionsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** Every picture is resized to size × size. */
  size: z.union(IMAGE_SIZES.map((s) => z.literal(s)) as [z.ZodLiteral<28>, z.ZodLiteral<32>, z.ZodLiteral<64>]),
  color: z.enum(['grayscale', 'rgb']),
  split: splitSchema,
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});
export type ImageImportOptions = z.infer<typeof imageImportOptionsSchema>;

/** Per picture, as the zip declares it unpacked or as the form sent it. A phone photo is a few MB. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024;
export const MAX_IMAGE_CLASSES = 100;
export const MAX_CLASS_NAME_LENGTH = 100;
export const PREVIEW_IMAGE_COUNT = 30;
/**
 * Pixels of all pictures in one upload together (LAYERBOOK_MAX_UPLOAD_PIXELS), read from each
 * picture's header before any is decoded: a tiny zip of blank 4096×4096 PNGs would otherwise
 * cost seconds of decoding each. Decoding and resizing measured 5 million pixels a second on
 * the busy 2-core development machine (the issue saw 30 million on another), so 50 million is
 * 2 to 10 s of one import thread. It holds 160 pictures of 640×480, or four 12-megapixel phone
 * photos (a 20 MB upload holds only about six of those anyway).
 */
export const DEFAULT_MAX_UPLOAD_PIXELS = 50_000_000;
/** The form fields of a class-by-class upload: each "picture" file belongs to the "class" text sent just before it. */
export const PICTURE_FIELD = 'picture';
export const CLASS_FIELD = 'class';

/**
 * Images as whole levels 0..255, example after example (height × width × channels each):
 * a quarter of the space floats would take, which matters for a 70,000-picture set. The
 * trainer reads value / 255.
 */
export interface PixelTable {
  pixels: Uint8Array;
  classIndices: Int32Array;
  count: number;
}

export interface ImportedImages {
  inputShape: [number, number, number];
  classes: string[];
  splits: Record<Split, PixelTable>;
  /** A few pictures spread over the classes and how many each class has, stored for the data cell. */
  preview: ImagePreview;
}

export interface ImagePreview {
  kind: 'images';
  width: number;
  height: number;
  channels: number;
  imageCount: number;
  /** Whole levels 0..255, width × height × channels each. */
  images: { pixels: number[]; label: string }[];
  /** Absent in previews stored before the bars existed. */
  balance?: ClassBalance;
  /** Set on previews made from train and validation rows only; older stored previews are rebuilt when read (see getDataset). */
  withoutTestRows?: true;
}

export interface LabelledPicture extends NamedFile {
  className: string;
}

/** Decodes and resizes every picture (in the order given), then splits them stratified by class with the seed. */
export function importPictures(pictures: readonly LabelledPicture[], options: ImageImportOptions, maxPixels = DEFAULT_MAX_UPLOAD_PIXELS): ImportedImages {
  const classes = [...new Set(pictures.map((p) => p.className))].sort(naturalCompare);
  checkClassCount(classes.length, classes[0], 'class');
  checkPixelBudget(pictures, maxPixels);
  const channels = options.color === 'rgb' ? 3 : 1;
  const size = options.size * options.size * channels;
  const all: PixelTable = { pixels: new Uint8Array(pictures.length * size), classIndices: new Int32Array(pictures.length), count: pictures.length };
  pictures.forEach((picture, i) => {
    all.pixels.set(resizeToChannels(decodePicture(picture.name, picture.bytes), options.size, channels), i * size);
    all.classIndices[i] = classes.indexOf(picture.className);
  });
  const splits = splitPixels(all, size, classes.length, options.seed, options.split);
  if (splits.train.count === 0) throw new UploadProblem('After splitting there are no training pictures. Add more pictures or give training a bigger share.');
  return { inputShape: [options.size, options.size, channels], classes, splits, preview: imagePreview(all, classes, { width: options.size, height: options.size, channels }, splits) };
}

/**
 * Pictures a student picked class by class in the browser: one form, each "picture" file
 * labelled by the "class" field sent before it. Checked like a zip's pictures, then
 * imported the same way.
 */
export function importLabelledPictures(form: readonly FormEntry[], options: ImageImportOptions, maxPixels = DEFAULT_MAX_UPLOAD_PIXELS): ImportedImages {
  const pictures: LabelledPicture[] = [];
  let className: string | null = null;
  for (const entry of form) {
    if (entry.field === CLASS_FIELD && 'text' in entry) {
      className = entry.text.trim();
      if (className === '') throw new UploadProblem('One class has no name. Give every class a name, like "cats".');
      if (className.length > MAX_CLASS_NAME_LENGTH) throw new UploadProblem(`The class name "${className.slice(0, 30)}…" is too long; use at most ${MAX_CLASS_NAME_LENGTH} letters.`);
    } else if (entry.field === PICTURE_FIELD && 'file' in entry) {
      if (className === null) throw new UploadProblem(`"${entry.file.name}" has no class. Choose a class name, then its pictures.`);
      checkPictureFile(entry.file.name, entry.file.bytes.length);
      pictures.push({ ...entry.file, name: `${className}/${entry.file.name}`, className });
    }
  }
  if (pictures.length === 0) throw new UploadProblem('No pictures arrived. Choose the pictures of each class, then import them.');
  // The order files were picked in should not change the dataset: the same pictures always give the same split.
  return importPictures(
    pictures.sort((a, b) => naturalCompare(a.name, b.name)),
    options,
    maxPixels,
  );
}

/** All pictures' pixels together, from their headers: nothing is decoded when they are too many. */
function checkPixelBudget(pictures: readonly LabelledPicture[], maxPixels: number): void {
  let total = 0;
  for (const picture of pictures) {
    const { width, height } = checkedDimensions(picture.name, picture.bytes);
    total += width * height;
  }
  if (total > maxPixels) {
    throw new UploadProblem(
      `These ${pictures.length} pictures have ${formatPixels(total)} together; one upload may have at most ${formatPixels(maxPixels)}. ` +
        'Make the pictures smaller (a network sees them at 64×64 at most) or upload fewer at once.',
    );
  }
}

function formatPixels(pixels: number): string {
  if (pixels < 1_000_000) return `${pixels.toLocaleString('en-US')} pixels`;
  return `${(Math.round(pixels / 100_000) / 10).toLocaleString('en-US')} million pixels`;
}

/** A picture's name and size, before it is unpacked or decoded. */
export function checkPictureFile(name: string, bytes: number): void {
  if (!/\.(png|jpe?g)$/i.test(name)) {
    throw new UploadProblem(`"${name}" is not a picture Layerbook can read. Only .png and .jpg pictures can be imported: remove that file.`);
  }
  if (bytes > MAX_ENTRY_BYTES) {
    throw new UploadProblem(`"${name}" is ${Math.round((bytes / 1024 / 1024) * 10) / 10} MB; each picture may be at most ${MAX_ENTRY_BYTES / 1024 / 1024} MB. Use a smaller picture.`);
  }
}

/** At least 2 classes (a network has nothing to tell apart otherwise), at most MAX_IMAGE_CLASSES. `what`: "class" or "class folder". */
export function checkClassCount(count: number, onlyClass: string | undefined, what: string): void {
  if (count < 2) {
    throw new UploadProblem(`There is only one ${what} ("${onlyClass}"). A network needs at least 2 classes to tell apart: add pictures of a second class.`);
  }
  if (count > MAX_IMAGE_CLASSES) throw new UploadProblem(`There are ${count} classes; at most ${MAX_IMAGE_CLASSES} can be imported.`);
}

/** Rows of `all` into train, validation and test, stratified by class with the seed (see stratifiedSplit). */
export function splitPixels(all: PixelTable, size: number, classCount: number, seed: number, percent: SplitPercent): Record<Split, PixelTable> {
  const rows = stratifiedSplit(all.classIndices, classCount, seed, percent);
  return Object.fromEntries(SPLITS.map((split) => [split, takePixelRows(all, size, rows[split])])) as Record<Split, PixelTable>;
}

export function takePixelRows(table: PixelTable, size: number, rows: Uint32Array): PixelTable {
  const pixels = new Uint8Array(rows.length * size);
  const classIndices = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    pixels.set(table.pixels.subarray(row * size, (row + 1) * size), i * size);
    classIndices[i] = table.classIndices[row]!;
  });
  return { pixels, classIndices, count: rows.length };
}

/** PREVIEW_IMAGE_COUNT pictures spread evenly over the train and validation splits, and the class balance of the splits. */
export function imagePreview(
  all: PixelTable,
  classes: readonly string[],
  dims: { width: number; height: number; channels: number },
  splits: Record<Split, PixelTable>,
): ImagePreview {
  return { kind: 'images', ...dims, imageCount: all.count, images: previewPictures(splits, classes, dims), balance: balanceOfSplits(classes, splits), withoutTestRows: true };
}

/**
 * A few pictures spread over the train and validation splits, never the test split: a
 * dataset's test examples may grade students (an assignment's hidden test set), and a preview
 * is what its class sees. Also rebuilds the previews stored before this rule (from the
 * stored chunks' train and validation rows).
 */
export function previewPictures(
  splits: Pick<Record<Split, PixelTable>, 'train' | 'validation'>,
  classes: readonly string[],
  dims: { width: number; height: number; channels: number },
): ImagePreview['images'] {
  const size = dims.width * dims.height * dims.channels;
  const sources = [splits.train, splits.validation];
  const count = sources.reduce((sum, table) => sum + table.count, 0);
  const shown = Math.min(PREVIEW_IMAGE_COUNT, count);
  return Array.from({ length: shown }, (_, i) => {
    let row = Math.floor((i * count) / shown);
    const table = row < splits.train.count ? splits.train : splits.validation;
    if (table !== splits.train) row -= splits.train.count;
    return { pixels: Array.from(table.pixels.subarray(row * size, (row + 1) * size)), label: classes[table.classIndices[row]!]! };
  });
}

/** Width and height from a PNG's IHDR or a JPEG's SOF segment, without decoding any pixels. */
export function pictureDimensions(path: string, bytes: Uint8Array): { width: number; height: number; format: 'png' | 'jpeg' } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const notPicture = () => new UploadProblem(`"${path}" is named like a picture but is not a PNG or JPEG inside. Save it again as .png or .jpg, or remove it.`);
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

/** Width and height from the header, refused past MAX_IMAGE_SIDE before anything is decoded. */
function checkedDimensions(path: string, bytes: Uint8Array): { width: number; height: number; format: 'png' | 'jpeg' } {
  const dimensions = pictureDimensions(path, bytes);
  const { width, height } = dimensions;
  if (width < 1 || height < 1 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new UploadProblem(`"${path}" says it is ${width}×${height} pixels; pictures may be at most ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}. Make it smaller and upload it again.`);
  }
  return dimensions;
}

/** RGBA bytes, after the header's dimensions were checked. The pixel policy after decoding is blocks/format/picture-pixels.ts, shared with "Try your model". */
export function decodePicture(path: string, bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const { format } = checkedDimensions(path, bytes);
  try {
    if (format === 'png') {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, data: png.data };
    }
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: (MAX_IMAGE_SIDE * MAX_IMAGE_SIDE) / 1e6, maxMemoryUsageInMB: 256 });
    return { width: jpeg.width, height: jpeg.height, data: jpeg.data };
  } catch {
    throw new UploadProblem(`"${path}" is damaged and could not be read as a picture. Open it, save it again, and upload it again — or remove it.`);
  }
}
