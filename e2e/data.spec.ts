import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { halvesPng, idxFile, solidPng, zip } from '../testing/pictures';
import { HomePage } from './pages/home-page';

test('a student trains a network on the iris flowers after the checker says how to fit the Input', async ({ page }) => {
  const { model } = await new HomePage(page).startOwnModel();

  // A student guesses the number of measurements wrong…
  await model.blocks.typeInField('Input', 'shape', '10');
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Input' });
  await model.blocks.typeInField('Dense', 'units', '3');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
  await model.training.dataset.selectOption({ label: 'Iris flowers (4 measurements, 3 species)' });
  // …and the checker blocks training with the fix in words.
  await expect(model.training.root.getByText('Set the Input shape to 4.').first()).toBeVisible();
  await expect(model.training.trainButton).toBeDisabled();

  await model.blocks.typeInField('Input', 'shape', '4');
  await expect(model.training.root.getByText('Set the Input shape to 4.')).toHaveCount(0);
  await expect(model.problems).toBeHidden();

  await model.training.setEpochs(60);
  await model.training.setLearningRate('0.05');
  await model.training.train();
  // One softmax layer separates the three species well: far less means training is broken.
  expect(await model.training.waitForTestAccuracy()).toBeGreaterThanOrEqual(80);
});

test('a data cell previews a built-in set; a CSV upload shows its rows and class balance, and a broken one names the row', async ({ page }) => {
  const { data } = await new HomePage(page).startWithDataCell();
  await data.dataset.selectOption({ label: 'Iris flowers (4 measurements, 3 species)' });
  await expect(data.root.getByRole('table')).toBeVisible();

  await data.openOwnData();
  const rows = Array.from({ length: 20 }, (_, i) => `${i},${(i * 3) % 7},${i < 12 ? 'tall' : 'short'}`);
  await data.root.getByLabel('Upload a CSV file').setInputFiles({ name: 'plants.csv', mimeType: 'text/csv', buffer: Buffer.from(`height,width,kind\n${rows.join('\n')}\n`) });
  await data.root.getByRole('form', { name: 'Import settings' }).getByRole('button', { name: 'Import dataset' }).click();
  await expect(data.root.getByRole('region', { name: 'The first training and checking rows of plants (20 in all; test rows are never shown)' })).toBeVisible();
  expect(await data.balanceRows()).toEqual(['short: 8', 'tall: 12']);

  await data.root.getByLabel('Upload a CSV file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('height,width,kind\n1.0,2.0,a\n1.5,2.5\n') });
  await expect(data.problem).toContainText('Row 3 has 2 values, but the header has 3 columns.');
});

/**
 * Pictures dark on the left or dark on the right, a little different each, 30 and 20 of
 * them, in one folder per class inside a "sides" folder (as zipping that folder makes).
 */
function sidesZip(): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 30; i++) files[`sides/left/${i}.png`] = halvesPng(24 + i, 20, [20 + i, 20 + i, 20 + i, 255], [235 - i, 235, 235, 255]);
  for (let i = 0; i < 20; i++) files[`sides/right/${i}.png`] = halvesPng(20, 24 + i, [230 - i, 230, 230, 255], [15 + i, 15, 15 + i, 255]);
  return Buffer.from(zip(files));
}

test('a student uploads a zip of pictures, sees them with their classes and how many of each, and trains a network on them', async ({ page }) => {
  const { notebook, data, position } = await new HomePage(page).startWithDataCell();
  await data.importPictureZip({ name: 'sides.zip', mimeType: 'application/zip', buffer: sidesZip() });

  await data.waitForPreview('sides');
  await expect(data.pictures('sides')).toHaveCount(30);
  await expect(data.root.getByRole('img', { name: 'A picture of left' }).first()).toBeVisible();
  await expect(data.root.getByRole('img', { name: 'A picture of right' }).first()).toBeVisible();
  expect(await data.balanceRows()).toEqual(['left: 30', 'right: 20']);
  // Split 70/15/15 within each class: 21+14 for training, 4+3 for checking, 5+3 for the test.
  await expect(data.classBalance).toContainText('35 for training, 7 for checking, 8 for the final test');

  const modelPosition = await notebook.addCellAtEnd('model');
  const model = notebook.modelCell(modelPosition);
  await model.waitUntilLoaded();
  await model.blocks.dragFromToolbox('Reshaping', 'Flatten', { below: 'Input' });
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Flatten' });
  await model.blocks.typeInField('Dense', 'units', '2');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
  await model.training.dataset.selectOption({ label: `Data cell ${position}: sides (uploaded)` });
  await expect(model.problems).toBeHidden();
  await model.training.setEpochs(5);
  await model.training.train();
  // Which side is dark is easy to see: a network that cannot tell them apart was given scrambled pictures.
  expect(await model.training.waitForTestAccuracy()).toBeGreaterThanOrEqual(85);
});

