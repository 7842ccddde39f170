import { expect, type Locator, type Page } from '@playwright/test';

export interface UploadFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/** A data cell: which dataset, its preview and class balance, and the forms that upload a student's own data. */
export class DataCell {
  readonly dataset: Locator;
  readonly classBalance: Locator;
  readonly problem: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.dataset = root.getByRole('combobox', { name: 'Data' });
    this.classBalance = root.getByRole('figure').filter({ hasText: 'Examples per class' });
    this.problem = root.getByRole('alert');
  }

  /** Opens "Use your own data" (once; a second click would close it). */
  async openOwnData(): Promise<void> {
    const summary = this.root.getByText('Use your own data (CSV file or pictures)');
    if ((await this.root.locator('details[open]').filter({ has: summary }).count()) === 0) await summary.click();
  }

  /** Picks a zip of pictures (one folder per class) and imports it with the suggested settings. */
  async importPictureZip(file: UploadFile, options: { colour?: boolean } = {}): Promise<void> {
    await this.openOwnData();
    await this.root.getByLabel('Upload pictures (zip, one folder per class)').setInputFiles(file);
    const form = this.root.getByRole('form', { name: 'Picture import settings' });
    if (options.colour) await form.getByLabel('Colour', { exact: true }).selectOption({ label: 'Colour (3 channels: red, green, blue)' });
    await form.getByRole('button', { name: 'Import pictures' }).click();
  }

  /** The preview's pictures, each named by its class ("A picture of cats"). */
  pictures(datasetName: string): Locator {
    return this.root.getByRole('list', { name: `Example pictures from ${datasetName}` }).getByRole('img');
  }

  /** The class balance bars as "class: count" lines, in order. */
  async balanceRows(): Promise<string[]> {
    const rows = await this.classBalance.getByRole('listitem').allInnerTexts();
    return rows.map((row) => row.replace(/\s+/g, ' ').trim().replace(/ ([\d,]+)$/, ': $1'));
  }

  /** Presses "Delete dataset…" on the cell's own upload and returns the confirmation, which names it. */
  async askToDelete(datasetName: string): Promise<Locator> {
    await this.root.getByRole('button', { name: `Delete the dataset ${datasetName}` }).click();
    const dialog = this.page.getByRole('dialog', { name: `Delete “${datasetName}”?` });
    await expect(dialog).toBeVisible();
    return dialog;
  }

  async waitForPreview(datasetName: string): Promise<void> {
    await expect(this.pictures(datasetName).first()).toBeVisible();
    await expect(this.classBalance).toBeVisible();
  }
}
