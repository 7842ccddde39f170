import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { ModelMistakesSection } from './pages/model-mistakes';

const MISTAKE = /^Really an? (\d) — your model said an? (\d) \((\d{1,3}|<1)% sure\)$/;

test('after training on MNIST a student sees the pictures their model gets wrong, what each really is and what it said, and picks one digit', async ({ page }) => {
  // Asks for examples only once, and only when the student asks.
  let examplesRequests = 0;
  page.on('request', (request) => {
    if (request.url().includes('dataset.checkingExamples')) examplesRequests++;
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
  await model.blocks.typeInField('Input', 'shape', '4');
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Input' });
  await model.blocks.typeInField('Dense', 'units', '3');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
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
  await expect(mistakes.root).toContainText('examples Iris flowers keeps apart from training, so your model never learned from them.');
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
