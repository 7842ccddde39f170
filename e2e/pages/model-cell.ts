import { expect, type Locator, type Page } from '@playwright/test';
import { BlockWorkspace } from './block-workspace';
import type { TrainingCell } from './training-cell';

export interface LayerRow {
  layer: string;
  outputShape: string;
  parameters: string;
}

/** A model cell: blocks, the code they compile to, the layer table and problems. */
export class ModelCell {
  readonly blocks: BlockWorkspace;
  readonly code: Locator;
  readonly layerTable: Locator;
  readonly problems: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
    /** The training cell right below it, which a new model cell comes with. */
    readonly training: TrainingCell,
  ) {
    this.blocks = new BlockWorkspace(page, root);
    this.code = root.getByRole('textbox', { name: 'TensorFlow.js code (read-only)' });
    this.layerTable = root.getByRole('table', { name: 'Layers, output shapes and parameters' });
    this.problems = root.getByRole('region', { name: 'Problems' });
  }

  async waitUntilLoaded(): Promise<void> {
    await this.blocks.waitUntilLoaded();
    await expect(this.code).toBeAttached();
  }

  /**
   * A fragment of the generated code, as the code view shows it. The editor's text box
   * holds no text (Monaco draws the lines beside it), so the fragment is found among the
   * visible lines of this cell; only the code view shows TF.js calls.
   */
  codeLine(fragment: string): Locator {
    return this.root.getByText(fragment).first();
  }

  async layerRows(): Promise<LayerRow[]> {
    const rows = this.layerTable.locator('tbody').getByRole('row');
    const result: LayerRow[] = [];
    for (const row of await rows.all()) {
      const [outputShape, parameters] = await row.getByRole('cell').allInnerTexts();
      result.push({
        // A row with a problem starts with a marker for screen readers; the problem list tells more.
        layer: (await row.getByRole('rowheader').innerText()).replace(/^(Problem|Warning):\s*/, '').trim(),
        outputShape: (outputShape ?? '').trim(),
        parameters: (parameters ?? '').trim(),
      });
    }
    return result;
  }

  totalParameters(): Locator {
    return this.layerTable.getByRole('row', { name: /^Total parameters/ }).getByRole('cell');
  }

  problem(text: string): Locator {
    return this.problems.getByText(text);
  }
}
