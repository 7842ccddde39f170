import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { TryModelPanel } from './pages/try-model';

const IRIS_COLUMNS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
const SPECIES = ['setosa', 'versicolor', 'virginica'];
const ANSWER = /^Your model thinks this is “(setosa|versicolor|virginica)” \(((\d{1,3}|<1)%) sure\)\.$/;

test('after training on the iris flowers a student types in a flower and sees what their model thinks it is', async ({ page }, testInfo) => {
  const { model } = await new HomePage(page).startOwnModel();
  await model.blocks.buildClassifier({ inputs: 4, classes: 3 });
  const training = model.training;
  await training.dataset.selectOption({ label: 'Iris flowers (4 measurements, 3 species)' });
  await training.setEpochs(30);
  await training.setLearningRate('0.05');
  await training.train();
  await training.waitForTestAccuracy();

  const tryModel = new TryModelPanel(page, training.root);
  await tryModel.openForTable();
  // A box per measurement, in cm, filled with a real flower the model can answer for.
  for (const name of IRIS_COLUMNS) await expect(tryModel.column(name)).toHaveValue(/^\d+(\.\d+)?$/);
  await expect(tryModel.pad).toHaveCount(0);
  await expect(tryModel.answer).toHaveText(ANSWER, { timeout: 60_000 });
  await expect(tryModel.truth).toHaveText(/^Example 1 of \d+: really (setosa|versicolor|virginica)\.$/);
  expect((await tryModel.shareRows()).map((r) => r.name)).toEqual(SPECIES);

  // Another real flower, and the page says which species it really is.
  const firstFlower = await Promise.all(IRIS_COLUMNS.map((name) => tryModel.column(name).inputValue()));
  await tryModel.anotherExampleButton.click();
  await expect(tryModel.truth).toHaveText(/^Example 2 of \d+: really (setosa|versicolor|virginica)\.$/);
  expect(await Promise.all(IRIS_COLUMNS.map((name) => tryModel.column(name).inputValue()))).not.toEqual(firstFlower);

  // A flower with short, thin petals is a setosa; long, wide ones a virginica. Even a small
  // network trained for 30 epochs tells them apart, and its bars move with the petal length.
  await tryModel.column('sepal length (cm)').fill('5.0');
  await tryModel.column('sepal width (cm)').fill('3.4');
  await tryModel.column('petal width (cm)').fill('0.2');
  await tryModel.column('petal length (cm)').fill('1.4');
  await expect(tryModel.answer).toHaveText(/this is “setosa”/);
  await expect(tryModel.truth).toHaveText(/^You changed this example; it really was (setosa|versicolor|virginica)\.$/);
  const setosaShare = (await tryModel.shareRows()).find((r) => r.name === 'setosa')!.share;
  await page.screenshot({ path: testInfo.outputPath('try-table-model-1280.png'), fullPage: false });

  await tryModel.column('petal width (cm)').fill('2.3');
  await tryModel.column('sepal length (cm)').fill('7.7');
  await tryModel.column('sepal width (cm)').fill('3.0');
  await tryModel.column('petal length (cm)').fill('6.7');
  await expect(tryModel.answer).toHaveText(/this is “virginica”/);
  expect((await tryModel.shareRows()).find((r) => r.name === 'setosa')!.share).not.toBe(setosaShare);

  // An empty or wrong box says so beside it, and the answer waits (never a guess from NaN).
  const petalLength = tryModel.column('petal length (cm)');
  await petalLength.fill('');
  await expect(petalLength).toHaveAttribute('aria-invalid', 'true');
  await expect(petalLength).toHaveAccessibleDescription('Type a number here.');
  await expect(tryModel.answer).toHaveText('Fix the boxes marked in red, and your model answers.');
  await expect(tryModel.shares).toHaveCount(0);
  await petalLength.fill('4,5');
  await expect(petalLength).toHaveAccessibleDescription('“4,5” is not a number. Type digits, with a dot for decimals (like 2.5).');
  await petalLength.fill('4.5');
  await expect(petalLength).not.toHaveAttribute('aria-invalid');
  await expect(tryModel.answer).toHaveText(ANSWER);
  await expect(tryModel.shares).toBeVisible();

  await page.setViewportSize({ width: 390, height: 844 });
  await tryModel.anotherExampleButton.evaluate((button) => button.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: testInfo.outputPath('try-table-model-390.png'), fullPage: false });
  // At phone width every box and the bars still fit the screen.
  for (const name of IRIS_COLUMNS) {
    const box = (await tryModel.column(name).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  }
  const bars = (await tryModel.shares.boundingBox())!;
  expect(bars.x + bars.width).toBeLessThanOrEqual(390);
  await tryModel.column('sepal length (cm)').fill('');
  await tryModel.column('sepal length (cm)').evaluate((box) => box.scrollIntoView({ block: 'center' }));
  await page.screenshot({ path: testInfo.outputPath('try-table-model-390-empty-box.png'), fullPage: false });
});

test("after training on a CSV upload a student tries a row, with a choice of the file's values for a category column", async ({ page }) => {
  const { notebook, data, position: dataPosition } = await new HomePage(page).startWithDataCell();
  await data.openOwnData();
  // Tall plants are over 10 cm; the colour says nothing, but it is a category column all the same.
  const rows = Array.from({ length: 40 }, (_, i) => `${4 + (i % 14)},${['red', 'blue', 'green'][i % 3]},${4 + (i % 14) > 10 ? 'tall' : 'short'}`);
  await data.root.getByLabel('Upload a CSV file').setInputFiles({ name: 'plants.csv', mimeType: 'text/csv', buffer: Buffer.from(`height,colour,kind\n${rows.join('\n')}\n`) });
  await data.root.getByRole('form', { name: 'Import settings' }).getByRole('button', { name: 'Import dataset' }).click();
  await expect(data.root.getByRole('region', { name: /^The first training and checking rows of plants/ })).toBeVisible();

  const modelPosition = await notebook.addCellAtEnd('model');
  const model = notebook.modelCell(modelPosition);
  await model.waitUntilLoaded();
  // One number for the height, one per colour (blue, green, red).
  await model.blocks.buildClassifier({ inputs: 4, classes: 2 });
  await model.training.dataset.selectOption({ label: `Data cell ${dataPosition}: plants (uploaded)` });
  await model.training.setEpochs(5);
  await model.training.train();
  await model.training.waitForTestAccuracy();

  const tryModel = new TryModelPanel(page, model.training.root);
  await tryModel.openForTable();
  await expect(tryModel.column('height')).toHaveValue(/^\d+$/);
  const colour = tryModel.column('colour');
  await expect(colour).toHaveRole('combobox');
  await expect(colour.getByRole('option')).toHaveText(['blue', 'green', 'red']);
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is “(short|tall)” \(((\d{1,3}|<1)%) sure\)\.$/, { timeout: 60_000 });
  await expect(tryModel.truth).toHaveText(/^Example 1 of \d+: really (short|tall)\.$/);
  expect((await tryModel.shareRows()).map((r) => r.name)).toEqual(['short', 'tall']);

  await colour.selectOption('green');
  await expect(tryModel.truth).toHaveText(/^You changed this example/);
  await tryModel.column('height').fill('tall');
  await expect(tryModel.column('height')).toHaveAccessibleDescription('“tall” is not a number. Type digits, with a dot for decimals (like 2.5).');
  await expect(tryModel.shares).toHaveCount(0);
  await tryModel.column('height').fill('17');
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is “(short|tall)”/);
  await expect(tryModel.shares).toBeVisible();
});
