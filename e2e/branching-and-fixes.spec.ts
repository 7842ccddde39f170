import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('a student builds a residual (branching) model from blocks and reads it as tf.model code', async ({ page }) => {
  const { notebook, model, position } = await new HomePage(page).startOwnModel();
  const blocks = model.blocks;

  await blocks.dragFromToolbox('Convolution', 'Conv2D', { below: 'Input' });
  await blocks.dragFromToolbox('Convolution', 'Conv2D', { below: 'Conv2D' });
  // Dropped between the two convolutions: the first one's output gets the name "skip".
  await blocks.dragFromToolbox('Merging', 'name this output', { below: 'Conv2D' });
  // The shortcut can only be added back if the branch keeps the picture's size.
  await blocks.chooseInField('Conv2D', 'padding', 'same', 1);
  await blocks.dragFromToolbox('Merging', 'Add', { below: 'Conv2D', belowIndex: 1 });

  // Add has only one input so far: the checker says to name the other one.
  await expect(model.problem('This Add block combines at least 2 inputs, but it gets only 1.')).toBeVisible();
  await blocks.typeInField('Add', 'with output of', 'skip');
  await expect(model.problem('This Add block combines')).toBeHidden();

  await expect(model.codeLine('tf.layers.add().apply([')).toBeVisible();
  await expect(model.codeLine('const model = tf.model({inputs: input1, outputs: add1});')).toBeVisible();
  await expect.poll(() => model.layerRows()).toEqual([
    { layer: 'Input', outputShape: '28 × 28 × 1', parameters: '0' },
    { layer: 'Conv2D', outputShape: '26 × 26 × 16', parameters: '160' },
    { layer: 'Conv2D', outputShape: '26 × 26 × 16', parameters: '2,320' },
    { layer: 'Add', outputShape: '26 × 26 × 16', parameters: '0' },
  ]);

  // The same network in the language students meet next.
  await model.root.getByRole('tab', { name: 'Keras (Python)' }).click();
  await expect(model.codeLine('keras.Model(')).toBeVisible();

  await notebook.reload();
  const reloaded = notebook.modelCell(position);
  await reloaded.waitUntilLoaded();
  await expect(reloaded.codeLine('tf.layers.add().apply([')).toBeVisible();
});

test('a one-click fix puts the missing Flatten block in place', async ({ page }) => {
  const { model } = await new HomePage(page).startOwnModel();
  await model.blocks.dragFromToolbox('Convolution', 'Conv2D', { below: 'Input' });
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Conv2D' });
  await expect(model.problem('Add a Flatten block above this Dense block.')).toBeVisible();

  await model.problems.getByRole('button', { name: 'Fix it' }).first().click();

  await expect(model.problem('Add a Flatten block above this Dense block.')).toBeHidden();
  await expect(model.codeLine('tf.layers.flatten')).toBeVisible();
  await expect.poll(() => model.layerRows().then((rows) => rows.map((r) => r.layer))).toEqual(['Input', 'Conv2D', 'Flatten', 'Dense']);
});
