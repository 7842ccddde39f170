import type { Locator, Page } from '@playwright/test';

/**
 * Desktop and phone-width pictures of a page, when LAYERBOOK_SCREENSHOTS_DIR asks for them
 * (to look at, not compared).
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.LAYERBOOK_SCREENSHOTS_DIR;
  if (!dir) return;
  const size = page.viewportSize();
  await page.screenshot({ path: `${dir}/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${dir}/${name}-phone.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

/**
 * The screen around an element, desktop and phone width, when LAYERBOOK_SCREENSHOTS_DIR asks
 * for it: for what sits inside a scrolled dialog, where a full-page picture stops at the
 * dialog's edge.
 */
export async function pictureOf(page: Page, element: Locator, name: string): Promise<void> {
  const dir = process.env.LAYERBOOK_SCREENSHOTS_DIR;
  if (!dir) return;
  const size = page.viewportSize();
  for (const [suffix, viewport] of [['desktop', size], ['phone', { width: 390, height: 844 }]] as const) {
    if (viewport) await page.setViewportSize(viewport);
    await element.evaluate((e) => e.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: `${dir}/${name}-${suffix}.png` });
  }
  if (size) await page.setViewportSize(size);
}
