import { describe, expect, it } from 'vitest';
import { idxLabels, idxPixels, parseIdx } from './idx';
import { idxFile } from '../../testing/pictures';

describe('IDX files', () => {
  const images = idxFile(0x08, [3, 2, 2], [0, 255, 0, 255, 128, 128, 128, 128, 255, 0, 0, 0]);
  const labels = idxFile(0x08, [3], [1, 0, 2]);

  it('reads MNIST-style images as the bytes they are, without copying, and labels as class indices', () => {
    const array = parseIdx(images, 'images');
    expect(array.shape).toEqual([3, 2, 2]);
    const pixels = idxPixels(array, 'images');
    expect(Array.from(pixels.slice(0, 4))).toEqual([0, 255, 0, 255]);
    expect(pixels.buffer).toBe(images.buffer);
    expect(Array.from(idxLabels(parseIdx(labels), 'labels'))).toEqual([1, 0, 2]);
  });

  it('reads big-endian ints, and float images in 0..1 as fractions of full brightness', () => {
    expect(Array.from(idxLabels(parseIdx(idxFile(0x0c, [2], [5, 70], 4)), 'labels'))).toEqual([5, 70]);
    const floats = new Uint8Array(4 + 12 + 4 * 4);
    const view = new DataView(floats.buffer);
    floats.set([0, 0, 0x0d, 3]);
    [1, 2, 2].forEach((d, i) => view.setUint32(4 + i * 4, d));
    [0, 0.5, 1, 0.25].forEach((v, i) => view.setFloat32(16 + i * 4, v));
    expect(Array.from(idxPixels(parseIdx(floats), 'floats'))).toEqual([0, 128, 255, 64]);
  });

  it('refuses a header that claims more values than the file has, or than Layerbook reads, before allocating', () => {
    const giant = idxFile(0x08, [60000, 28, 28], []);
    expect(() => parseIdx(giant, 'images.idx')).toThrow('images.idx should be 47040016 bytes for 60000×28×28 unsigned byte values, but it is 16 bytes. It is cut short; download it again.');
    const absurd = idxFile(0x08, [100000, 1000, 1000], []);
    expect(() => parseIdx(absurd)).toThrow(/more than Layerbook reads/);
  });

  it('explains files that are not IDX, labels that are not whole numbers, and files used as the wrong kind', () => {
    expect(() => parseIdx(new TextEncoder().encode('x,y\n1,2'), '"data.csv"')).toThrow('"data.csv" is not an IDX file');
    expect(() => parseIdx(new Uint8Array([...labels, 1, 2]))).toThrow('It has extra data at the end');
    expect(() => idxLabels(parseIdx(idxFile(0x0c, [2], [1, -3], 4)), '"labels"')).toThrow('"labels": label 2 is -3; labels must be whole numbers from 0 to 255.');
    expect(() => idxPixels(parseIdx(labels), '"labels"')).toThrow('"labels" should have 3 dimensions (count × height × width) to be images, not 1.');
  });
});
