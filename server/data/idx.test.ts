import { describe, expect, it } from 'vitest';
import { IdxError, idxExamples, parseIdx } from './idx';
import { idxFile } from './test-pictures';


describe('IDX files', () => {
  const images = idxFile(0x08, [3, 2, 2], [0, 255, 0, 255, 128, 128, 128, 128, 255, 0, 0, 0]);
  const labels = idxFile(0x08, [3], [1, 0, 2]);

  it('reads images and labels into examples with pixels from 0 to 1', () => {
    const examples = idxExamples(parseIdx(images), parseIdx(labels));
    expect(examples.inputShape).toEqual([2, 2, 1]);
    expect(Array.from(examples.classIndices)).toEqual([1, 0, 2]);
    expect(examples.classes).toEqual(['0', '1', '2']);
    expect(Array.from(examples.features.slice(0, 4))).toEqual([0, 1, 0, 1]);
  });

  it('reads big-endian ints', () => {
    expect(Array.from(parseIdx(idxFile(0x0c, [2], [-5, 70000], 4)).values)).toEqual([-5, 70000]);
  });

  it('refuses a header that claims more values than the file has, or than Layerbook reads, before allocating', () => {
    const giant = idxFile(0x08, [60000, 28, 28], []);
    expect(() => parseIdx(giant, 'images.idx')).toThrow(new IdxError('images.idx should be 47040016 bytes for 60000×28×28 unsigned byte values, but it is 16 bytes. It is cut short; download it again.'));
    const absurd = idxFile(0x08, [100000, 1000, 1000], []);
    expect(() => parseIdx(absurd)).toThrow(/more than Layerbook reads/);
  });

  it('explains files that are not IDX, still compressed, or do not belong together', () => {
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]))).toThrow('is not an IDX file');
    expect(() => parseIdx(new Uint8Array([...labels, 1, 2]))).toThrow('is it still compressed (.gz)? Unzip it first.');
    expect(() => idxExamples(parseIdx(images), parseIdx(idxFile(0x08, [2], [0, 1])))).toThrow('There are 3 images but 2 labels.');
  });
});
