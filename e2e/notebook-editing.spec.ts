import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';
import { NotebookPage } from './pages/notebook-page';

test('rename, write markdown safely, reorder and delete cells; everything survives a reload', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.title.fill('Cell order test');
  await notebook.waitUntilSaved();
  // Whatever a new notebook starts with, the test only moves its own cell through it.
  const starterKinds = await notebook.cellKinds();
  expect(starterKinds.length).toBeGreaterThan(0);

  const last = await notebook.addCellAtEnd('markdown');
  await notebook.markdownCell(last).write(
    [
      '## My plan',
      '',
      'Try **more filters** first. <img src=x onerror=alert(1)> <script>alert(2)</script>',
      '',
      '[a trick link](javascript:alert(3))',
    ].join('\n'),
  );
  const planCell = notebook.cell(last, 'markdown');
  await expect(planCell.getByRole('heading', { name: 'My plan' })).toBeVisible();
  await expect(planCell.getByText('more filters')).toBeVisible();
  await expect(planCell.getByText('alert(2)')).toHaveCount(0);
  // The text stays, but a javascript: address is no link to click.
  await expect(planCell.getByText('a trick link')).toBeVisible();
  await expect(planCell.getByRole('link', { name: 'a trick link' })).toHaveCount(0);

  // Up one step at a time to the top; the other cells keep their order below it.
  for (let position = last; position > 1; position--) {
    await notebook.moveCell(position, 'markdown', 'up');
    await expect(notebook.cell(position - 1, 'markdown').getByRole('heading', { name: 'My plan' })).toBeVisible();
  }
  expect(await notebook.cellKinds()).toEqual(['markdown', ...starterKinds]);
  await expect(notebook.cell(1, 'markdown').getByRole('button', { name: 'Move cell up' })).toBeDisabled();

  await notebook.moveCell(1, 'markdown', 'down');
  await expect(notebook.cell(2, 'markdown').getByRole('heading', { name: 'My plan' })).toBeVisible();
  await notebook.moveCell(2, 'markdown', 'up');
  await expect(notebook.cell(1, 'markdown').getByRole('heading', { name: 'My plan' })).toBeVisible();

  // Delete the starter's last cell.
  await notebook.deleteCell(last, starterKinds.at(-1)!);
  const expectedKinds = ['markdown', ...starterKinds.slice(0, -1)];
  expect(await notebook.cellKinds()).toEqual(expectedKinds);

  await notebook.reload();
  await expect(notebook.title).toHaveValue('Cell order test');
  expect(await notebook.cellKinds()).toEqual(expectedKinds);
  await expect(notebook.cell(1, 'markdown').getByRole('heading', { name: 'My plan' })).toBeVisible();
  await expect(notebook.cell(1, 'markdown').getByText('a trick link')).toBeVisible();
  expect(dialogs).toEqual([]);
});

test('two tabs editing the same notebook: the one that saves later is told its changes are not saved', async ({ page, context }) => {
  const home = new HomePage(page);
  await home.goto();
  const first = await home.createNotebook();

  const second = new NotebookPage(await context.newPage());
  await second.goto(first.id());

  await second.title.fill('Saved from the second tab');
  await second.waitUntilSaved();

  await first.title.fill('Typed in the first tab');
  await expect(first.conflictAlert).toBeVisible();
  await expect(first.saveStatus('Not saved')).toBeVisible();

  await first.conflictAlert.getByRole('button', { name: 'Reload notebook' }).click();
  await expect(first.title).toHaveValue('Saved from the second tab');
  await expect(first.conflictAlert).toBeHidden();
});

test('deleting a notebook from the home page asks first', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.title.fill('Scrap paper');
  await notebook.waitUntilSaved();
  await page.getByRole('link', { name: 'All notebooks' }).click();
  await expect(home.notebookLink('Scrap paper')).toBeVisible();

  await page.getByRole('button', { name: 'Delete Scrap paper' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Keep it' }).click();
  await expect(home.notebookLink('Scrap paper')).toBeVisible();

  await page.getByRole('button', { name: 'Delete Scrap paper' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(home.notebookLink('Scrap paper')).toHaveCount(0);
  await expect(home.notebookLink('Your first neural network')).toBeVisible();

  await page.reload();
  await expect(home.notebookLink('Your first neural network')).toBeVisible();
  await expect(home.notebookLink('Scrap paper')).toHaveCount(0);
});
