import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('the starter notebook explains, shows its CNN and trains it to a good accuracy', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  // A first visit stores nothing and sets no cookie: the starter is offered, and made when opened.
  expect(await page.context().cookies()).toEqual([]);
  await expect(home.starterNotebookButton).toBeVisible();

  const notebook = await home.openStarterNotebook();
  await expect(notebook.title).toHaveValue('Your first neural network');
  expect((await page.context().cookies()).map((c) => c.name)).toEqual(['lb_session']);

  // The markdown is rendered, not shown as source.
  const intro = notebook.cell(1, 'markdown');
  await expect(intro.getByRole('heading', { name: 'Your first neural network' })).toBeVisible();
  await expect(intro.getByText('handwritten digits', { exact: true })).toBeVisible();
  await expect(intro.getByText('# Your first')).toHaveCount(0);

  const model = notebook.modelCell(2);
  await model.waitUntilLoaded();
  await expect(model.codeLine('tf.sequential')).toBeVisible();
  await expect(model.codeLine('tf.layers.conv2d')).toBeVisible();
  await expect(model.totalParameters()).toHaveText('27,562');

  // The training cell under the model says how to train it, in blocks and in code.
  const training = notebook.trainingCell(3);
  await training.waitUntilLoaded();
  await expect(training.model.getByRole('option', { name: 'Model cell 2: MNIST CNN', selected: true })).toBeAttached();
  await expect(training.codeLine('tf.train.adam(0.003)')).toBeVisible();
  await training.setEpochs(1);
  await training.train();
  await expect(training.progress).toBeVisible();
  await expect(training.chart).toBeVisible({ timeout: 90_000 });
  const accuracy = await training.waitForTestAccuracy();
  expect(accuracy).toBeGreaterThanOrEqual(80);
  await expect(training.progress).toBeHidden();

  // The run, its curve and the 1-epoch setting were stored, not just shown.
  await notebook.reload();
  const reloaded = notebook.trainingCell(3);
  await expect(reloaded.testAccuracy).toBeVisible();
  expect(await reloaded.readTestAccuracy()).toBe(accuracy);
  await expect(reloaded.chart).toBeVisible();
  await reloaded.waitUntilLoaded();
  await expect(reloaded.codeLine('epochs: 1,')).toBeVisible();

  // The trained model downloads in TF.js's format, its weights file named relative to it.
  const modelUrl = await reloaded.downloadModel.getAttribute('href');
  const modelJson = await page.request.get(modelUrl!);
  expect(modelJson.status()).toBe(200);
  expect(((await modelJson.json()) as { weightsManifest: Array<{ paths: string[] }> }).weightsManifest[0]!.paths).toEqual(['weights.bin']);
  const weights = await page.request.get(modelUrl!.replace(/model\.json$/, 'weights.bin'));
  expect(weights.status()).toBe(200);

  // Back home, it is the student's own notebook now, and the starter is no longer offered.
  await page.goto('/');
  await expect(home.notebookLink('Your first neural network')).toBeVisible();
  await expect(home.starterNotebookButton).toHaveCount(0);
});
