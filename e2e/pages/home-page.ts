import { expect, type Locator, type Page } from '@playwright/test';
import { DataCell } from './data-cell';
import type { ModelCell } from './model-cell';
import { NotebookPage } from './notebook-page';

/** The notebook list: what a student sees first. */
export class HomePage {
  readonly notebookList: Locator;
  readonly newNotebookButton: Locator;
  /** What a newcomer (no notebooks yet) is offered: "Your first neural network", made when opened. */
  readonly starterNotebookButton: Locator;

  constructor(readonly page: Page) {
    this.notebookList = page.getByRole('list', { name: 'Notebooks' });
    this.newNotebookButton = page.getByRole('button', { name: 'New notebook' });
    this.starterNotebookButton = page.getByRole('list', { name: 'Start here' }).getByRole('button', { name: 'Your first neural network' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
    await expect(this.newNotebookButton).toBeVisible();
  }

  notebookLink(title: string): Locator {
    return this.notebookList.getByRole('link', { name: title });
  }

  async openNotebook(title: string): Promise<NotebookPage> {
    await this.notebookLink(title).click();
    const notebook = new NotebookPage(this.page);
    await notebook.waitUntilLoaded();
    return notebook;
  }

  /** The newcomer's first click: opening the starter notebook makes it (and their session). */
  async openStarterNotebook(): Promise<NotebookPage> {
    await this.starterNotebookButton.click();
    await this.page.waitForURL(/\/notebooks\/[^/]+$/);
    const notebook = new NotebookPage(this.page);
    await notebook.waitUntilLoaded();
    return notebook;
  }

  /**
   * A new notebook with a fresh model cell added at the end (a model block holding a
   * 28×28×1 Input) and the training cell that comes with it, the way a student starts a
   * network of their own.
   */
  async startOwnModel(): Promise<{ notebook: NotebookPage; model: ModelCell; position: number }> {
    await this.goto();
    const notebook = await this.createNotebook();
    const position = await notebook.addCellAtEnd('model');
    const model = notebook.modelCell(position);
    await model.waitUntilLoaded();
    return { notebook, model, position };
  }

  /** A new notebook with a data cell added at its end, as a student starts on data of their own. */
  async startWithDataCell(): Promise<{ notebook: NotebookPage; data: DataCell; position: number }> {
    await this.goto();
    const notebook = await this.createNotebook();
    const position = await notebook.addCellAtEnd('data');
    return { notebook, data: new DataCell(this.page, notebook.cell(position, 'data')), position };
  }

  async createNotebook(): Promise<NotebookPage> {
    await this.newNotebookButton.click();
    await this.page.waitForURL(/\/notebooks\/[^/]+$/);
    const notebook = new NotebookPage(this.page);
    await notebook.waitUntilLoaded();
    return notebook;
  }
}
