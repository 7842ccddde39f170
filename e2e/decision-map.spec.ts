import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('after training on the circle points a student sees what their model says everywhere, with the points on top and a sentence that reads it', async ({ page }) => {
  // Every script the page fetches, and whether the map had come on screen by then.
  const scripts: Array<{ url: string; afterMap: boolean }> = [];
  let mapShown = false;
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push({ url: request.url(), afterMap: mapShown });
  });

  // A network with one hidden layer: a ring cannot be told apart with a straight line.
  const { notebook, model } = await new HomePage(page).startOwnModel();
  await model.blocks.buildClassifier({ inputs: 2, hidden: 8, classes: 2 });
  const training = model.training;
  await training.dataset.selectOption({ label: 'Circle (2-D points)' });
  await training.setEpochs(30);
  await training.setLearningRate('0.05');
  await training.train();
  await training.waitForTestAccuracy();

  const section = training.root.getByRole('region', { name: 'Decision map: what your model says everywhere' });
  await expect(section).toBeAttached();
  mapShown = true;
  await section.scrollIntoViewIfNeeded();
  // The picture's text alternative is the sentence that reads it: the colours, what they mean,
  // and how many of the training and checking points it gets right.
  const reading = /^Blue is where your model says “inside” \((\d+|<1)% of the map\), orange where it says “outside” \((\d+|<1)%\)\. (All|(\d+)% of the) (\d+) points shown are on the right side\.$/;
  const picture = section.getByRole('img', { name: /^Decision map of Circle\. / });
  await expect(picture).toBeVisible({ timeout: 60_000 });
  const label = (await picture.getAttribute('aria-label'))!.replace('Decision map of Circle. ', '');
  expect(label).toMatch(reading);
  await expect(section.getByText(reading)).toHaveText(label);
  // Thirty epochs on the ring: most points lie on the colour of their own class.
  const match = reading.exec(label)!;
  expect(match[3] === 'All' || Number(match[4]) >= 80, label).toBe(true);
  // The 500 points less the 15% held back for the test, which students never see.
  expect(Number(match[5])).toBeGreaterThanOrEqual(420);
  expect(Number(match[5])).toBeLessThanOrEqual(430);
  await expect(section.getByRole('list', { name: 'Colours of the map' }).getByRole('listitem')).toHaveText(['blue: “inside”', 'orange: “outside”', 'pale: not sure']);

  // TF.js came when the map came on screen, not with the page.
  const holdsTfjs = async (url: string) => (await (await page.request.get(url)).text()).includes('"tfjs-layers"');
  for (const script of scripts.filter((s) => !s.afterMap)) expect(await holdsTfjs(script.url), script.url).toBe(false);
  expect(await Promise.all(scripts.filter((s) => s.afterMap).map((s) => holdsTfjs(s.url)))).toContain(true);
  await section.screenshot({ path: test.info().outputPath('decision-map-1280.png') });

  // On a phone the picture fits the screen, and the page does not scroll sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await section.scrollIntoViewIfNeeded();
  const box = (await picture.boundingBox())!;
  expect(box.width).toBeGreaterThan(200);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await section.screenshot({ path: test.info().outputPath('decision-map-390.png') });

  // A reload draws the same map from the stored run.
  await notebook.reload();
  const reloaded = page.getByRole('region', { name: 'Decision map: what your model says everywhere' });
  await reloaded.scrollIntoViewIfNeeded();
  await expect(reloaded.getByRole('img', { name: `Decision map of Circle. ${label}` })).toBeVisible({ timeout: 60_000 });
});

test("the decision map draws the points the run trained on, even after the student changes the data cell's points", async ({ page }) => {
  const { notebook, data, position: dataPosition } = await new HomePage(page).startWithDataCell();
  await data.dataset.selectOption({ label: 'Circle (2-D points)' });
  await data.root.getByRole('spinbutton', { name: 'Points' }).fill('100');
  await data.root.getByRole('spinbutton', { name: 'Noise' }).fill('0');

  const modelPosition = await notebook.addCellAtEnd('model');
  const model = notebook.modelCell(modelPosition);
  await model.waitUntilLoaded();
  await model.blocks.buildClassifier({ inputs: 2, hidden: 4, classes: 2 });
  const training = model.training;
  await training.dataset.selectOption({ label: `Data cell ${dataPosition}: Circle, 100 points, noise 0, seed 1` });
  await training.setEpochs(2);
  await training.train();
  await training.waitForTestAccuracy();

  // Afterwards the cell makes 300 noisy points; the map still shows the 100 clean ones the run
  // trained on (less the 15% test points), and does not call them other data.
  await data.root.getByRole('spinbutton', { name: 'Points' }).fill('300');
  await data.root.getByRole('spinbutton', { name: 'Noise' }).fill('0.5');
  await notebook.waitUntilSaved();
  const section = training.root.getByRole('region', { name: 'Decision map: what your model says everywhere' });
  await section.scrollIntoViewIfNeeded();
  const picture = section.getByRole('img', { name: /^Decision map of Circle\. / });
  await expect(picture).toBeVisible({ timeout: 60_000 });
  const shown = Number(/(\d+) points shown/.exec((await picture.getAttribute('aria-label'))!)![1]);
  expect(shown).toBeGreaterThanOrEqual(80);
  expect(shown).toBeLessThanOrEqual(90);
  await expect(section.getByText('This run trained on other data')).toHaveCount(0);
  // So does a reload, which knows only the stored run and the changed cell.
  await notebook.reload();
  const reloaded = page.getByRole('region', { name: 'Decision map: what your model says everywhere' });
  await reloaded.scrollIntoViewIfNeeded();
  await expect(reloaded.getByRole('img', { name: /^Decision map of Circle\. .* 8\d points shown/ })).toBeVisible({ timeout: 60_000 });
});
