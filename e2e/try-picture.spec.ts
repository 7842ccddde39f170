import { expect, test, type Page } from '@playwright/test';
import { solidJpeg, solidPng } from '../testing/pictures';
import { HomePage } from './pages/home-page';
import { TryModelPanel } from './pages/try-model';

type Rgba = [number, number, number, number];

/**
 * A notebook with a data cell of pictures picked class by class (each class's pictures a little
 * different shade of its colour), and a model cell below it (Flatten, Dense softmax) trained on
 * them: the model cell's training section, where "Try your model" appears.
 */
async function trainedOnPictures(page: Page, options: { name: string; size: string; colour: string; classes: Array<{ name: string; shade: (i: number) => Rgba }>; pictureSize: number }) {
  const { notebook, data, position } = await new HomePage(page).startWithDataCell();
  await data.openOwnData();
  const form = data.root.getByRole('form', { name: 'Pictures class by class' });
  for (const [index, picked] of options.classes.entries()) {
    await form.getByLabel(`Class ${index + 1} name`).fill(picked.name);
    const files = Array.from({ length: 8 }, (_, i) => ({ name: `${picked.name}-${i}.png`, mimeType: 'image/png', buffer: Buffer.from(solidPng(options.pictureSize, options.pictureSize, picked.shade(i))) }));
    await form.getByLabel(`Class ${index + 1} pictures`).setInputFiles(files);
  }
  await form.getByLabel('Dataset name').fill(options.name);
  await form.getByLabel(/^Picture size/).selectOption(options.size);
  await form.getByLabel('Colour').selectOption(options.colour);
  await form.getByRole('button', { name: 'Import pictures by class' }).click();
  await data.waitForPreview(options.name);

  const model = notebook.modelCell(await notebook.addCellAtEnd('model'));
  await model.waitUntilLoaded();
  // The Input block starts at MNIST's 28,28,1; the data's pictures may be another size.
  await model.blocks.typeInField('Input', 'shape', `${options.size},${options.size},${options.colour === 'rgb' ? 3 : 1}`);
  await model.blocks.dragFromToolbox('Reshaping', 'Flatten', { below: 'Input' });
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Flatten' });
  await model.blocks.typeInField('Dense', 'units', String(options.classes.length));
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
  await model.training.dataset.selectOption({ label: `Data cell ${position}: ${options.name} (uploaded)` });
  await expect(model.problems).toBeHidden();
  await model.training.setEpochs(10);
  await model.training.train();
  await model.training.waitForTestAccuracy();
  return new TryModelPanel(page, model.training.root);
}

test('a student who uploaded colour pictures tries their model with a picture file, chosen or dropped, and sees it as the model does', async ({ page }) => {
  const tryModel = await trainedOnPictures(page, {
    name: 'Red or blue',
    size: '32',
    colour: 'rgb',
    pictureSize: 16,
    classes: [
      { name: 'red', shade: (i) => [200 + i * 5, 20 + i * 3, 30, 255] },
      { name: 'blue', shade: (i) => [25, 30 + i * 3, 200 + i * 5, 255] },
    ],
  });
  await tryModel.openForPictureFiles();
  // Colour pictures cannot be drawn: a picture file is the only way, so there is no pad.
  await expect(tryModel.pad).toHaveCount(0);
  await expect(tryModel.answer).toHaveText('Choose a picture to see what your model thinks it is.', { timeout: 60_000 });

  // A red picture of another size and shape than the training pictures.
  await tryModel.pictureFile.setInputFiles({ name: 'my red thing.png', mimeType: 'image/png', buffer: Buffer.from(solidPng(60, 40, [220, 30, 40, 255])) });
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is “red” \(\d{1,3}% sure\)\.$/);
  await expect(tryModel.yourPicture).toHaveAccessibleName('Your picture, my red thing.png');
  await expect(tryModel.seen).toHaveAccessibleName('Your picture as the model sees it: 32×32 pixels in colour');
  await expect(tryModel.openButton.locator('..').getByText('Yours: 60×40 pixels')).toBeVisible();
  // What the model sees is the picture at the data's own 32×32, red all over.
  expect(await tryModel.seen.evaluate((canvas: HTMLCanvasElement) => [canvas.width, canvas.height, ...canvas.getContext('2d')!.getImageData(5, 5, 1, 1).data])).toEqual([32, 32, 220, 30, 40, 255]);
  expect((await tryModel.shareRows()).map((row) => row.name)).toEqual(['blue', 'red']);

  // "Look inside" takes the picture too: Flatten has 32×32×3 numbers.
  await tryModel.lookInsideButton.click();
  await expect(tryModel.layerHeadings).toHaveText(['Layer 1: Flatten, 3072 numbers', "Layer 2: Dense (your model's answer)"]);
  await tryModel.lookInsideButton.click();

  for (const [name, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    await tryModel.openButton.evaluate((button) => window.scrollBy(0, button.getBoundingClientRect().top - 70));
    await page.screenshot({ path: test.info().outputPath(`try-picture-${name}.png`) });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: name }).toBeLessThanOrEqual(viewport.width);
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  // A blue JPEG dropped on the panel.
  await tryModel.dropFile({ name: 'sky.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(solidJpeg(20, 20, [30, 40, 220])) });
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is “blue” \(\d{1,3}% sure\)\.$/);
  await expect(tryModel.yourPicture).toHaveAccessibleName('Your picture, sky.jpg');

  // Files that are not pictures, or cannot be read, or are far too big, are refused in words.
  await tryModel.pictureFile.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('red things') });
  await expect(tryModel.problem).toHaveText('"notes.txt" is not a PNG or JPEG picture. Choose a .png or .jpg picture, like the ones your data was made of.');
  await expect(tryModel.yourPicture).toHaveCount(0);
  await expect(tryModel.shares).toHaveCount(0);
  await tryModel.pictureFile.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not really a png at all') });
  await expect(tryModel.problem).toHaveText(/^"broken\.png" could not be read as a picture: it may be damaged\./);
  await tryModel.pictureFile.setInputFiles({ name: 'huge photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(21 * 1024 * 1024) });
  await expect(tryModel.problem).toHaveText('"huge photo.jpg" is 21 MB; a picture to try may be at most 20 MB. Use a smaller picture.');
  await page.screenshot({ path: test.info().outputPath('try-picture-refused.png') });
});

