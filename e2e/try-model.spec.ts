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
  await training.waitUntilLoaded();
  await training.setEpochs(1);

  const tryModel = new TryModelPanel(page, training.root);
  await training.train();
  await training.waitForTestAccuracy();

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

  for (const [name, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 844 }]] as const) {
    await page.setViewportSize(viewport);
    // The panel's top just below the sticky header.
    await tryModel.openButton.evaluate((button) => window.scrollBy(0, button.getBoundingClientRect().top - 70));
    await page.screenshot({ path: test.info().outputPath(`try-model-${name}.png`) });
    // The pad and the bars fit the width: nothing scrolls sideways (polled: Blockly resizes its
    // workspaces a moment after the window does).
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: name }).toBeLessThanOrEqual(viewport.width);
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  // Closing the panel hides it; opening it again keeps the model and the drawing.
  const sentence = (await tryModel.answer.textContent())!;
  await tryModel.openButton.click();
  await expect(tryModel.pad).toBeHidden();
  await tryModel.openButton.click();
  await expect(tryModel.pad).toBeVisible();
  await expect(tryModel.answer).toHaveText(sentence);

  // A second stroke is added to the first, and the model answers again.
  await tryModel.stroke([[0.3, 0.5], [0.6, 0.5]]);
  await expect(tryModel.shares.getByRole('listitem')).toHaveCount(10);

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
