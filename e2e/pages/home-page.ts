import { expect, type Locator, type Page } from '@playwright/test';
import { NotebookPage } from './notebook-page';

/** The notebook list: what a student sees first. */
export class HomePage {
  readonly notebookList: Locator;
  readonly newNotebookButton: Locator;

  constructor(readonly page: Page) {
    this.notebookList = page.getByRole('list', { name: 'Notebooks' });
    this.newNotebookButton = page.getByRole('button', { name: 'New notebook' });
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

  async createNotebook(): Promise<NotebookPage> {
    await this.newNotebookButton.click();
    await this.page.waitForURL(/\/notebooks\/[^/]+$/);
    const notebook = new NotebookPage(this.page);
    await notebook.waitUntilLoaded();
    return notebook;
  }
}
