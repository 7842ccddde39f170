import { z } from 'zod';
import { stratifiedSplit } from './dataset';
import { idxLabels, idxPixels, parseIdx } from './idx';
import { imagePreview, MAX_CLASS_NAME_LENGTH, MAX_IMAGE_CLASSES, splitPixels, splitSchema, takePixelRows, type ImportedImages, type PixelTable } from './pictures';
import { gunzipFile, isGzip, isZip, MAX_TOTAL_BYTES, readZipDirectory, unzipEntries, UploadProblem, type NamedFile } from './upload-files';

/**
 * A teacher's IDX files (MNIST, Fashion-MNIST, KMNIST), as the sites and Debian's
 * dataset-fashion-mnist ship them: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz
 * and, when given, the test pair t10k-images… / t10k-labels…; gzipped or not, chosen
 * together or zipped. Which file is images and which labels is read from the files
 * themselves (3 dimensions or 1); which labels belong to which images from their names,
 * or else from their counts.
 */
export const idxImportOptionsSchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** Names for labels 0, 1, 2…, one per label; without them the classes are called "0", "1", … */
  classNames: z
    .array(z.string().trim().min(1).max(MAX_CLASS_NAME_LENGTH))
    .min(2)
    .max(MAX_IMAGE_CLASSES)
    .refine((names) => new Set(names).size === names.length, 'must all be different')
    .optional(),
  /**
   * Without separate test files, the examples are split by these shares. With test files
   * (t10k-…) those are the final test, as the original sets intend, and the training files
   * give `validation` percent to checking and keep the rest for training.
   */
  split: splitSchema,
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  /** Every user of this server may train on it: a teacher adds a full-size set once for the whole school. */
  shareWithSchool: z.boolean().default(false),
});
export type IdxImportOptions = z.infer<typeof idxImportOptionsSchema>;

interface IdxPair {
  key: string;
  images: { name: string; pixels: Uint8Array; count: number; height: number; width: number };
  labels: { name: string; classIndices: Int32Array };
}

/** The files of one upload: the IDX files themselves (any of them gzipped), or one zip holding them. */
export function importIdxFiles(upload: readonly NamedFile[], options: IdxImportOptions): ImportedImages {
  const files = unpackFiles(upload);
  const pairs = pairFiles(files);
  const [height, width] = [pairs[0]!.images.height, pairs[0]!.images.width];
  for (const pair of pairs) {
    if (pair.images.height !== height || pair.images.width !== width) {
      throw new UploadProblem(
        `"${pairs[0]!.images.name}" holds ${height}×${width} pictures but "${pair.images.name}" holds ${pair.images.height}×${pair.images.width} pictures. Use files from the same dataset.`,
      );
    }
  }
  const classes = classNames(pairs, options.classNames);
  const size = height * width;
  const { train: trainPair, test: testPair } = trainAndTest(pairs);
  const all: PixelTable = { pixels: trainPair.images.pixels, classIndices: trainPair.labels.classIndices, count: trainPair.images.count };

  let splits: ImportedImages['splits'];
  if (testPair) {
    const validation = options.split.validation;
    const rows = stratifiedSplit(all.classIndices, classes.length, options.seed, { train: 100 - validation, validation, test: 0 });
    // Rows left over by rounding each class's share down stay in training.
    const trainRows = Uint32Array.from([...rows.train, ...rows.test]).sort();
    splits = {
      train: takePixelRows(all, size, trainRows),
      validation: takePixelRows(all, size, rows.validation),
      test: { pixels: testPair.images.pixels, classIndices: testPair.labels.classIndices, count: testPair.images.count },
    };
  } else {
    splits = splitPixels(all, size, classes.length, options.seed, options.split);
  }
  if (splits.train.count === 0) throw new UploadProblem('After splitting there are no training images. Give training a bigger share.');
  return { inputShape: [height, width, 1], classes, splits, preview: imagePreview(all, classes, { width, height, channels: 1 }, splits) };
}

/** Unzips a zip and unpacks .gz files, within MAX_TOTAL_BYTES for the whole upload. */
function unpackFiles(upload: readonly NamedFile[]): NamedFile[] {
  let files = [...upload];
  if (files.length === 1 && isZip(files[0]!.bytes)) {
    const zip = files[0]!.bytes;
    const { files: entries } = readZipDirectory(zip, { maxEntryBytes: MAX_TOTAL_BYTES, what: 'file' });
    files = unzipEntries(
      zip,
      entries.map((e) => e.name),
    );
  }
  if (files.length !== 2 && files.length !== 4) {
    throw new UploadProblem(
      `Choose the images file and its labels file (like train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz), and if you have them the test files (t10k-images-… and t10k-labels-…): 2 or 4 files. ` +
        (files.length === 0 ? 'No files arrived.' : `There ${files.length === 1 ? 'is 1 file' : `are ${files.length} files`}: ${files.map((f) => `"${f.name}"`).join(', ')}.`),
    );
  }
  let budget = MAX_TOTAL_BYTES;
  return files.map((file) => {
    const unpacked = isGzip(file.bytes) ? gunzipFile(file, budget) : file;
    budget -= unpacked.bytes.length;
    if (budget < 0) throw new UploadProblem(`The files unpack to more than ${MAX_TOTAL_BYTES / 1024 / 1024} MB in all. Use a smaller dataset.`);
    return unpacked;
  });
}

