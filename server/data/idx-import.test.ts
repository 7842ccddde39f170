import { describe, expect, it } from 'vitest';
import { importIdxZip, type IdxImportOptions } from './idx-import';
import { idxFile, zip } from './test-pictures';

const options: IdxImportOptions = { name: 'Tiny digits', split: { train: 50, validation: 0, test: 50 }, seed: 3 };
// Four 2×2 images: labels 0, 1, 0, 1; label 1 images are bright.
const images = idxFile(0x08, [4, 2, 2], [0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
const labels = idxFile(0x08, [4], [0, 1, 0, 1]);

describe('IDX zip import', () => {
  it('finds the images and labels files by their dimensions, whatever their names, and splits by class', () => {
    const imported = importIdxZip(zip({ 'b-file': images, 'a-file': labels }), { ...options, classNames: ['dark', 'bright'] });
    expect(imported.inputShape).toEqual([2, 2, 1]);
    expect(imported.classes).toEqual(['dark', 'bright']);
    expect([imported.splits.train.count, imported.splits.validation.count, imported.splits.test.count]).toEqual([2, 0, 2]);
    const train = imported.splits.train;
    for (let row = 0; row < train.count; row++) expect(train.features[row * 4]).toBe(train.classIndices[row]);
    expect(imported.preview).toMatchObject({ kind: 'images', width: 2, height: 2, channels: 1, imageCount: 4 });
    expect(imported.preview.images.map((i) => i.label)).toEqual(['dark', 'bright', 'dark', 'bright']);
  });

  it('names classes by their label numbers when no names are given', () => {
    expect(importIdxZip(zip({ images, labels }), options).classes).toEqual(['0', '1']);
  });

  it('explains what is wrong with the files', () => {
    expect(() => importIdxZip(zip({ images }), options)).toThrow('The zip should hold exactly 2 files, the images file and the labels file');
    expect(() => importIdxZip(zip({ images, 'labels.gz': new Uint8Array([0x1f, 0x8b, 8, 0]) }), options)).toThrow('"labels.gz" is still compressed (.gz).');
    expect(() => importIdxZip(zip({ images, again: images }), options)).toThrow('One file must be images (3 dimensions) and the other labels (1 dimension)');
    const threeLabels = idxFile(0x08, [4], [0, 1, 2, 1]);
    expect(() => importIdxZip(zip({ images, threeLabels }), { ...options, classNames: ['a', 'b'] })).toThrow(
      'The labels go up to 2, but only 2 class names were given. Give one name for each label from 0 up.',
    );
    expect(() => importIdxZip(zip({ images, '../labels': labels }), options)).toThrow('"../labels" points outside the zip\'s folders.');
  });
});
