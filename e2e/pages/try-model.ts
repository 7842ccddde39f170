import { expect, type Locator, type Page } from '@playwright/test';

/** "Try your model" under a finished run: a picture file, and for 28×28 grey pictures a drawing pad and Clear, or a box per column (tables), and the model's answer. */
export class TryModelPanel {
  readonly openButton: Locator;
  readonly pad: Locator;
  readonly clearButton: Locator;
  readonly answer: Locator;
  readonly shares: Locator;
  readonly seen: Locator;
  readonly lookInsideButton: Locator;
  /** One heading per layer under "Look inside": "Layer 1: Conv2D, 8 maps of 26×26". */
  readonly layerHeadings: Locator;
  /** The pictures of the first layer's weights, one per unit or filter. */
  readonly weightPictures: Locator;
  /** A table's "Another example" button, which fills the boxes with another real row. */
  readonly anotherExampleButton: Locator;
  /** What the example in the boxes really is ("Example 2 of 20: really setosa."). */
  readonly truth: Locator;
  /** The file input of a picture to try, and the student's own picture shown beside what the model sees. */
  readonly pictureFile: Locator;
  readonly yourPicture: Locator;
  /** Why a chosen picture file could not be tried, in words. */
  readonly problem: Locator;
  /** "Try it with": a drawing or a picture file (28×28 grey pictures only). */
  readonly drawingChoice: Locator;
  readonly pictureFileChoice: Locator;
  /** The pad's ink: "White ink on black" or "Black ink on white". */
  readonly whiteInk: Locator;
  readonly blackInk: Locator;

  constructor(
    readonly page: Page,
    root: Locator,
  ) {
    this.openButton = root.getByRole('button', { name: 'Try your model' });
    this.pad = root.getByRole('application', { name: 'Drawing pad' });
    this.clearButton = root.getByRole('button', { name: 'Clear' });
    this.answer = root.getByRole('status').filter({ hasText: /your model/i });
    this.shares = root.getByRole('list', { name: /^How sure your model is of each of the/ });
    this.seen = root.getByRole('img', { name: /as the model sees it/ });
    this.lookInsideButton = root.getByRole('button', { name: 'Look inside' });
    this.layerHeadings = root.getByRole('heading', { name: /^Layer \d+: / });
    this.weightPictures = root.getByRole('group', { name: /^Weights of your first/ }).getByRole('img');
    this.anotherExampleButton = root.getByRole('button', { name: 'Another example' });
    this.truth = root.getByRole('status').filter({ hasText: /really/ });
    this.pictureFile = root.getByLabel('Picture file', { exact: true });
    this.yourPicture = root.getByRole('img', { name: /^Your picture, / });
    this.problem = root.getByRole('alert');
    this.drawingChoice = root.getByRole('radio', { name: 'A drawing' });
    this.pictureFileChoice = root.getByRole('radio', { name: 'A picture file' });
    this.whiteInk = root.getByRole('radio', { name: 'White ink on black' });
    this.blackInk = root.getByRole('radio', { name: 'Black ink on white' });
  }

  /** The pictures group of one layer under "Look inside", by its heading. */
  layer(heading: string | RegExp): Locator {
    return this.lookInsideButton.locator('..').getByRole('group', { name: heading });
  }

  async open(): Promise<void> {
    await this.openButton.click();
    await expect(this.openButton).toHaveAttribute('aria-expanded', 'true');
    await expect(this.pad).toBeVisible();
  }

  /** Opens the panel of a model trained on pictures that cannot be drawn (colour, or not 28×28): a picture file to choose. */
  async openForPictureFiles(): Promise<void> {
    await this.openButton.click();
    await expect(this.openButton).toHaveAttribute('aria-expanded', 'true');
    await expect(this.pictureFile).toBeVisible();
  }

  /** Drops a file on the panel (on its instruction, which says it may be dropped), as dragging it from the computer's files does. */
  async dropFile(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    const panel = this.openButton.locator('..').getByText(/or drop one on this panel/);
    const dataTransfer = await this.page.evaluateHandle(({ name, mimeType, bytes }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      return transfer;
    }, { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] });
    await panel.dispatchEvent('dragover', { dataTransfer });
    await panel.dispatchEvent('drop', { dataTransfer });
  }

  /** Opens the panel of a model trained on a table, which has a box per column instead of a pad. */
  async openForTable(): Promise<void> {
    await this.openButton.click();
    await expect(this.openButton).toHaveAttribute('aria-expanded', 'true');
    await expect(this.anotherExampleButton).toBeVisible();
  }

  /** A table column's box (a number) or choice (a category), by its label. */
  column(name: string): Locator {
    return this.openButton.locator('..').getByLabel(name, { exact: true });
  }

  /** Draws one stroke with the mouse through points given as fractions of the pad (0..1 across and down). */
  async stroke(points: Array<[number, number]>): Promise<void> {
    // Whole and in the middle, as a person would scroll it: "if needed" stops once any part
    // shows, and the top of the pad can then sit under the sticky page header.
    await this.pad.evaluate((pad) => pad.scrollIntoView({ block: 'center' }));
    const box = (await this.pad.boundingBox())!;
    const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
    await this.page.mouse.move(...at(points[0]!));
    await this.page.mouse.down();
    for (const point of points.slice(1)) await this.page.mouse.move(...at(point), { steps: 8 });
    await this.page.mouse.up();
  }

  /** Each class's row of the bar list: its name and the share shown. */
  async shareRows(): Promise<Array<{ name: string; share: string }>> {
    const rows = await this.shares.getByRole('listitem').allInnerTexts();
    return rows.map((text) => {
      const [name = '', share = ''] = text.split('\n').map((part) => part.trim()).filter(Boolean);
      return { name, share };
    });
  }
}
