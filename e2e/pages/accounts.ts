import { expect, type Browser, type Page } from '@playwright/test';

/** The admin of the test server: the first account made on its fresh database, whichever spec makes it. */
export const ADMIN = { username: 'admin', password: 'admin-password-e2e', name: 'Ms Head' };

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Username' }).fill(username);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** Signs the page in as the admin, making the admin account first when this server has none. */
export async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto('/sign-up');
  const form = page.getByRole('form', { name: 'Make an account' });
  await expect(form).toBeVisible();
  const fresh = form.getByText('yours will be the admin account');
  await expect(form.getByRole('textbox', { name: 'Username' })).toBeVisible();
  if (await fresh.isVisible()) {
    await form.getByRole('textbox', { name: 'Your name as students will see it' }).fill(ADMIN.name);
    await form.getByRole('textbox', { name: 'Username' }).fill(ADMIN.username);
    await form.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await form.getByRole('button', { name: 'Make my account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
  } else {
    await signIn(page, ADMIN.username, ADMIN.password);
  }
  await expect(page.getByRole('link', { name: /^Signed in as Ms Head/ })).toBeVisible();
}

/** On the admin page: makes a teacher account and returns its first password, read off the page. */
export async function makeTeacher(adminPage: Page, name: string, username: string): Promise<string> {
  await adminPage.getByRole('banner').getByRole('link', { name: 'Admin', exact: true }).click();
  await expect(adminPage.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
  const section = adminPage.getByRole('region', { name: 'Make a teacher account' });
  await section.getByRole('textbox', { name: 'Teacher’s name' }).fill(name);
  await section.getByRole('textbox', { name: 'Their username' }).fill(username);
  await section.getByRole('button', { name: 'Make teacher account' }).click();
  const done = section.getByRole('status');
  await expect(done).toContainText(`can sign in as ${username}`);
  return /first password (\S+)\./.exec(await done.innerText())![1]!;
}

/** A browser context signed in as a new teacher (made by the admin in another context). */
export async function newTeacherPage(browser: Browser, name: string, username: string): Promise<Page> {
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signInAsAdmin(adminPage);
  const password = await makeTeacher(adminPage, name, username);
  await adminContext.close();
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username, password);
  return page;
}
