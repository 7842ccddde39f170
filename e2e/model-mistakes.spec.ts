import { expect, test, type Page } from '@playwright/test';
import { halvesPng, zip } from '../testing/pictures';
import { HomePage } from './pages/home-page';
import { ModelMistakesSection } from './pages/model-mistakes';

const MISTAKE = /^Really an? (\d) — your model said an? (\d) \((\d{1,3}|<1)% sure\)$/;

test('after training on MNIST a student sees the pictures their model gets wrong, what each really is and what it said, and picks one digit', async ({ page }) => {
  // Asks for examples only once, and only when the student asks.
  let examplesRequests = 0;
  page.on('request', (request) => {
    if (request.url().includes('run.checkingExamples')) examplesRequests++;
  });
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.openStarterNotebook();
  const training = notebook.trainingCell(3);
  await training.trainOneEpoch();

  const mistakes = new ModelMistakesSection(training.root);
  await expect(mistakes.showButton).toBeVisible();
  expect(examplesRequests).toBe(0);
  await mistakes.showButton.click();

  // MNIST keeps no checking examples, so the model is asked about training pictures, and says so.
  await expect(mistakes.summary).toHaveText(/^Your model gets \d+ of the 200 training examples wrong \((\d{1,3}|<1)%\)\.$/, { timeout: 60_000 });
  await expect(mistakes.root).toContainText('MNIST keeps no checking examples apart, so these are 200 of its');
  const wrong = Number(/gets (\d+) of/.exec((await mistakes.summary.textContent())!)![1]);
  expect(wrong).toBeGreaterThan(0);
  await expect(mistakes.examples).toHaveCount(Math.min(12, wrong));

  // Each wrong picture says what it really is and what the model said instead, surest first.
  const captions = await mistakes.examples.locator('figcaption').allTextContents();
  const sureness: number[] = [];
  for (const caption of captions) {
    const [, really, said, sure] = MISTAKE.exec(caption) ?? [];
    expect(really, caption).toBeDefined();
    expect(said).not.toBe(really);
    sureness.push(sure === '<1' ? 0 : Number(sure));
  }
  expect(sureness).toEqual([...sureness].sort((a, b) => b - a));
  await expect(mistakes.examples.first().getByRole('img')).toHaveAccessibleName(/^Example \d+$/);
  expect(await mistakes.examples.first().getByRole('img').evaluate((canvas) => [(canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height])).toEqual([28, 28]);

  // Only the 4s (or whichever digit the first mistake really is): every picture shown is one.
  const digit = MISTAKE.exec(captions[0]!)![1]!;
  const option = mistakes.trueClassFilter.getByRole('option', { name: new RegExp(`^${digit} \\(\\d+ wrong\\)$`) });
  const count = Number(/\((\d+) wrong\)/.exec((await option.textContent())!)![1]);
  await mistakes.trueClassFilter.selectOption({ label: (await option.textContent())! });
  await expect(mistakes.examples).toHaveCount(Math.min(12, count));
  for (const caption of await mistakes.examples.locator('figcaption').allTextContents()) expect(MISTAKE.exec(caption)![1]).toBe(digit);
  await mistakes.trueClassFilter.selectOption({ label: `any class (${wrong} wrong)` });
  await expect(mistakes.examples).toHaveCount(Math.min(12, wrong));
  expect(examplesRequests).toBe(1);

  for (const [name, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    await mistakes.root.evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 70));
    await page.screenshot({ path: test.info().outputPath(`model-mistakes-${name}.png`) });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: name }).toBeLessThanOrEqual(viewport.width);
  }
});

