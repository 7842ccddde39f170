import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

test('after training, the student sees which digits the model mixes up on the test examples, in a table and in words', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.openStarterNotebook();
  const training = notebook.trainingCell(3);
  const accuracy = await training.trainOneEpoch();

  const matrix = training.confusionMatrix;
  await expect(matrix).toBeVisible();
  await expect(matrix.getByRole('columnheader', { name: 'predicted as', exact: true })).toBeVisible();
  await expect(matrix.getByRole('columnheader', { name: 'true class', exact: true })).toBeVisible();
  for (const digit of DIGITS) {
    await expect(matrix.getByRole('rowheader', { name: `true class ${digit}`, exact: true })).toBeVisible();
    await expect(matrix.getByRole('columnheader', { name: `predicted as ${digit}`, exact: true })).toBeVisible();
  }

  // Every test example is counted once, and the right answers (the diagonal) are the test accuracy.
  const rows = await matrix.locator('tbody').getByRole('row').all();
  expect(rows).toHaveLength(10);
  const counts = await Promise.all(rows.map(async (row) => (await row.getByRole('cell').allInnerTexts()).map((text) => Number(text.replace(/,/g, '')))));
  const total = counts.flat().reduce((a, b) => a + b, 0);
  const caption = await matrix.locator('caption').innerText();
  expect(caption).toBe(`What the model answered for the ${total.toLocaleString('en')} test examples`);
  const right = counts.reduce((sum, row, i) => sum + row[i]!, 0);
  expect(Math.abs((right / total) * 100 - accuracy)).toBeLessThanOrEqual(0.05);

  // The most frequent mistake, in words.
  await expect(training.root.getByText(/^The model most often took \d for \d: [\d,]+ times?\.$/)).toBeVisible();

  // It was stored with the run: a reload shows the same table.
  await notebook.reload();
  const reloaded = notebook.trainingCell(3);
  await expect(reloaded.confusionMatrix).toHaveAccessibleName(caption);
  await expect(reloaded.confusionMatrix.getByRole('rowheader', { name: 'true class 9', exact: true })).toBeVisible();

  // On a phone the table scrolls sideways inside its own box, which fits the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const box = reloaded.root.getByRole('group', { name: 'Confusion matrix' });
  await box.scrollIntoViewIfNeeded();
  expect((await box.boundingBox())!.width).toBeLessThanOrEqual(390);
  expect(await box.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('confusion-matrix-phone.png') });
  // …and the page itself does not scroll sideways.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
