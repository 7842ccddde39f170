import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { recordPolicyViolations } from './pages/policy-violations';
import { TryModelPanel } from './pages/try-model';

test('after training on MNIST a student draws a digit and sees what their model thinks it is, under the page\'s script policy', async ({ page }) => {
  const violations = await recordPolicyViolations(page);
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.openStarterNotebook();
  const training = notebook.trainingCell(3);
  await training.waitUntilLoaded();
  await training.setEpochs(1);

  const tryModel = new TryModelPanel(page, training.root);
  await training.train();
  await training.waitForTestAccuracy();

  // TF.js is fetched when the panel opens, not with the page.
  const scriptsOnOpen: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scriptsOnOpen.push(request.url());
  });
  await tryModel.open();
  await expect(tryModel.answer).toHaveText('Draw a digit to see what your model thinks it is.', { timeout: 60_000 });
  expect(scriptsOnOpen.length).toBeGreaterThan(0);

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
  }
  await page.setViewportSize({ width: 1280, height: 720 });

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
