import { expect, test } from '@playwright/test';
import { makeTeacher, signIn, signInAsAdmin } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';

test('an admin makes a teacher, the teacher makes a class, a student signs up with its code bringing their work, and finds it on another computer', async ({ page: adminPage, browser }) => {
  // The admin (the first account of this server) makes a teacher account and reads its first password.
  await signInAsAdmin(adminPage);
  const teacherPassword = await makeTeacher(adminPage, 'Ms Rivera', 'rivera');
  await expect(adminPage.getByRole('row', { name: /Ms Rivera rivera teacher/ })).toBeVisible();

  // The teacher signs in in their own browser and makes a class.
  const teacherContext = await browser.newContext();
  const teacherPage = await teacherContext.newPage();
  await signIn(teacherPage, 'rivera', teacherPassword);
  await expect(teacherPage.getByRole('link', { name: /^Signed in as Ms Rivera \(rivera, teacher\)/ })).toBeVisible();
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await teacherClasses.createClass('7B Computing', 'Ms Rivera');
  const code = await teacherClasses.joinCode('7B Computing');

  // A student works without an account first: the usual two clicks to a notebook.
  const laptop = await browser.newContext();
  const studentPage = await laptop.newPage();
  const home = new HomePage(studentPage);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.title.fill('My digit reader');
  await notebook.waitUntilSaved();
  const notebookId = notebook.id();

  // …then makes an account with the class code, bringing that work along.
  await studentPage.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await studentPage.getByRole('link', { name: 'Make one' }).click();
  const signUp = studentPage.getByRole('form', { name: 'Make an account' });
  await expect(signUp.getByRole('radio', { name: 'I am a student' })).toBeChecked();
  await signUp.getByRole('textbox', { name: 'Class code' }).fill(code.toLowerCase());
  await signUp.getByRole('textbox', { name: 'Your name as your teacher will see it' }).fill('Sam L');
  await signUp.getByRole('textbox', { name: 'Username' }).fill('sam.lee');
  await signUp.getByLabel('Password', { exact: true }).fill('short');
  const bring = signUp.getByRole('checkbox', { name: /^Bring the work from this browser into my account \(2 notebooks\)/ });
  await expect(bring).toBeChecked();
  await signUp.getByRole('button', { name: 'Make my account' }).click();
  await expect(signUp.getByRole('alert')).toHaveText('A password needs at least 8 characters. A short sentence you can remember works well.');
  await signUp.getByLabel('Password', { exact: true }).fill('my long secret');
  await signUp.getByRole('button', { name: 'Make my account' }).click();
  await studentPage.waitForURL((url) => url.pathname === '/');
  await expect(studentPage.getByRole('link', { name: /^Signed in as Sam L \(sam\.lee, student\)/ })).toBeVisible();
  await expect(home.notebookLink('My digit reader')).toBeVisible();
  // The page's first paint already says who is signed in, and offers Sign out (no waiting for the API).
  const firstPaint = await (await studentPage.request.get('/')).text();
  expect(firstPaint).toContain('aria-label="Signed in as Sam L (sam.lee, student). Your account"');
  expect(firstPaint).toMatch(/<button[^>]*>Sign out<\/button>/);

  // On another computer: signing in finds the notebook and the class.
  const labComputer = await browser.newContext();
  const labPage = await labComputer.newPage();
  await signIn(labPage, 'Sam.Lee', 'my long secret');
  const labHome = new HomePage(labPage);
  await expect(labHome.notebookLink('My digit reader')).toBeVisible();
  const opened = await labHome.openNotebook('My digit reader');
  expect(opened.id()).toBe(notebookId);
  const labClasses = new ClassesPage(labPage);
  await labClasses.open();
  await expect(labClasses.joinedClass('7B Computing')).toContainText('Teacher: Ms Rivera');
  // A student is offered no class making.
  await expect(labClasses.createForm).toHaveCount(0);

  // The teacher sees the student by name and username, and can give them a new password.
  await teacherClasses.open();
  await expect(teacherClasses.members('7B Computing')).toHaveText([/^Sam Lsam\.lee/]);
  await teacherClasses.taughtClass('7B Computing').getByRole('button', { name: 'Reset the password of Sam L' }).click();
  await expect(teacherClasses.taughtClass('7B Computing').getByRole('status').filter({ hasText: 'New password for sam.lee' })).toBeVisible();

  // Signing out ends the session: the lab computer is back to a visitor.
  await labPage.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(labPage.getByRole('banner').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await labComputer.close();
  await laptop.close();
  await teacherContext.close();
});

test('a teacher makes accounts for a class and prints the slips; a student signing in brings the work done before', async ({ page, browser }) => {
  await signInAsAdmin(page);
  const password = await makeTeacher(page, 'Mr Okafor', 'okafor');
  const teacherContext = await browser.newContext();
  const teacherPage = await teacherContext.newPage();
  await signIn(teacherPage, 'okafor', password);
  const classes = new ClassesPage(teacherPage);
  await classes.open();
  await classes.createClass('9A Science', 'Mr Okafor');
  const card = classes.taughtClass('9A Science');
  await card.getByRole('button', { name: 'Make student accounts for 9A Science' }).click();
  await card.getByRole('textbox', { name: 'Students’ names, one per line' }).fill('Ana Silva\nBen Ng\n');
  await card.getByRole('button', { name: 'Make accounts' }).click();
  const sheet = teacherPage.getByRole('region', { name: 'Layerbook sign-in slips: 9A Science' });
  const slips = sheet.getByRole('list', { name: 'Usernames and first passwords' }).getByRole('listitem');
  await expect(slips).toHaveCount(2);
  await expect(slips.first()).toContainText('Ana Silva');
  await expect(slips.first()).toContainText('ana.silva');
  const anaPassword = (await slips.first().getByRole('definition').nth(1).innerText()).trim();
  await teacherPage.emulateMedia({ media: 'print' });
  await teacherPage.screenshot({ path: 'test-results/accounts-print-slips.png', fullPage: true });
  await expect(teacherPage.getByRole('banner')).toBeHidden();
  await teacherPage.emulateMedia({ media: 'screen' });
  await expect(sheet.getByRole('button', { name: 'Print slips' })).toBeVisible();

  // Ana worked before signing in on this browser; signing in offers to bring it.
  const anaContext = await browser.newContext();
  const anaPage = await anaContext.newPage();
  const home = new HomePage(anaPage);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.title.fill('Before I signed in');
  await notebook.waitUntilSaved();
  await anaPage.goto('/sign-in');
  const form = anaPage.getByRole('form', { name: 'Sign in' });
  await form.getByRole('textbox', { name: 'Username' }).fill('ana.silva');
  await form.getByLabel('Password', { exact: true }).fill('wrong password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('alert')).toContainText('That username and password do not match.');
  await form.getByLabel('Password', { exact: true }).fill(anaPassword);
  await expect(form.getByRole('checkbox', { name: /^Bring the work from this browser into my account/ })).toBeChecked();
  await form.getByRole('button', { name: 'Sign in' }).click();
  await anaPage.waitForURL((url) => url.pathname === '/');
  await expect(home.notebookLink('Before I signed in')).toBeVisible();
  await anaPage.setViewportSize({ width: 390, height: 800 });
  await anaPage.screenshot({ path: 'test-results/accounts-home-phone.png' });
  await anaContext.close();
  await teacherContext.close();
});
