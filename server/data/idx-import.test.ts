import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { importIdxFiles, type IdxImportOptions } from './idx-import';
import { idxFile, zip } from '../../testing/pictures';
import { MAX_TOTAL_BYTES } from './upload-files';

const options: IdxImportOptions = { name: 'Tiny digits', split: { train: 50, validation: 0, test: 50 }, seed: 3, shareWithSchool: false };
const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));

/** `count` 2×2 images whose pixels all equal their label × 100, labels cycling through `classes`. */
function set(count: number, classes: number, offset = 0) {
  const labels = Array.from({ length: count }, (_, i) => (i + offset) % classes);
  return {
    images: idxFile(0x08, [count, 2, 2], labels.flatMap((l) => [l * 100, l * 100, l * 100, l * 100])),
    labels: idxFile(0x08, [count], labels),
  };
}

describe('IDX import', () => {
  it('reads the four files as the MNIST site ships them: gzipped, with the t10k pair as the test split', () => {
    const train = set(40, 2);
    const test = set(10, 2, 1);
    const imported = importIdxFiles(
      [
        { name: 't10k-labels-idx1-ubyte.gz', bytes: gz(test.labels) },
        { name: 'train-images-idx3-ubyte.gz', bytes: gz(train.images) },
        { name: 't10k-images-idx3-ubyte.gz', bytes: gz(test.images) },
        { name: 'train-labels-idx1-ubyte.gz', bytes: gz(train.labels) },
      ],
      { ...options, classNames: ['dark', 'bright'], split: { train: 70, validation: 10, test: 20 } },
    );
    expect(imported.inputShape).toEqual([2, 2, 1]);
    expect(imported.classes).toEqual(['dark', 'bright']);
    // The test share is not used: test files were given. Validation is 10% of the training files, per class.
    expect([imported.splits.train.count, imported.splits.validation.count, imported.splits.test.count]).toEqual([36, 4, 10]);
    expect(Array.from(imported.splits.test.classIndices)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) % 2));
    for (const split of ['train', 'validation', 'test'] as const) {
      const table = imported.splits[split];
      for (let row = 0; row < table.count; row++) expect(table.pixels[row * 4]).toBe(table.classIndices[row]! * 100);
    }
    expect(imported.preview.balance!.counts).toEqual({ train: [18, 18], validation: [2, 2], test: [5, 5] });
    // The preview's pictures come from the train and validation splits, each with its own label.
    expect(imported.preview).toMatchObject({ imageCount: 40, withoutTestRows: true });
    expect(imported.preview.images).toHaveLength(30);
    for (const image of imported.preview.images) expect(image).toEqual({ pixels: new Array(4).fill(image.label === 'dark' ? 0 : 100), label: image.label });
  });

  it('splits one pair by the shares, with a seed, and accepts unpacked files in a zip whatever their names', () => {
    const { images, labels } = set(20, 2);
    const first = importIdxFiles([{ name: 'upload.zip', bytes: zip({ 'b-file': images, 'a-file': labels }) }], options);
    expect(first.classes).toEqual(['0', '1']);
    expect([first.splits.train.count, first.splits.validation.count, first.splits.test.count]).toEqual([10, 0, 10]);
    const again = importIdxFiles([{ name: 'b', bytes: images }, { name: 'a', bytes: labels }], options);
    expect(again.splits.test.classIndices).toEqual(first.splits.test.classIndices);
    const otherSeed = importIdxFiles([{ name: 'b', bytes: images }, { name: 'a', bytes: labels }], { ...options, seed: 4, split: { train: 60, validation: 20, test: 20 } });
    expect([otherSeed.splits.train.count, otherSeed.splits.validation.count, otherSeed.splits.test.count]).toEqual([12, 4, 4]);
  });

  it('pairs images with labels by count when the names do not say', () => {
    const big = set(30, 3);
    const small = set(6, 3);
    const imported = importIdxFiles(
      [
        { name: 'a', bytes: small.labels },
        { name: 'b', bytes: big.images },
        { name: 'c', bytes: big.labels },
        { name: 'd', bytes: small.images },
      ],
      options,
    );
    expect([imported.splits.train.count + imported.splits.validation.count, imported.splits.test.count]).toEqual([30, 6]);
  });

  it('explains what is wrong with the files, naming them', () => {
    const { images, labels } = set(4, 2);
    expect(() => importIdxFiles([{ name: 'train-images-idx3-ubyte.gz', bytes: gz(images) }], options)).toThrow(
      'Choose the images file and its labels file (like train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz), and if you have them the test files (t10k-images-… and t10k-labels-…): 2 or 4 files. There is 1 file: "train-images-idx3-ubyte.gz".',
    );
    expect(() => importIdxFiles([{ name: 'x', bytes: images }, { name: 'y', bytes: images }], options)).toThrow(
      'There are 2 images files and 0 labels files. Each images file needs the labels file that belongs to it.',
    );
    expect(() => importIdxFiles([{ name: 'images', bytes: images }, { name: 'labels', bytes: set(5, 2).labels }], options)).toThrow(
      '"images" holds 4 images but "labels" holds 5 labels. Use the labels file that belongs to these images.',
    );
    expect(() => importIdxFiles([{ name: 'images', bytes: images }, { name: 'labels.gz', bytes: new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]) }], options)).toThrow(
      '"labels.gz" is a damaged .gz file and could not be unpacked. Download it again.',
    );
    expect(() => importIdxFiles([{ name: 'images', bytes: images }, { name: 'notes.txt', bytes: new TextEncoder().encode('hello') }], options)).toThrow(
      '"notes.txt" is not an IDX file',
    );
    expect(() => importIdxFiles([{ name: 'images', bytes: images }, { name: 'labels', bytes: labels }], { ...options, classNames: ['a', 'b', 'c'] })).toThrow(
      'The labels go from 0 to 1, so there are 2 classes, but 3 class names were given. Give exactly one name for each label, in order (the name for 0 first), or leave the names empty.',
    );
    expect(() => importIdxFiles([{ name: 'x.zip', bytes: zip({ images, '../labels': labels }) }], options)).toThrow('"../labels" points outside the zip\'s folders.');
  });

  it('refuses a .gz whose trailer claims more than Layerbook reads, before unpacking it', () => {
    const { labels } = set(4, 2);
    const claimsTooMuch = gz(new Uint8Array(1000));
    new DataView(claimsTooMuch.buffer, claimsTooMuch.byteOffset).setUint32(claimsTooMuch.length - 4, MAX_TOTAL_BYTES + 1, true);
    expect(() => importIdxFiles([{ name: 'huge-images.gz', bytes: claimsTooMuch }, { name: 'labels', bytes: labels }], options)).toThrow(
      '"huge-images.gz" unpacks to more than 256 MB, more than Layerbook reads from one file. Use a smaller file.',
    );
  });
});
