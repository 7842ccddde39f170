import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { TryModelPanel } from './pages/try-model';

const IRIS_COLUMNS = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
const SPECIES = ['setosa', 'versicolor', 'virginica'];
const ANSWER = /^Your model thinks this is “(setosa|versicolor|virginica)” \(((\d{1,3}|<1)%) sure\)\.$/;

test('after training on the iris flowers a student types in a flower and sees what their model thinks it is', async ({ page }, testInfo) => {
  const { model } = await new HomePage(page).startOwnModel();
  await model.blocks.typeInField('Input', 'shape', '4');
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Input' });
  await model.blocks.typeInField('Dense', 'units', '3');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
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
