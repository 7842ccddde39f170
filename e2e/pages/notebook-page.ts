import { expect, type Locator, type Page } from '@playwright/test';
import { MarkdownCell } from './markdown-cell';
import { ModelCell } from './model-cell';
import { TrainingCell } from './training-cell';

/** The kind in a cell's accessible name ("Cell 2, model"); other kinds may join the ones built here. */
export type CellKind = 'markdown' | 'model' | 'training' | (string & {});

/** One notebook: its title, save state and the list of cells. */
export class NotebookPage {
  readonly title: Locator;
  readonly cellList: Locator;
  readonly cells: Locator;
  readonly conflictAlert: Locator;

  constructor(readonly page: Page) {
    this.title = page.getByRole('textbox', { name: 'Notebook title' });
    this.cellList = page.getByRole('list', { name: 'Cells' });
    this.cells = this.cellList.getByRole('article');
    this.conflictAlert = page.getByRole('alert').filter({ hasText: 'Your changes are not being saved' });
  }

  async goto(id: string): Promise<void> {
    await this.page.goto(`/notebooks/${id}`);
    await this.waitUntilLoaded();
  }

  async waitUntilLoaded(): Promise<void> {
    await expect(this.title).toBeVisible();
  }

  /** The id in the address bar, for opening the same notebook elsewhere. */
  id(): string {
    const match = /\/notebooks\/([^/?#]+)/.exec(this.page.url());
    if (!match) throw new Error(`Not on a notebook page: ${this.page.url()}`);
    return match[1]!;
  }

  saveStatus(text: 'All changes saved' | 'Saving…' | 'Unsaved changes' | 'Not saved'): Locator {
    return this.page.getByRole('status').filter({ hasText: new RegExp(`^${text}`) });
  }

  /**
   * Waits for autosave to finish. Call it after the page already shows the edit (a new
   * layer in the table, the new title…), so "saved" cannot be the state from before it.
   */
  async waitUntilSaved(): Promise<void> {
    await expect(this.saveStatus('All changes saved')).toBeVisible();
  }

  /** Reloads once everything is saved, the way a student comes back to the notebook. */
  async reload(): Promise<void> {
    await this.waitUntilSaved();
    await this.page.reload();
    await this.waitUntilLoaded();
  }

  /** The accessible names of the cells, top to bottom: "Cell 1, markdown", … */
  async cellLabels(): Promise<string[]> {
    return this.cells.evaluateAll((articles) => articles.map((a) => a.getAttribute('aria-label') ?? ''));
  }

  /** Just the kinds, top to bottom: "markdown", "model", … */
  async cellKinds(): Promise<string[]> {
    return (await this.cellLabels()).map((label) => label.replace(/^Cell \d+, /, ''));
  }

  cell(position: number, kind: CellKind): Locator {
    return this.cellList.getByRole('article', { name: `Cell ${position}, ${kind}`, exact: true });
  }

  markdownCell(position: number): MarkdownCell {
    return new MarkdownCell(this.page, this.cell(position, 'markdown'));
  }

  /** The model cell at `position`, and (as its `training`) the training cell right below it. */
  modelCell(position: number): ModelCell {
    return new ModelCell(this.page, this.cell(position, 'model'), this.trainingCell(position + 1));
  }

  trainingCell(position: number): TrainingCell {
    return new TrainingCell(this.page, this.cell(position, 'training'));
  }

  /** Adds a cell after the last one and returns its position (counting from 1); a model cell comes with a training cell below it. */
  async addCellAtEnd(kind: 'markdown' | 'data' | 'model' | 'training'): Promise<number> {
    const position = (await this.cells.count()) + 1;
    await this.page.getByRole('button', { name: `Add ${kind} cell` }).click();
    await expect(this.cell(position, kind)).toBeVisible();
    if (kind === 'model') await expect(this.cell(position + 1, 'training')).toBeVisible();
    return position;
  }

  async moveCell(position: number, kind: CellKind, direction: 'up' | 'down'): Promise<void> {
    await this.cell(position, kind).getByRole('button', { name: direction === 'up' ? 'Move cell up' : 'Move cell down' }).click();
  }

  async deleteCell(position: number, kind: CellKind): Promise<void> {
    await this.cell(position, kind).getByRole('button', { name: 'Delete cell' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Delete this cell?' });
    await dialog.getByRole('button', { name: 'Yes, delete it' }).click();
    await expect(dialog).toBeHidden();
  }
}
