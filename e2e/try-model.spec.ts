import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { recordPolicyViolations } from './pages/policy-violations';
import { TryModelPanel } from './pages/try-model';

test('after training on MNIST a student draws a digit and sees what their model thinks it is, under the page\'s script policy', async ({ page }) => {
  const violations = await recordPolicyViolations(page);
  // Every script the page fetches, and whether the panel had been opened by then.
  const scripts: Array<{ url: string; afterOpening: boolean }> = [];
  let opened = false;
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push({ url: request.url(), afterOpening: opened });
  });
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.openStarterNotebook();
  const training = notebook.trainingCell(3);
  await training.trainOneEpoch();

  const tryModel = new TryModelPanel(page, training.root);

  opened = true;
  await tryModel.open();
  await expect(tryModel.answer).toHaveText('Draw a digit to see what your model thinks it is.', { timeout: 60_000 });
  // TF.js (its version table names tfjs-layers) came with opening the panel, not with the page.
  const holdsTfjs = async (url: string) => (await (await page.request.get(url)).text()).includes('"tfjs-layers"');
  const before = scripts.filter((s) => !s.afterOpening);
  const after = scripts.filter((s) => s.afterOpening);
  expect(before.length).toBeGreaterThan(0);
  for (const script of before) expect(await holdsTfjs(script.url), script.url).toBe(false);
  expect(await Promise.all(after.map((s) => holdsTfjs(s.url)))).toContain(true);

  // A "7": across the top, then down to the bottom left.
  await tryModel.stroke([[0.25, 0.2], [0.72, 0.2], [0.45, 0.85]]);
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is an? \d \((\d{1,3}|<1)% sure\)\.$/);
  await expect(tryModel.seen).toBeVisible();
  const rows = await tryModel.shareRows();
  expect(rows.map((r) => r.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  for (const row of rows) expect(row.share).toMatch(/^(\d{1,3}|<1)%$/);
  // The sentence names the digit with the biggest share.
  const named = /this is an? (\d)/.exec((await tryModel.answer.textContent())!)![1];
  const shareOf = (share: string) => (share === '<1%' ? 0.5 : Number(share.replace('%', '')));
  const biggest = Math.max(...rows.map((r) => shareOf(r.share)));
  expect(shareOf(rows.find((r) => r.name === named)!.share)).toBe(biggest);

  // "Look inside": the starter CNN's layers in order, named by their blocks, and its first
  // Conv2D's filters as pictures.
  await expect(tryModel.layerHeadings).toHaveCount(0);
  await tryModel.lookInsideButton.click();
  await expect(tryModel.lookInsideButton).toHaveAttribute('aria-expanded', 'true');
  await expect(tryModel.layerHeadings).toHaveText([
    'Layer 1: Conv2D, 8 maps of 26×26',
    'Layer 2: MaxPooling2D, 8 maps of 13×13',
    'Layer 3: Conv2D, 16 maps of 11×11',
    'Layer 4: MaxPooling2D, 16 maps of 5×5',
    'Layer 5: Flatten, 400 numbers',
    'Layer 6: Dense, 64 numbers',
    "Layer 7: Dense (your model's answer)",
  ]);
  const firstConv = tryModel.layer(/^Layer 1: Conv2D/);
  await expect(firstConv).toHaveAccessibleDescription(/what one filter found in your drawing: bright where it matched/);
  await expect(firstConv.getByRole('img')).toHaveCount(8);
  await expect(firstConv.getByRole('img').first()).toHaveAccessibleName(/^Filter 1: (strongest [\d.]+ at row \d+, column \d+|all 0)$/);
  await expect(tryModel.layer(/^Layer 5: Flatten/).getByRole('img')).toHaveAccessibleName(/^The first 128 of 400 numbers, one square each; /);
  await expect(tryModel.layer(/^Layer 5: Flatten/)).toContainText('Here are the first 128 of its 400 numbers.');
  await expect(tryModel.weightPictures).toHaveCount(8);
  await expect(tryModel.weightPictures.first()).toHaveAccessibleName(/^Filter 1's weights: /);
  await expect(tryModel.layer(/^Weights of your first Conv2D layer/)).toHaveAccessibleDescription(/Bright: .* makes the filter fire; dark: it holds it back/);

  for (const [name, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    // The panel's top just below the sticky header.
    await tryModel.openButton.evaluate((button) => window.scrollBy(0, button.getBoundingClientRect().top - 70));
    await page.screenshot({ path: test.info().outputPath(`try-model-${name}.png`) });
    // The pad, the bars and the layers' pictures fit the width: nothing scrolls sideways
    // (polled: Blockly resizes its workspaces a moment after the window does).
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: name }).toBeLessThanOrEqual(viewport.width);
    for (const [part, top] of [['start', tryModel.lookInsideButton], ['flatten', tryModel.layer(/^Layer 5: Flatten/)], ['weights', tryModel.weightPictures.first()]] as const) {
      await top.evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 70));
      await page.screenshot({ path: test.info().outputPath(`look-inside-${name}-${part}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  // Closing the panel hides it; opening it again keeps the model and the drawing.
  const sentence = (await tryModel.answer.textContent())!;
  await tryModel.openButton.click();
  await expect(tryModel.pad).toBeHidden();
  await tryModel.openButton.click();
  await expect(tryModel.pad).toBeVisible();
  await expect(tryModel.answer).toHaveText(sentence);

  // A second stroke is added to the first, and the model answers again, inside too.
  await tryModel.stroke([[0.3, 0.5], [0.6, 0.5]]);
  await expect(tryModel.shares.getByRole('listitem')).toHaveCount(10);
  await expect(tryModel.layerHeadings).toHaveCount(7);
  await expect(firstConv.getByRole('img')).toHaveCount(8);

  // Closed, "Look inside" shows (and computes) nothing.
  await tryModel.lookInsideButton.click();
  await expect(tryModel.layerHeadings).toHaveCount(0);

  await tryModel.clearButton.click();
  await expect(tryModel.answer).toHaveText('Draw a digit to see what your model thinks it is.');
  await expect(tryModel.shares).toHaveCount(0);
  await expect(tryModel.clearButton).toBeDisabled();

  // Without a mouse: the arrow keys draw a "1" from the middle of the pad, Enter asks the model.
  await tryModel.pad.focus();
  for (const [key, times] of [['ArrowUp', 4], ['ArrowDown', 8]] as const) {
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  }
  await page.keyboard.press('Enter');
  await expect(tryModel.answer).toHaveText(/^Your model thinks this is an? \d \((\d{1,3}|<1)% sure\)\.$/);
  await expect(tryModel.shares.getByRole('listitem')).toHaveCount(10);

  expect(await violations()).toEqual([]);
});

test("a network of Dense layers shows each unit's weights as a picture of the drawing", async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  // A new notebook's model: Flatten, Dense 128 (relu), Dense 10 (softmax).
  const notebook = await home.createNotebook();
  const training = notebook.trainingCell(3);
  await training.trainOneEpoch();

  const tryModel = new TryModelPanel(page, training.root);
  await tryModel.open();
  await expect(tryModel.lookInsideButton).toBeVisible({ timeout: 60_000 });
  await tryModel.lookInsideButton.click();
  // Before any drawing only the weights are there to see.
  await expect(tryModel.layerHeadings).toHaveCount(0);
  await expect(tryModel.weightPictures).toHaveCount(16);
  await tryModel.stroke([[0.5, 0.15], [0.5, 0.85]]);
  await expect(tryModel.layerHeadings).toHaveText(['Layer 1: Flatten, 784 numbers', 'Layer 2: Dense, 128 numbers', "Layer 3: Dense (your model's answer)"]);
  await expect(tryModel.layer(/^Layer 2: Dense/)).toHaveAccessibleDescription(/^Each square is one neuron: bright when your drawing makes it fire/);
  const weights = tryModel.layer(/^Weights of your first Dense layer/);
  await expect(weights).toHaveAccessibleDescription(/Bright: this part of the picture makes the unit fire; dark: it holds it back.* Here are the first 16 of its 128 units\.$/);
  await expect(tryModel.weightPictures.first()).toHaveAccessibleName(/^Unit 1's weights: strongest push [\d.-]+ at row \d+, column \d+$/);
  // Each unit's picture has a pixel for each of the drawing's 28×28.
  expect(await tryModel.weightPictures.first().evaluate((canvas) => [(canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height])).toEqual([28, 28]);

  for (const [name, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    await weights.evaluate((element) => window.scrollBy(0, element.getBoundingClientRect().top - 70));
    await page.screenshot({ path: test.info().outputPath(`look-inside-dense-${name}.png`) });
    expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(viewport.width);
  }
});
