import { expect, type Locator, type Page } from '@playwright/test';

/** A text cell: rendered markdown, or its source while editing. */
export class MarkdownCell {
  readonly source: Locator;

  constructor(
    readonly page: Page,
    readonly root: Locator,
  ) {
    this.source = root.getByRole('textbox', { name: 'Markdown source' });
  }

  async write(markdown: string): Promise<void> {
    if (!(await this.source.isVisible())) await this.root.getByRole('button', { name: 'Edit' }).click();
    await this.source.fill(markdown);
    await this.root.getByRole('button', { name: 'Done' }).click();
    await expect(this.source).toBeHidden();
  }
}
