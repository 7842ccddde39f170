import { expect, type Locator, type Page } from '@playwright/test';

/** A class code as the page shows it: two halves of three, with no 0/O/1/I. */
const JOIN_CODE = /^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$/;

/** The Classes page: making a class, joining one, and the lists of both. */
export class ClassesPage {
  readonly heading: Locator;
  readonly createForm: Locator;
  readonly joinForm: Locator;
  readonly teaching: Locator;
  readonly joined: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Classes', level: 1 });
    this.createForm = page.getByRole('form', { name: 'Create a class' });
    this.joinForm = page.getByRole('form', { name: 'Join a class' });
    this.teaching = page.getByRole('region', { name: 'Classes you teach' });
    this.joined = page.getByRole('region', { name: 'Classes you are in' });
  }

  /** Through the site header, the way a teacher or student finds it. */
  async open(): Promise<void> {
    await this.page.goto('/');
    await this.page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Classes' }).click();
    await expect(this.heading).toBeVisible();
    await expect(this.joinForm).toBeVisible();
  }

  async createClass(name: string, teacherName: string): Promise<void> {
    await this.createForm.getByRole('textbox', { name: 'Class name' }).fill(name);
    await this.createForm.getByRole('textbox', { name: 'Your name as your students will see it' }).fill(teacherName);
    await this.createForm.getByRole('button', { name: 'Create class' }).click();
    await expect(this.taughtClass(name)).toBeVisible();
  }

  async joinClass(code: string, yourName: string): Promise<void> {
    await this.joinForm.getByRole('textbox', { name: 'Class code' }).fill(code);
    await this.joinForm.getByRole('textbox', { name: 'Your name as your teacher will see it' }).fill(yourName);
    await this.joinForm.getByRole('button', { name: 'Join class' }).click();
  }

  taughtClass(name: string): Locator {
    return this.teaching.getByRole('article', { name, exact: true });
  }

  joinedClass(name: string): Locator {
    return this.joined.getByRole('article', { name, exact: true });
  }

  /** The join code shown on a class the user teaches, read off the page like a teacher would. */
  async joinCode(className: string): Promise<string> {
    const code = this.taughtClass(className).getByRole('definition').filter({ hasText: JOIN_CODE });
    await expect(code).toBeVisible();
    return (await code.innerText()).trim();
  }

  members(className: string): Locator {
    return this.taughtClass(className).getByRole('list', { name: `Students in ${className}` }).getByRole('listitem');
  }
}
