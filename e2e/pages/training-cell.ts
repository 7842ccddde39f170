import { expect, type Locator, type Page } from '@playwright/test';
import { BlockWorkspace } from './block-workspace';

/**
 * A training cell: which model and data (two comboboxes), the setting blocks, the code they
 * compile to, the Train button, live progress and the result with its per-epoch figures.
 */
export class TrainingCell {
  readonly blocks: BlockWorkspace;
  readonly model: Locator;
  readonly dataset: Locator;
  readonly code: Locator;
  readonly problems: Locator;
  readonly trainButton: Locator;
  readonly cancelButton: Locator;
  readonly progress: Locator;
  readonly chart: Locator;
  readonly epochTable: Locator;
  readonly testAccuracy: Locator;
  readonly downloadModel: Locator;
  /** A finished run's right and wrong answers on the test examples, class by class. */
  readonly confusionMatrix: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.blocks = new BlockWorkspace(page, root, 'Training');
    this.model = root.getByRole('combobox', { name: 'Model' });
    this.dataset = root.getByRole('combobox', { name: 'Dataset' });
    this.code = root.getByRole('textbox', { name: 'TensorFlow.js code (read-only)' });
    this.problems = root.getByRole('region', { name: 'Problems' });
    this.trainButton = root.getByRole('button', { name: 'Train', exact: true });
    this.cancelButton = root.getByRole('button', { name: 'Cancel' });
    this.progress = root.getByRole('progressbar', { name: 'Training progress' });
    this.chart = root.getByRole('figure', { name: 'Loss and accuracy' });
    this.epochTable = root.getByRole('table', { name: 'Figures per epoch' });
    this.testAccuracy = root.getByText(/^Test accuracy:/);
    this.downloadModel = root.getByRole('link', { name: 'Download trained model (TF.js)' });
    this.confusionMatrix = root.getByRole('table', { name: /^What the model answered for the [\d,]+ test examples$/ });
  }

  async waitUntilLoaded(): Promise<void> {
    await this.blocks.waitUntilLoaded();
    await expect(this.code).toBeAttached();
  }

  /** A fragment of the generated code, among the visible lines of this cell (see ModelCell.codeLine). */
  codeLine(fragment: string): Locator {
    return this.root.getByText(fragment).first();
  }

  problem(text: string): Locator {
    return this.problems.getByText(text);
  }

  /** Types into the "epochs" block, the way a student changes it. */
  async setEpochs(epochs: number): Promise<void> {
    await this.blocks.typeInField('epochs', 'epochs', String(epochs));
    await expect(this.codeLine(`epochs: ${epochs},`)).toBeVisible();
  }

  /** Types into the learning rate box of the optimizer block (a new training cell has an Adam block). */
  async setLearningRate(rate: string, optimizer = 'Adam optimizer'): Promise<void> {
    await this.blocks.typeInField(optimizer, 'learning rate', rate);
  }

  async train(): Promise<void> {
    await expect(this.trainButton).toBeEnabled();
    await this.trainButton.click();
  }

  /** Trains the cell's model for one epoch, the quickest finished run, and returns its test accuracy in percent. */
  async trainOneEpoch(): Promise<number> {
    await this.waitUntilLoaded();
    await this.setEpochs(1);
    await this.train();
    return this.waitForTestAccuracy();
  }

  /** Waits for the run to finish and returns its test accuracy in percent. */
  async waitForTestAccuracy(timeout = 150_000): Promise<number> {
    await expect(this.testAccuracy).toBeVisible({ timeout });
    return this.readTestAccuracy();
  }

  async readTestAccuracy(): Promise<number> {
    const text = await this.testAccuracy.innerText();
    const match = /Test accuracy:\s*([\d.]+)\s*%/.exec(text);
    if (!match) throw new Error(`Expected "Test accuracy: NN.N%", the page shows "${text}".`);
    return Number(match[1]);
  }

  /** The per-epoch table as one object per epoch, keyed by the column headers. */
  async epochRows(): Promise<Array<Record<string, string>>> {
    // textContent, not innerText: the headers are shown in capitals by CSS.
    const headers = (await this.epochTable.getByRole('columnheader').allTextContents()).map((h) => h.trim());
    const rows: Array<Record<string, string>> = [];
    for (const row of await this.epochTable.locator('tbody').getByRole('row').all()) {
      const values = [await row.getByRole('rowheader').innerText(), ...(await row.getByRole('cell').allInnerTexts())];
      rows.push(Object.fromEntries(headers.map((h, i) => [h, (values[i] ?? '').trim()])));
    }
    return rows;
  }
}
