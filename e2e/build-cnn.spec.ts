import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('a student builds a CNN from toolbox blocks, fixes a missing Flatten, trains it and finds it all after a reload', async ({ page }) => {
  // A new notebook comes with a ready-made network; build our own in a fresh model cell.
  const { notebook, model, position } = await new HomePage(page).startOwnModel();
  expect(await model.layerRows()).toEqual([{ layer: 'Input', outputShape: '28 × 28 × 1', parameters: '0' }]);

  const blocks = model.blocks;
  await blocks.dragFromToolbox('Convolution', 'Conv2D', { below: 'Input' });
  await expect(model.codeLine('tf.layers.conv2d')).toBeVisible();
  await expect(model.layerTable.getByRole('row', { name: 'Conv2D 26 × 26 × 16 160' })).toBeVisible();

  // A Dense layer straight after a convolution gets an image, not a list: the checker says how to fix it.
  await blocks.dragFromToolbox('Core', 'Dense', { below: 'Conv2D' });
  await expect(model.problem('Add a Flatten block above this Dense block.')).toBeVisible();
  await expect(model.training.trainButton).toBeDisabled();

  await blocks.dragFromToolbox('Pooling', 'MaxPooling2D', { below: 'Conv2D' });
  await expect(model.codeLine('tf.layers.maxPooling2d')).toBeVisible();
  await blocks.dragFromToolbox('Reshaping', 'Flatten', { below: 'MaxPooling2D' });
  await expect(model.problem('Add a Flatten block above this Dense block.')).toBeHidden();
  await expect(model.codeLine('tf.layers.flatten')).toBeVisible();
  // It would run now, but a 64-unit output without softmax cannot learn ten digits well: the
  // checker warns without blocking, until the output layer is right.
  await expect(model.problem('This last layer has no activation')).toBeVisible();

  await blocks.typeInField('Dense', 'units', '10');
  await blocks.chooseInField('Dense', 'activation', 'softmax');
  await expect(model.codeLine("units: 10, activation: 'softmax'")).toBeVisible();
  await expect(model.problems).toBeHidden();

  const expectedLayers = [
    { layer: 'Input', outputShape: '28 × 28 × 1', parameters: '0' },
    { layer: 'Conv2D', outputShape: '26 × 26 × 16', parameters: '160' },
    { layer: 'MaxPooling2D', outputShape: '13 × 13 × 16', parameters: '0' },
    { layer: 'Flatten', outputShape: '2704', parameters: '0' },
    { layer: 'Dense', outputShape: '10', parameters: '27,050' },
  ];
  await expect.poll(() => model.layerRows()).toEqual(expectedLayers);
  await expect(model.totalParameters()).toHaveText('27,210');

  const training = model.training;
  await training.waitUntilLoaded();
  await training.setEpochs(1);
  await training.train();
  await expect(training.progress).toBeVisible();
  const accuracy = await training.waitForTestAccuracy();
  // Even one epoch of this small CNN reads most digits; far less means training is broken.
  expect(accuracy).toBeGreaterThanOrEqual(80);

  await notebook.reload();
  const reloaded = notebook.modelCell(position);
  await reloaded.waitUntilLoaded();
  await expect(reloaded.codeLine('tf.layers.conv2d')).toBeVisible();
  await expect(reloaded.codeLine('tf.layers.flatten')).toBeVisible();
  await expect(reloaded.codeLine("units: 10, activation: 'softmax'")).toBeVisible();
  expect(await reloaded.layerRows()).toEqual(expectedLayers);
  await expect(reloaded.problems).toBeHidden();
  await expect(reloaded.training.testAccuracy).toBeVisible();
  expect(await reloaded.training.readTestAccuracy()).toBe(accuracy);
});