test('for a table the wrong rows show their measurements, with the real and the guessed species', async ({ page }) => {
  const { model } = await new HomePage(page).startOwnModel();
  await model.blocks.buildClassifier({ inputs: 4, classes: 3 });
  const training = model.training;
  await training.dataset.selectOption({ label: 'Iris flowers (4 measurements, 3 species)' });
  // Barely trained, so that it still gets many flowers wrong.
  await training.setEpochs(1);
  await training.setLearningRate('0.0001');
  await training.train();
  await training.waitForTestAccuracy();

  const mistakes = new ModelMistakesSection(training.root);
  await mistakes.showButton.click();
  await expect(mistakes.summary).toHaveText(/^Your model gets \d+ of the \d+ checking examples wrong \(\d+%\)\.$/, { timeout: 60_000 });
  await expect(mistakes.root).toContainText(/These are all \d+ checking examples, kept apart from training: your model never learned from them\./);
  const wrong = Number(/gets (\d+) of/.exec((await mistakes.summary.textContent())!)![1]);
  await expect(mistakes.wrongRows.getByRole('columnheader')).toHaveText(['Really', 'Your model said', 'sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']);
  const rows = mistakes.wrongRows.locator('tbody').getByRole('row');
  await expect(rows).toHaveCount(Math.min(12, wrong));
  for (const row of await rows.all()) {
    const really = (await row.getByRole('rowheader').textContent())!;
    const [said, ...values] = await row.getByRole('cell').allTextContents();
    expect(really).toMatch(/^(setosa|versicolor|virginica)$/);
    expect(said).toMatch(/^(setosa|versicolor|virginica) \(\d+% sure\)$/);
    expect(said!.startsWith(really)).toBe(false);
    // In centimetres, as the file has them (not the standardised numbers the model reads).
    for (const value of values) expect(Number(value)).toBeGreaterThan(0);
  }

  for (const [name, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    await mistakes.root.evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 70));
    await page.screenshot({ path: test.info().outputPath(`model-mistakes-table-${name}.png`) });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: name }).toBeLessThanOrEqual(viewport.width);
  }
});

/** Red on the left and blue on the right, or the other way round: 30 and 20 colour pictures. */
function colourSidesZip(): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 30; i++) files[`sides/red left/${i}.png`] = halvesPng(24, 24, [220, 20 + i, 20, 255], [20, 40, 200 + i, 255]);
  for (let i = 0; i < 20; i++) files[`sides/blue left/${i}.png`] = halvesPng(24, 24, [20, 40, 200 + i, 255], [220, 20 + i, 20, 255]);
  return Buffer.from(zip(files));
}

/** A new notebook with the colour pictures uploaded and a Flatten–Dense model of them, trained for `epochs`. */
async function trainOnColourPictures(page: Page, epochs: number, learningRate: string) {
  const { notebook, data, position } = await new HomePage(page).startWithDataCell();
  await data.importPictureZip({ name: 'sides.zip', mimeType: 'application/zip', buffer: colourSidesZip() }, { colour: true });
  await data.waitForPreview('sides');
  const model = notebook.modelCell(await notebook.addCellAtEnd('model'));
  await model.waitUntilLoaded();
  await model.blocks.typeInField('Input', 'shape', '28,28,3');
  await model.blocks.dragFromToolbox('Reshaping', 'Flatten', { below: 'Input' });
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Flatten' });
  await model.blocks.typeInField('Dense', 'units', '2');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
  await model.training.dataset.selectOption({ label: `Data cell ${position}: sides (uploaded)` });
  await model.training.setEpochs(epochs);
  await model.training.setLearningRate(learningRate);
  await model.training.train();
  await model.training.waitForTestAccuracy();
  return new ModelMistakesSection(model.training.root);
}

test('colour pictures a barely trained model gets wrong are shown in colour', async ({ page }) => {
  const mistakes = await trainOnColourPictures(page, 1, '0.00001');
  await mistakes.showButton.click();
  await expect(mistakes.summary).toHaveText(/^Your model gets [1-7] of the 7 checking examples wrong \(\d+%\)\.$/, { timeout: 60_000 });
  await expect(mistakes.examples.first()).toHaveAccessibleName(/^Really “(red left|blue left)” — your model said “(red left|blue left)” \(\d+% sure\)$/);
  // The left half of a picture is red or blue, as uploaded, not grey.
  const [red, green, blue] = await mistakes.examples.first().getByRole('img').evaluate((canvas) => Array.from((canvas as HTMLCanvasElement).getContext('2d')!.getImageData(2, 12, 1, 1).data));
  expect(Math.max(red!, blue!) - green!).toBeGreaterThan(100);
  await mistakes.root.evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 70));
  await page.screenshot({ path: test.info().outputPath('model-mistakes-colour.png') });
});

test('when the model gets every checking example right, it says so and why that may be luck', async ({ page }) => {
  const mistakes = await trainOnColourPictures(page, 5, '0.01');
  await mistakes.showButton.click();
  await expect(mistakes.root.getByRole('status')).toHaveText(
    'Your model gets all 7 checking examples right. That is only 7, so its mistakes may just not be among them: the test accuracy above, on other examples, says more.',
    { timeout: 60_000 },
  );
  await expect(mistakes.examples).toHaveCount(0);
});
