import { describe, expect, it } from 'vitest';
import { darkAndLightZip, solidJpeg, solidPng, zip } from '../../testing/pictures';
import { importImageZip, listPictures } from './image-zip';
import { resizeToChannels } from '../../blocks/format/picture-pixels';
import { MAX_ENTRY_BYTES, pictureDimensions, type ImageImportOptions } from './pictures';

const options: ImageImportOptions = { name: 'Light or dark', size: 28, color: 'grayscale', split: { train: 60, validation: 20, test: 20 }, seed: 1 };

/** A PNG header claiming a size, with no pixel data behind it. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  const view = new DataView(bytes.buffer);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  view.setUint32(8, 13);
  bytes.set([0x49, 0x48, 0x44, 0x52], 12);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytes;
}

describe('image zip import', () => {
  it('makes one class per folder, resizes every picture, and splits stratified by class', () => {
    const imported = importImageZip(darkAndLightZip(), options);
    expect(imported.inputShape).toEqual([28, 28, 1]);
    expect(imported.classes).toEqual(['dark', 'light']);
    expect([imported.splits.train.count, imported.splits.validation.count, imported.splits.test.count]).toEqual([6, 2, 2]);
    for (const split of ['train', 'validation', 'test'] as const) {
      const table = imported.splits[split];
      expect(table.pixels.length).toBe(table.count * 28 * 28);
      for (let row = 0; row < table.count; row++) {
        const pixels = table.pixels.subarray(row * 784, (row + 1) * 784);
        const expected = imported.classes[table.classIndices[row]!] === 'dark' ? 0 : 255;
        for (const value of pixels) expect(Math.abs(value - expected)).toBeLessThanOrEqual(3);
      }
    }
    expect(imported.preview).toMatchObject({ kind: 'images', width: 28, height: 28, channels: 1, imageCount: 10 });
    expect(new Set(imported.preview.images.map((i) => i.label))).toEqual(new Set(['dark', 'light']));
    expect(imported.preview.images[0]!.pixels).toHaveLength(784);
    expect(imported.preview.balance).toEqual({ classes: ['dark', 'light'], counts: { train: [3, 3], validation: [1, 1], test: [1, 1] } });
  });

  it('keeps colour in RGB mode', () => {
    const imported = importImageZip(zip({ 'red/a.png': solidPng(8, 8, [255, 0, 0, 255]), 'blue/b.png': solidPng(8, 8, [0, 0, 255, 255]), 'red/c.png': solidPng(8, 8, [255, 0, 0, 255]), 'blue/d.png': solidPng(8, 8, [0, 0, 255, 255]) }), {
      ...options,
      size: 32,
      color: 'rgb',
      split: { train: 50, validation: 0, test: 50 },
    });
    expect(imported.inputShape).toEqual([32, 32, 3]);
    const train = imported.splits.train;
    const first = Array.from(train.pixels.subarray(0, 3));
    expect(first).toEqual(imported.classes[train.classIndices[0]!] === 'red' ? [255, 0, 0] : [0, 0, 255]);
  });

  it('looks inside one wrapping folder and ignores files the computer adds', () => {
    const pictures = listPictures(
      zip({ 'animals/cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'animals/dogs/2.png': solidPng(2, 2, [0, 0, 0, 255]), '__MACOSX/animals/._x': new Uint8Array(3), 'animals/.DS_Store': new Uint8Array(3) }),
    );
    expect(pictures).toEqual([
      { path: 'animals/cats/1.png', className: 'cats' },
      { path: 'animals/dogs/2.png', className: 'dogs' },
    ]);
  });

  it('refuses a path that climbs out of the zip, naming it', () => {
    const bytes = zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), '../evil.png': solidPng(2, 2, [0, 0, 0, 255]) });
    expect(() => listPictures(bytes)).toThrow('"../evil.png" points outside the zip\'s folders.');
    expect(() => listPictures(zip({ '/etc/cats/1.png': solidPng(2, 2, [0, 0, 0, 255]) }))).toThrow('"/etc/cats/1.png" points outside');
  });

  it('refuses an entry that unpacks to more than the limit, from the declared size, before inflating it', () => {
    // Zeros compress about 1000:1, so the zip itself stays small — like a zip bomb.
    const bomb = zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/bomb.png': new Uint8Array(MAX_ENTRY_BYTES + 1) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => importImageZip(bomb, options)).toThrow('"dogs/bomb.png" unpacks to 16 MB; each picture may be at most 16 MB. Use a smaller picture.');
  });

  it('never unpacks more than the zip declares, even when the declared size is a lie', () => {
    const bytes = zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/liar.png': new Uint8Array(MAX_ENTRY_BYTES * 2) });
    // Rewrites the central directory's "uncompressed size" of every entry to 100 bytes.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = 0; at < bytes.length - 28; at++) if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 100, true);
    expect(() => importImageZip(bytes, options)).toThrow(/^"(cats\/1|dogs\/liar).png" is named like a picture but is not a PNG or JPEG inside/);
  });

  it('refuses a picture whose header claims a giant size, before decoding it', () => {
    const bytes = zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/huge.png': pngHeaderOnly(100_000, 100_000) });
    expect(() => importImageZip(bytes, options)).toThrow('"dogs/huge.png" says it is 100000×100000 pixels; pictures may be at most 4096×4096. Make it smaller and upload it again.');
  });

  it('refuses files that are not pictures, naming the file', () => {
    expect(() => listPictures(zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/notes.txt': new TextEncoder().encode('hi') }))).toThrow(
      '"dogs/notes.txt" is not a picture Layerbook can read. Only .png and .jpg pictures can be imported',
    );
    expect(() => importImageZip(zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/fake.png': new TextEncoder().encode('not a png') }), options)).toThrow(
      '"dogs/fake.png" is named like a picture but is not a PNG or JPEG inside.',
    );
  });

  it('refuses fewer than 2 classes, empty folders, loose pictures and a file that is not a zip', () => {
    expect(() => listPictures(zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'cats/2.png': solidPng(2, 2, [0, 0, 0, 255]) }))).toThrow(
      'There is only one class folder ("cats"). A network needs at least 2 classes to tell apart: add pictures of a second class.',
    );
    expect(() => listPictures(zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'dogs/2.png': solidPng(2, 2, [0, 0, 0, 255]), 'birds/': {} }))).toThrow(
      'The folder "birds" has no pictures. Put some pictures in it, or delete the folder.',
    );
    expect(() => listPictures(zip({ 'cats/1.png': solidPng(2, 2, [0, 0, 0, 255]), 'loose.png': solidPng(2, 2, [0, 0, 0, 255]) }))).toThrow(
      '"loose.png" is not inside a class folder.',
    );
    expect(() => listPictures(new TextEncoder().encode('x,y\n1,2'))).toThrow('This file is not a zip file that can be read.');
  });

  it('reads JPEG dimensions from the frame header', () => {
    expect(pictureDimensions('a.jpg', solidJpeg(37, 21, [9, 9, 9]))).toEqual({ width: 37, height: 21, format: 'jpeg' });
  });

  it('averages the area each output pixel covers, drawing transparency on white', () => {
    // A 4×2 picture, left half black and right half white, shrunk to 2×2 (stretched), then to 1×1.
    const data = new Uint8Array(4 * 2 * 4);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) data.set(x < 2 ? [0, 0, 0, 255] : [255, 255, 255, 255], (y * 4 + x) * 4);
    expect(Array.from(resizeToChannels({ width: 4, height: 2, data }, 2, 1))).toEqual([0, 255, 0, 255]);
    expect(resizeToChannels({ width: 4, height: 2, data }, 1, 1)[0]).toBe(128);
    const transparent = new Uint8Array([0, 0, 0, 0]);
    expect(resizeToChannels({ width: 1, height: 1, data: transparent }, 1, 1)[0]).toBe(255);
  });

  describe('pixel budget', () => {
    /** 30 pictures that say they are 4096×4096: as a real zip of blank PNGs this is 9 KB and 17 s of decoding. */
    const thirtyHuge = () => {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 30; i++) files[`${i % 2 ? 'a' : 'b'}/${i}.png`] = pngHeaderOnly(4096, 4096);
      return zip(files);
    };

    it('refuses an upload whose pictures together pass the budget, from their headers, before decoding any', () => {
      // The pixel data is missing: decoding would call the first picture damaged, so this message proves nothing was decoded.
      expect(() => importImageZip(thirtyHuge(), options)).toThrow(
        'These 30 pictures have 503.3 million pixels together; one upload may have at most 50 million pixels. Make the pictures smaller (a network sees them at 64×64 at most) or upload fewer at once.',
      );
    });

    it('takes the budget it is given, and imports pictures within it', () => {
      const four = zip({ 'a/1.png': solidPng(10, 10, [0, 0, 0, 255]), 'a/2.png': solidPng(10, 10, [0, 0, 0, 255]), 'b/1.png': solidPng(10, 10, [255, 255, 255, 255]), 'b/2.png': solidPng(10, 10, [255, 255, 255, 255]) });
      expect(importImageZip(four, options, 400).classes).toEqual(['a', 'b']);
      expect(() => importImageZip(four, options, 399)).toThrow('These 4 pictures have 400 pixels together; one upload may have at most 399 pixels.');
    });
  });
});