test('a zip with a file that is not a picture is refused, naming the file, and nothing is added', async ({ page }) => {
  const { data } = await new HomePage(page).startWithDataCell();
  const bad = zip({ 'cats/1.png': solidPng(8, 8, [0, 0, 0, 255]), 'dogs/1.png': solidPng(8, 8, [255, 255, 255, 255]), 'dogs/notes.txt': new TextEncoder().encode('good dogs') });
  await data.importPictureZip({ name: 'pets.zip', mimeType: 'application/zip', buffer: Buffer.from(bad) });
  await expect(data.problem).toHaveText('"dogs/notes.txt" is not a picture Layerbook can read. Only .png and .jpg pictures can be imported: remove that file.');
  await expect(data.dataset.locator('option', { hasText: 'pets' })).toHaveCount(0);
});

test('a student picks pictures class by class without making a zip', async ({ page }) => {
  const { data } = await new HomePage(page).startWithDataCell();
  await data.openOwnData();
  const form = data.root.getByRole('form', { name: 'Pictures class by class' });
  const pictures = (shade: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `${shade}-${i}.png`, mimeType: 'image/png', buffer: Buffer.from(solidPng(12, 12, [shade, shade, shade, 255])) }));

  await form.getByLabel('Class 1 name').fill('night');
  await form.getByLabel('Class 1 pictures').setInputFiles(pictures(5, 4));
  // A second pick adds to the class rather than replacing what was chosen.
  await form.getByLabel('Class 1 pictures').setInputFiles(pictures(15, 2));
  await expect(form.getByText('6 pictures chosen.')).toBeVisible();
  await expect(form.getByRole('button', { name: 'Import pictures by class' })).toBeDisabled();
  await expect(form.getByText('Give class 2 a name.').or(form.getByText('Name at least 2 classes'))).toBeVisible();

  await form.getByLabel('Class 2 name').fill('day');
  await form.getByLabel('Class 2 pictures').setInputFiles(pictures(250, 4));
  await form.getByLabel('Dataset name').fill('Night and day');
  await form.getByRole('button', { name: 'Import pictures by class' }).click();

  await data.waitForPreview('Night and day');
  expect(await data.balanceRows()).toEqual(['day: 4', 'night: 6']);
  await expect(data.dataset).toHaveValue(/^upload:/);
});

test('a teacher imports IDX files as downloaded, with class names, and the t10k files become the test', async ({ page }) => {
  const { data } = await new HomePage(page).startWithDataCell();
  await data.root.getByText('Import IDX files (MNIST, Fashion-MNIST, KMNIST)').click();
  // Small stand-ins for train-images-idx3-ubyte.gz and friends: 3 classes, bright by label.
  const idxSet = (count: number) => {
    const labels = Array.from({ length: count }, (_, i) => i % 3);
    return { images: gzipSync(idxFile(0x08, [count, 28, 28], labels.flatMap((l) => new Array<number>(784).fill(l * 120)))), labels: gzipSync(idxFile(0x08, [count], labels)) };
  };
  const train = idxSet(60);
  const test = idxSet(15);
  const gz = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/gzip', buffer });
  await data.root.getByLabel('Import IDX files (MNIST format)').setInputFiles([
    gz('train-images-idx3-ubyte.gz', train.images),
    gz('train-labels-idx1-ubyte.gz', train.labels),
    gz('t10k-images-idx3-ubyte.gz', test.images),
    gz('t10k-labels-idx1-ubyte.gz', test.labels),
  ]);
  const form = data.root.getByRole('form', { name: 'IDX import settings' });
  await form.getByLabel('Dataset name').fill('Shapes');
  await form.getByLabel('Class names (optional)').fill('Circle, Circle');
  await expect(form.getByText('"Circle" is there twice. Every class needs its own name.')).toBeVisible();
  await expect(form.getByRole('button', { name: 'Import IDX files' })).toBeDisabled();
  await form.getByLabel('Class names (optional)').fill('Circle, Square, Triangle');
  await form.getByRole('button', { name: 'Import IDX files' }).click();

  await data.waitForPreview('Shapes');
  expect(await data.balanceRows()).toEqual(['Circle: 25', 'Square: 25', 'Triangle: 25']);
  // 10% of the 60 training pictures for checking; the 15 t10k pictures are the final test.
  await expect(data.classBalance).toContainText('54 for training, 6 for checking, 15 for the final test');
});
