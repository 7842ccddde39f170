import { expect, type Locator, type Page } from '@playwright/test';

/** "Train this model": settings, the Train button, live progress and the result. */
export class TrainingPanel {
  readonly settings: Locator;
  readonly dataset: Locator;
  readonly optimizer: Locator;
  readonly learningRate: Locator;
  readonly batchSize: Locator;
  readonly epochs: Locator;
  readonly trainButton: Locator;
  readonly cancelButton: Locator;
  readonly progress: Locator;
  readonly chart: Locator;
  readonly testAccuracy: Locator;
  readonly downloadModel: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.settings = root.getByRole('group', { name: 'Training settings' });
    this.dataset = this.settings.getByRole('combobox', { name: 'Dataset' });
    this.optimizer = this.settings.getByRole('combobox', { name: 'Optimizer' });
    this.learningRate = this.settings.getByRole('spinbutton', { name: 'Learning rate' });
    this.batchSize = this.settings.getByRole('spinbutton', { name: 'Batch size' });
    this.epochs = this.settings.getByRole('spinbutton', { name: 'Epochs' });
    this.trainButton = root.getByRole('button', { name: 'Train', exact: true });
    this.cancelButton = root.getByRole('button', { name: 'Cancel' });
    this.progress = root.getByRole('progressbar', { name: 'Training progress' });
    this.chart = root.getByRole('figure', { name: 'Loss and accuracy' });
    this.testAccuracy = root.getByText(/^Test accuracy:/);
    this.downloadModel = root.getByRole('link', { name: 'Download trained model (TF.js)' });
  }

  async setEpochs(epochs: number): Promise<void> {
    await this.epochs.fill(String(epochs));
  }

  async train(): Promise<void> {
    await expect(this.trainButton).toBeEnabled();
    await this.trainButton.click();
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
}
