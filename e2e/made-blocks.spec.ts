import { expect, test } from '@playwright/test';
import { HomePage } from './pages/home-page';

test('a network made from a block the student made ("conv block") loads, checks and reads as plain layers', async ({ page }) => {
  const { model } = await new HomePage(page).startOwnModel();

  await model.root.getByRole('button', { name: 'Start from a template' }).click();
  await model.root.getByRole('list', { name: 'Templates' }).getByRole('button', { name: /^CNN from your own "conv block"/ }).click();
  // The new cell already holds an Input block, so the student is asked before it is replaced.
  await page.getByRole('dialog').getByRole('button', { name: 'Replace blocks' }).click();

  // One "conv block" definition, used twice with different filters.
  await expect.poll(() => model.layerRows()).toEqual([
    { layer: 'Input', outputShape: '28 × 28 × 1', parameters: '0' },
    { layer: 'Conv2D', outputShape: '28 × 28 × 16', parameters: '160' },
    { layer: 'MaxPooling2D', outputShape: '14 × 14 × 16', parameters: '0' },
    { layer: 'Conv2D', outputShape: '14 × 14 × 32', parameters: '4,640' },
    { layer: 'MaxPooling2D', outputShape: '7 × 7 × 32', parameters: '0' },
    { layer: 'Flatten', outputShape: '1568', parameters: '0' },
    { layer: 'Dense', outputShape: '10', parameters: '15,690' },
  ]);
  await expect(model.codeLine('filters: 32')).toBeVisible();
  await expect(model.problems).toBeHidden();

  // A use of the block with a setting the block does not have is explained on the use block.
  await model.blocks.typeInField('use', 'with', 'filters=16, units=3');
  await expect(model.problem('"conv block" has no setting called "units".')).toBeVisible();
});