/** "train-images-idx3-ubyte.gz" and "train-labels-idx1-ubyte" both become "train". */
function pairKey(name: string): string {
  const base = name.toLowerCase().split('/').at(-1)!.replace(/\.gz$/, '');
  return base.replace(/idx\d|ubyte|images?|imgs?|labels?|[^a-z0-9]/g, '');
}

function pairFiles(files: NamedFile[]): IdxPair[] {
  const images: IdxPair['images'][] = [];
  const labels: { name: string; classIndices: Int32Array }[] = [];
  for (const file of files) {
    const name = `"${file.name}"`;
    const array = parseIdx(file.bytes, name);
    if (array.shape.length === 3) {
      const [count, height, width] = array.shape as [number, number, number];
      images.push({ name: file.name, pixels: idxPixels(array, name), count, height, width });
    } else if (array.shape.length === 1) {
      labels.push({ name: file.name, classIndices: idxLabels(array, name) });
    } else {
      throw new UploadProblem(`${name} has ${array.shape.length} dimensions; an images file has 3 (count × height × width) and a labels file 1.`);
    }
  }
  if (images.length !== labels.length) {
    throw new UploadProblem(
      `There ${images.length === 1 ? 'is 1 images file' : `are ${images.length} images files`} and ${labels.length === 1 ? '1 labels file' : `${labels.length} labels files`}. Each images file needs the labels file that belongs to it.`,
    );
  }
  const byKey = matchOneToOne(images, labels, (i) => pairKey(i.name), (l) => pairKey(l.name));
  const byCount = byKey ?? matchOneToOne(images, labels, (i) => String(i.count), (l) => String(l.classIndices.length));
  if (!byCount) {
    throw new UploadProblem(
      'Layerbook cannot tell which labels file belongs to which images file. Keep their names as they were downloaded, like train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz.',
    );
  }
  return byCount.map(([image, label]) => {
    if (image.count !== label.classIndices.length) {
      throw new UploadProblem(
        `"${image.name}" holds ${image.count} images but "${label.name}" holds ${label.classIndices.length} labels. Use the labels file that belongs to these images.`,
      );
    }
    return { key: pairKey(image.name), images: image, labels: label };
  });
}

/** Pairs each image with the one label of the same key, or null when keys repeat or do not match. */
function matchOneToOne<A, B>(as: A[], bs: B[], keyA: (a: A) => string, keyB: (b: B) => string): [A, B][] | null {
  if (as.length === 1) return [[as[0]!, bs[0]!]];
  const keysA = as.map(keyA);
  const keysB = bs.map(keyB);
  if (new Set(keysA).size !== as.length || new Set(keysB).size !== bs.length) return null;
  const pairs: [A, B][] = [];
  for (const [i, key] of keysA.entries()) {
    const j = keysB.indexOf(key);
    if (j < 0) return null;
    pairs.push([as[i]!, bs[j]!]);
  }
  return pairs;
}

/** With two pairs, the one named t10k or test (else the smaller one) is the test split. */
function trainAndTest(pairs: IdxPair[]): { train: IdxPair; test: IdxPair | null } {
  if (pairs.length === 1) return { train: pairs[0]!, test: null };
  const [a, b] = pairs as [IdxPair, IdxPair];
  const namedTest = (pair: IdxPair) => /t10k|test/.test(pair.key);
  if (namedTest(a) !== namedTest(b)) return namedTest(a) ? { train: b, test: a } : { train: a, test: b };
  return a.images.count < b.images.count ? { train: b, test: a } : { train: a, test: b };
}

function classNames(pairs: IdxPair[], given: string[] | undefined): string[] {
  let largest = 0;
  for (const pair of pairs) for (const label of pair.labels.classIndices) if (label > largest) largest = label;
  const count = largest + 1;
  if (count < 2) throw new UploadProblem('Every label is 0, so there is only one class. A network needs at least 2 classes to tell apart.');
  if (count > MAX_IMAGE_CLASSES) throw new UploadProblem(`The labels go up to ${largest}; at most ${MAX_IMAGE_CLASSES} classes can be imported.`);
  if (!given) return Array.from({ length: count }, (_, i) => String(i));
  if (given.length !== count) {
    throw new UploadProblem(
      `The labels go from 0 to ${largest}, so there are ${count} classes, but ${given.length} class names were given. Give exactly one name for each label, in order (the name for 0 first), or leave the names empty.`,
    );
  }
  return given;
}