test('the drawing pad draws black on white for 28×28 pictures of dark ink on paper, and the student can switch the ink', async ({ page }) => {
  // Paper-white pictures with a dark mark in the middle: a light class and a darker one.
  const tryModel = await trainedOnPictures(page, {
    name: 'Paper marks',
    size: '28',
    colour: 'grayscale',
    pictureSize: 28,
    classes: [
      { name: 'faint', shade: (i) => [235 - i, 235 - i, 235 - i, 255] },
      { name: 'strong', shade: (i) => [180 - i, 180 - i, 180 - i, 255] },
    ],
  });
  await tryModel.open();
  await expect(tryModel.drawingChoice).toBeChecked();
  // The data's pictures are light at their edges: the pad's ink follows them.
  await expect(tryModel.blackInk).toBeChecked();
  await expect(tryModel.openButton.locator('..').getByText(/^Draw one of the 2 classes in the white box/)).toBeVisible();
  await tryModel.stroke([[0.5, 0.2], [0.5, 0.8]]);
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is “(faint|strong)” \(\d{1,3}% sure\)\.$/, { timeout: 60_000 });
  // The model sees paper as white, like the data's pictures.
  const corner = () => tryModel.seen.evaluate((canvas: HTMLCanvasElement) => canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data[0]);
  expect(await corner()).toBe(255);
  await tryModel.pad.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('try-drawing-black-ink.png') });

  // Switched to white ink: the drawing starts again, and the model sees a black background.
  await tryModel.whiteInk.check();
  await expect(tryModel.seen).toHaveCount(0);
  await expect(tryModel.openButton.locator('..').getByText(/^Draw one of the 2 classes in the black box/)).toBeVisible();
  await tryModel.stroke([[0.5, 0.2], [0.5, 0.8]]);
  await expect(tryModel.seen).toBeVisible();
  expect(await corner()).toBe(0);

  // The picture file is there too, for 28×28 grey data.
  await tryModel.pictureFileChoice.check();
  await expect(tryModel.pad).toHaveCount(0);
  await tryModel.pictureFile.setInputFiles({ name: 'mark.png', mimeType: 'image/png', buffer: Buffer.from(solidPng(50, 50, [234, 234, 234, 255])) });
  await expect(tryModel.seen).toHaveAccessibleName('Your picture as the model sees it: 28×28 pixels, grey');
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is “(faint|strong)”/);
  await page.setViewportSize({ width: 390, height: 844 });
  await tryModel.openButton.evaluate((button) => window.scrollBy(0, button.getBoundingClientRect().top - 70));
  await page.screenshot({ path: test.info().outputPath('try-drawing-file-phone.png') });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
