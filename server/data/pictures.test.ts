import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { isPictureShape, pictureExample } from '../../blocks/format/picture-pixels';
import { importImageZip } from './image-zip';
import { decodePicture, importLabelledPictures, importPictures, type ImageImportOptions, type LabelledPicture } from './pictures';
import { darkAndLightZip, formBody, solidJpeg, solidPng } from '../../testing/pictures';
import { readForm } from './upload-files';

const options: ImageImportOptions = { name: 'Light or dark', size: 28, color: 'grayscale', split: { train: 60, validation: 20, test: 20 }, seed: 1 };

/** What the browser sends after a student picked pictures class by class: each "class" field, then its "picture" files. */
async function picked(entries: [string, string | { name: string; bytes: Uint8Array }][]) {
  const { bytes, contentType } = await formBody(entries);
  return readForm(bytes, contentType);
}

describe('pictures picked class by class', () => {
  it('gives the same dataset as a zip of the same pictures in class folders, whatever order they were picked in', async () => {
    const entries: [string, string | { name: string; bytes: Uint8Array }][] = [];
    entries.push(['class', 'light']);
    for (let i = 4; i >= 0; i--) entries.push(['picture', { name: `${i}.jpg`, bytes: solidJpeg(20, 20, [255, 255, 255]) }]);
    entries.push(['class', 'dark']);
    for (let i = 0; i < 5; i++) entries.push(['picture', { name: `${i}.png`, bytes: solidPng(40, 30, [0, 0, 0, 255]) }]);
    const fromForm = importLabelledPictures(await picked(entries), options);
    const fromZip = importImageZip(darkAndLightZip(), options);
    expect(fromForm.classes).toEqual(['dark', 'light']);
    expect(fromForm.splits).toEqual(fromZip.splits);
    expect(fromForm.preview).toEqual(fromZip.preview);
  });

  it('refuses what the zip path refuses, naming the class and file', async () => {
    const png = solidPng(2, 2, [0, 0, 0, 255]);
    await expect(picked([['class', 'cats'], ['picture', { name: 'a.png', bytes: png }]]).then((form) => importLabelledPictures(form, options))).rejects.toThrow(
      'There is only one class ("cats"). A network needs at least 2 classes to tell apart: add pictures of a second class.',
    );
    const notes = await picked([['class', 'cats'], ['picture', { name: 'a.png', bytes: png }], ['class', 'dogs'], ['picture', { name: 'notes.txt', bytes: png }]]);
    expect(() => importLabelledPictures(notes, options)).toThrow('"notes.txt" is not a picture Layerbook can read.');
    const fake = await picked([['class', 'cats'], ['picture', { name: 'a.png', bytes: png }], ['class', 'dogs'], ['picture', { name: 'b.png', bytes: new TextEncoder().encode('no') }]]);
    expect(() => importLabelledPictures(fake, options)).toThrow('"dogs/b.png" is named like a picture but is not a PNG or JPEG inside.');
    const unnamed = await picked([['class', '  '], ['picture', { name: 'a.png', bytes: png }]]);
    expect(() => importLabelledPictures(unnamed, options)).toThrow('One class has no name. Give every class a name, like "cats".');
    const loose = await picked([['picture', { name: 'a.png', bytes: png }]]);
    expect(() => importLabelledPictures(loose, options)).toThrow('"a.png" has no class. Choose a class name, then its pictures.');
  });
});

describe('pixel budget of pictures picked class by class', () => {
  it('counts every class’s pictures together and refuses past the budget, naming it', async () => {
    const form = await picked([
      ['class', 'dark'],
      ...[1, 2, 3].map((i): [string, { name: string; bytes: Uint8Array }] => ['picture', { name: `${i}.png`, bytes: solidPng(20, 20, [0, 0, 0, 255]) }]),
      ['class', 'light'],
      ...[1, 2, 3].map((i): [string, { name: string; bytes: Uint8Array }] => ['picture', { name: `${i}.png`, bytes: solidPng(20, 10, [255, 255, 255, 255]) }]),
    ]);
    expect(() => importLabelledPictures(form, options, 1799)).toThrow('These 6 pictures have 1,800 pixels together; one upload may have at most 1,799 pixels.');
    expect(importLabelledPictures(form, options, 1800).classes).toEqual(['dark', 'light']);
  });
});

describe('a picture tried in the browser ("Try your model") and the same picture imported', () => {
  /** A 37×23 picture with colour, gradients and see-through parts: every step of the policy (resize, alpha on white, channels) shows. */
  function patternRgba(seed: number): { width: number; height: number; data: Uint8ClampedArray } {
    const width = 37;
    const height = 23;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.set([(x * 7 + seed) % 256, (y * 11 + seed * 3) % 256, ((x + y) * 5) % 256, x < 5 ? 128 : 255], (y * width + x) * 4);
    }
    return { width, height, data };
  }
  const asPng = ({ width, height, data }: { width: number; height: number; data: Uint8ClampedArray }) => {
    const png = new PNG({ width, height });
    png.data.set(data);
    return new Uint8Array(PNG.sync.write(png));
  };

  for (const [size, color] of [
    [28, 'grayscale'],
    [32, 'rgb'],
  ] as const) {
    it(`gives the numbers the importer stored for it (${size}×${size}, ${color})`, () => {
      const pictures = [patternRgba(0), patternRgba(90)];
      const files: LabelledPicture[] = pictures.flatMap((rgba, i) =>
        Array.from({ length: 4 }, (_, copy) => ({ name: `${i}/${copy}.png`, bytes: asPng(rgba), className: `class ${i}` })),
      );
      const imported = importPictures(files, { ...options, size, color });
      const channels = color === 'rgb' ? 3 : 1;
      const shape = [size, size, channels] as const;
      const rowSize = size * size * channels;
      pictures.forEach((rgba, classIndex) => {
        // The browser path: the canvas's RGBA straight into the shared policy.
        const tried = pictureExample(rgba, shape);
        // And the server's decoder, for the same file, gives the same RGBA.
        expect(pictureExample(decodePicture('p.png', asPng(rgba)), shape).levels).toEqual(tried.levels);
        const table = imported.splits.train;
        const row = Array.from(table.classIndices).indexOf(classIndex);
        expect(row).toBeGreaterThanOrEqual(0);
        expect(Array.from(table.pixels.subarray(row * rowSize, (row + 1) * rowSize))).toEqual(Array.from(tried.levels));
        // The model is given level / 255, as the trainer reads stored pictures.
        expect(Array.from(tried.input)).toEqual(Array.from(tried.levels, (level) => Math.fround(level / 255)));
      });
    });
  }

  it('sees a shape that is not a picture for what it is', () => {
    expect(isPictureShape([28, 28, 1])).toBe(true);
    expect(isPictureShape([64, 64, 3])).toBe(true);
    expect(isPictureShape([4])).toBe(false);
    expect(isPictureShape([28, 28, 2])).toBe(false);
    expect(isPictureShape([28, 28, 1, 1])).toBe(false);
  });
});
