import { expect, test } from '@playwright/test';
import { newTeacherPage } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';
import { NotebookPage } from './pages/notebook-page';
import { screenshots } from './pages/screenshots';

test('a teacher locks one more cell from the class card; the student’s open copy cannot change it and shows it locked', async ({ browser }) => {
  const teacherPage = await newTeacherPage(browser, 'Ms Chen', 'chen.locks');
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await teacherClasses.createClass('7A Computing', 'Ms Chen');
  const code = await teacherClasses.joinCode('7A Computing');

  // Two text cells: the rules, and a cell for the student's notes, left unlocked at first.
  const home = new HomePage(teacherPage);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.deleteCell(2, 'model');
  await notebook.deleteCell(2, 'training');
  await notebook.markdownCell(1).write('# The rules\n\nRead them first.');
  await notebook.addCellAtEnd('markdown');
  await notebook.markdownCell(2).write('Your notes go here.');
  await notebook.title.fill('Notes and rules');
  await notebook.waitUntilSaved();
  await teacherPage.getByRole('button', { name: 'Make an assignment…' }).click();
  const dialog = teacherPage.getByRole('dialog', { name: 'Make an assignment' });
  await dialog.getByRole('checkbox', { name: 'Lock Cell 2 · Text · Your notes go here.' }).uncheck();
  await dialog.getByRole('button', { name: 'Make assignment' }).click();
  await expect(dialog.getByRole('status')).toContainText('is now an assignment for 7A Computing.');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The student opens their copy: the notes cell is theirs to edit.
  const studentPage = await (await browser.newContext()).newPage();
  const studentClasses = new ClassesPage(studentPage);
  await studentClasses.open();
  await studentClasses.joinClass(code, 'Lee');
  await expect(studentClasses.joinForm.getByRole('status')).toContainText('You joined 7A Computing.');
  await studentPage.goto('/');
  await studentPage.getByRole('list', { name: 'Assignments' }).getByRole('button', { name: 'Start Notes and rules' }).click();
  await studentPage.waitForURL(/\/notebooks\/[^/]+$/);
  const copy = new NotebookPage(studentPage);
  await copy.waitUntilLoaded();
  const notes = copy.cell(2, 'markdown');
  await expect(notes.getByRole('button', { name: 'Edit' })).toBeVisible();

  // The teacher locks the notes cell too, from the class card.
  await teacherClasses.open();
  const listed = teacherClasses.taughtClass('7A Computing').getByRole('list', { name: 'Assignments of 7A Computing' }).getByRole('listitem').first();
  await listed.getByRole('button', { name: 'Change the locked cells of Notes and rules' }).click();
  const form = listed.getByRole('form', { name: 'Locked cells of Notes and rules' });
  await expect(form.getByRole('checkbox', { name: 'Lock Cell 1 · Text · The rules Read them first.' })).toBeChecked();
  const notesLock = form.getByRole('checkbox', { name: 'Lock Cell 2 · Text · Your notes go here.' });
  await expect(notesLock).not.toBeChecked();
  await notesLock.check();
  await screenshots(teacherPage, 'change-locked-cells');
  await form.getByRole('button', { name: 'Save locked cells' }).click();
  await expect(form).toHaveCount(0);
  await expect(listed.getByRole('status')).toHaveText('Locked 1 cell more (2 cells locked now). No hand-ins yet; students’ open copies take the new locks within a minute.');
  await screenshots(teacherPage, 'locked-cells-saved');
  // Opened again, the form shows the locks that stand now.
  await listed.getByRole('button', { name: 'Change the locked cells of Notes and rules' }).click();
  await expect(notesLock).toBeChecked();
  await form.getByRole('button', { name: 'Cancel' }).click();

  // The student's page was open all along and has not asked yet: their change is refused, naming the cell,
  // and the copy, asking at once, shows the cell locked.
  await notes.getByRole('button', { name: 'Edit' }).click();
  await notes.getByRole('textbox', { name: 'Markdown source' }).fill('My own words');
  await expect(copy.saveStatus('Not saved')).toContainText('Your teacher locked cell 2 (a text cell starting “Your notes go here.”), so it cannot be changed.');
  const lockedNotes = copy.cell(2, 'markdown, locked');
  await expect(lockedNotes).toContainText('Locked by your teacher');
  await expect(lockedNotes.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(lockedNotes.getByRole('textbox', { name: 'Markdown source' })).toHaveCount(0);
  // Come back to it: the cell as the teacher wrote it, locked.
  // Leaving with the refused change unsaved: the page asks, and the student lets it go.
  studentPage.once('dialog', (leave) => void leave.accept());
  await studentPage.reload();
  await copy.waitUntilLoaded();
  await expect(lockedNotes).toContainText('Your notes go here.');
  await expect(lockedNotes.getByRole('button', { name: 'Edit' })).toHaveCount(0);
});
