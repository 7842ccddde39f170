import { describe, expect, it } from 'vitest';
import { importImageZip } from './image-zip';
import { importLabelledPictures, type ImageImportOptions } from './pictures';
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
