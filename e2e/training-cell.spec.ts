import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('a student changes how a network trains with blocks, trains it, reads the validation figures and finds them after a reload', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  // A new notebook: a note, an MLP for MNIST and the training cell that trains it.
  const notebook = await home.createNotebook();
  expect(await notebook.cellKinds()).toEqual(['markdown', 'model', 'training']);
  const training = notebook.trainingCell(3);
  await training.waitUntilLoaded();
  const blocks = training.blocks;
  await expect(training.codeLine('tf.train.adam(0.003)')).toBeVisible();

  // Swap the optimizer: the new block goes under Adam, which still counts until it is deleted.
  await blocks.dragFromToolbox('Optimizer', 'SGD with momentum', { below: 'Adam optimizer' });
  await expect(training.problem('There is another optimizer block above this one, so this "SGD with momentum" block is ignored.')).toBeVisible();
  await blocks.deleteBlock('Adam optimizer');
  await expect(training.problems).toBeHidden();
  await expect(training.codeLine('tf.train.momentum(0.01, 0.9)')).toBeVisible();
  await blocks.typeInField('SGD with momentum', 'learning rate', '0.05');
  await expect(training.codeLine('tf.train.momentum(0.05, 0.9)')).toBeVisible();

  await training.setEpochs(2);
  // MNIST has no validation rows of its own, so a validation split keeps back a quarter of the training pictures.
  await blocks.dragFromToolbox('Settings', 'validation split', { below: 'epochs' });
  await blocks.typeInField('validation split', 'validation split', '0.25');
  await expect(training.codeLine('validationSplit: 0.25,')).toBeVisible();
  await blocks.dragFromToolbox('Loss and metrics', 'also measure', { below: 'loss' });
  await expect(training.codeLine("metrics: ['accuracy', precision],")).toBeVisible();

  await training.train();
  await expect(training.progress).toBeVisible();
  expect(await training.waitForTestAccuracy()).toBeGreaterThanOrEqual(80);
  await expect(training.chart).toBeVisible();
  const rows = await training.epochRows();
  expect(rows.map((r) => r.Epoch)).toEqual(['1', '2']);
  for (const row of rows) {
    expect(row['Validation accuracy']).toMatch(/^\d+\.\d%$/);
    expect(row['Validation loss']).toMatch(/^\d+\.\d{3}$/);
    expect(row.Precision).toMatch(/^\d+\.\d%$/);
    expect(row['Validation precision']).toMatch(/^\d+\.\d%$/);
  }

  // The blocks, the run and its figures were stored, not just shown.
  await notebook.reload();
  const reloaded = notebook.trainingCell(3);
  await reloaded.waitUntilLoaded();
  await expect(reloaded.codeLine('tf.train.momentum(0.05, 0.9)')).toBeVisible();
  await expect(reloaded.codeLine('validationSplit: 0.25,')).toBeVisible();
  await expect(reloaded.codeLine("metrics: ['accuracy', precision],")).toBeVisible();
  await expect(reloaded.epochTable).toBeVisible();
  expect(await reloaded.epochRows()).toEqual(rows);
});

test('a training cell moved above its model says what to do, and trains again once the model is above it', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.moveCell(3, 'training', 'up');
  const moved = notebook.trainingCell(2);
  const message = 'The model cell this training cell trains is below it now. Move the model cell above this training cell, or pick another model in the Model list.';
  await expect(moved.root.getByText(message).first()).toBeVisible();
  await expect(moved.model.getByRole('option', { name: 'A model cell that is not above this training cell', selected: true })).toBeAttached();
  await expect(moved.trainButton).toBeDisabled();

  await notebook.moveCell(3, 'model', 'up');
  const back = notebook.trainingCell(3);
  await expect(back.root.getByText(message)).toHaveCount(0);
  await expect(back.model.getByRole('option', { name: 'Model cell 2: MNIST MLP', selected: true })).toBeAttached();
  await expect(back.trainButton).toBeEnabled();
});
