import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { recordPolicyViolations } from './pages/policy-violations';

test('pages run under a nonce-only script policy, and blocks, code view and chart still work', async ({ page }) => {
  const violations = await recordPolicyViolations(page);
  const home = new HomePage(page);
  const response = await page.goto('/');
  const policy = response!.headers()['content-security-policy']!;
  const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src'))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain('unsafe-inline');
  expect(policy).toContain("frame-ancestors 'self'");
  expect(response!.headers()['x-content-type-options']).toBe('nosniff');
  expect(response!.headers()['referrer-policy']).toBe('same-origin');

  const notebook = await home.openStarterNotebook();
  const model = notebook.modelCell(2);
  await model.waitUntilLoaded();
  // Blockly drew the blocks and Monaco shows the code they compile to.
  await expect(model.codeLine('tf.layers.conv2d')).toBeVisible();
  await expect(model.totalParameters()).toHaveText('27,562');

  const training = notebook.trainingCell(3);
  await training.waitUntilLoaded();
  await training.setEpochs(1);
  await training.train();
  // Observable Plot draws the curves.
  await expect(training.chart).toBeVisible({ timeout: 90_000 });
  await expect(training.chart.locator('svg path').first()).toBeAttached();

  // Static files carry the same protection: a script is never sniffed as something else.
  const chunk = await page.evaluate(() => (document.querySelector('script[src*="/_next/static/"]') as HTMLScriptElement | null)?.src ?? null);
  expect(chunk).not.toBeNull();
  const staticFile = await page.request.get(chunk!);
  expect(staticFile.headers()['x-content-type-options']).toBe('nosniff');

  await page.screenshot({ path: test.info().outputPath('notebook-under-csp.png'), fullPage: false });
  expect(await violations()).toEqual([]);

  // The other pages run their scripts too: the layer reference and classes.
  for (const [path, heading] of [['/layers', 'Layer reference'], ['/classes', 'Classes']] as const) {
    const pageViolations = await recordPolicyViolations(page);
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    expect(await pageViolations(), path).toEqual([]);
  }
});

test('every script a page is served with carries that response\'s nonce, new on each request', async ({ page }) => {
  const nonces: string[] = [];
  for (const path of ['/', '/', '/layers', '/classes']) {
    const response = await page.request.get(path);
    const policy = response.headers()['content-security-policy']!;
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    const html = await response.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    nonces.push(nonce);
  }
  expect(new Set(nonces).size).toBe(nonces.length);
});
