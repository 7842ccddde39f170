import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('a student trains a network on the iris flowers after the checker says how to fit the Input', async ({ page }) => {
  const { model } = await new HomePage(page).startOwnModel();

  // A student guesses the number of measurements wrong…
  await model.blocks.typeInField('Input', 'shape', '10');
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Input' });
  await model.blocks.typeInField('Dense', 'units', '3');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
  await model.training.root.getByRole('combobox', { name: 'Dataset' }).selectOption({ label: 'Iris flowers (4 measurements, 3 species)' });
  // …and the checker blocks training with the fix in words.
  await expect(model.root.getByText('Set the Input shape to 4.').first()).toBeVisible();
  await expect(model.training.trainButton).toBeDisabled();

  await model.blocks.typeInField('Input', 'shape', '4');
  await expect(model.root.getByText('Set the Input shape to 4.')).toHaveCount(0);
  await expect(model.problems).toBeHidden();

  await model.training.setEpochs(60);
  await model.training.root.getByRole('spinbutton', { name: 'Learning rate' }).fill('0.05');
  await model.training.train();
  // One softmax layer separates the three species well: far less means training is broken.
  expect(await model.training.waitForTestAccuracy()).toBeGreaterThanOrEqual(80);
});

test('a data cell previews a built-in set, and a broken CSV upload names the row', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.createNotebook();
  await page.getByRole('button', { name: 'Add data cell' }).click();
  const dataCell = notebook.cells.filter({ has: page.getByRole('combobox', { name: 'Data' }) }).last();
  await dataCell.getByRole('combobox', { name: 'Data' }).selectOption({ label: 'Iris flowers (4 measurements, 3 species)' });
  await expect(dataCell.getByRole('table')).toBeVisible();

  await dataCell.getByText('Use your own data (CSV file or pictures)').click();
  await dataCell.getByLabel('Upload a CSV file').setInputFiles({
    name: 'plants.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('height,width,kind\n1.0,2.0,a\n1.5,2.5\n'),
  });
  await expect(dataCell.getByRole('alert')).toContainText('Row 3 has 2 values, but the header has 3 columns.');
});
