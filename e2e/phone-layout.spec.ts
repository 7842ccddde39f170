import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

test('on a phone the notebook, its training cell included, fits the screen width and the Train button is reachable', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.openStarterNotebook();
  const model = notebook.modelCell(2);
  await model.waitUntilLoaded();
  await expect(model.totalParameters()).toBeVisible();
  // The training cell's blocks, code and header fit too.
  await model.training.waitUntilLoaded();

  const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(390);

  // Blockly's own zoom buttons and trash can are reachable by name, not only by sight.
  for (const name of ['Zoom in', 'Zoom out', 'Reset zoom', 'Trash: drop blocks here to delete them']) {
    await expect(model.root.getByRole('button', { name })).toBeAttached();
  }

  await model.training.trainButton.scrollIntoViewIfNeeded();
  await expect(model.training.trainButton).toBeInViewport();
  await expect(model.training.trainButton).toBeEnabled();
});
