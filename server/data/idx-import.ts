import { unzipSync } from 'fflate';
import { z } from 'zod';
import { SPLITS, stratifiedSplit, takeRows, type ExampleTable, type Split } from './dataset';
import { IdxError, idxExamples, parseIdx, type IdxArray } from './idx';
import { ImageZipError, MAX_IMAGE_CLASSES, MAX_TOTAL_BYTES, PREVIEW_IMAGE_COUNT, readZipDirectory, type ImagePreview, type ImportedImages } from './image-zip';

/**
 * A teacher's IDX files (the MNIST / Fashion-MNIST format), sent as one zip holding the
 * images file and the labels file. Which is which is read from the files themselves (3
 * dimensions: images; 1: labels), so their names do not matter.
 */
export const idxImportOptionsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** Names for labels 0, 1, 2…; without them the classes are called "0", "1", … */
  classNames: z.array(z.string().trim().min(1).max(100)).min(2).max(MAX_IMAGE_CLASSES).optional(),
  split: z
    .object({ train: z.number().int().min(1).max(98), validation: z.number().int().min(0).max(98), test: z.number().int().min(1).max(98) })
    .refine((s) => s.train + s.validation + s.test === 100, 'Train, validation and test must add up to 100%.'),
  seed: z.number().int().min(0).max(2 ** 31 - 1),
});
export type IdxImportOptions = z.infer<typeof idxImportOptionsSchema>;

export function importIdxZip(zip: Uint8Array, options: IdxImportOptions): ImportedImages {
  const { files } = readZipDirectory(zip, { maxEntryBytes: MAX_TOTAL_BYTES, what: 'file' });
  if (files.length !== 2) {
    throw new IdxError(
      `The zip should hold exactly 2 files, the images file and the labels file (like train-images-idx3-ubyte and train-labels-idx1-ubyte); it holds ${files.length}.`,
    );
  }
  const names = new Set(files.map((f) => f.name));
  let unpacked: Record<string, Uint8Array>;
  try {
    unpacked = unzipSync(zip, { filter: (file) => names.has(file.name) });
  } catch (error) {
    throw new ImageZipError(`The zip file could not be unpacked (${error instanceof Error ? error.message : String(error)}). Make the zip again and upload it.`);
  }
  const arrays: { name: string; array: IdxArray }[] = files.map((file) => {
    const bytes = unpacked[file.name]!;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      throw new IdxError(`"${file.name}" is still compressed (.gz). Unpack it first (double-click it), then zip the unpacked files.`);
    }
    return { name: file.name, array: parseIdx(bytes, `"${file.name}"`) };
  });
  const images = arrays.find((a) => a.array.shape.length === 3);
  const labels = arrays.find((a) => a.array.shape.length === 1);
  if (!images || !labels) {
    throw new IdxError(
      `One file must be images (3 dimensions) and the other labels (1 dimension); these have ${arrays.map((a) => `${a.name}: ${a.array.shape.length}`).join(', ')}.`,
    );
  }

  const examples = idxExamples(images.array, labels.array);
  const classes = options.classNames ?? examples.classes;
  if (examples.classes.length > classes.length) {
    throw new IdxError(`The labels go up to ${examples.classes.length - 1}, but only ${classes.length} class names were given. Give one name for each label from 0 up.`);
  }
  if (classes.length < 2) throw new IdxError('Every label is 0, so there is only one class. A network needs at least 2 classes to tell apart.');
  if (classes.length > MAX_IMAGE_CLASSES) throw new IdxError(`The labels go up to ${classes.length - 1}; at most ${MAX_IMAGE_CLASSES} classes can be imported.`);

  const [height, width] = examples.inputShape as [number, number, number];
  const size = height * width;
  const rows = stratifiedSplit(examples.classIndices, classes.length, options.seed, options.split);
  if (rows.train.length === 0) throw new IdxError('After splitting there are no training images. Give training a bigger share.');
  const splits = Object.fromEntries(SPLITS.map((split) => [split, takeRows(examples.features, examples.classIndices, size, rows[split])])) as Record<Split, ExampleTable>;

  const count = examples.classIndices.length;
  const shown = Math.min(PREVIEW_IMAGE_COUNT, count);
  const preview: ImagePreview = {
    kind: 'images',
    width,
    height,
    channels: 1,
    imageCount: count,
    images: Array.from({ length: shown }, (_, i) => {
      const row = Math.floor((i * count) / shown);
      return { pixels: Array.from(examples.features.subarray(row * size, (row + 1) * size), (v) => Math.round(v * 255)), label: classes[examples.classIndices[row]!]! };
    }),
  };
  return { inputShape: [height, width, 1], classes, splits, preview };
}
