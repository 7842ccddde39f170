import { expect, test } from '@playwright/test';
import { newTeacherPage } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';
import { NotebookPage } from './pages/notebook-page';
import { screenshots } from './pages/screenshots';

test('a teacher locks one more cell from the class card; the student’s open copy puts their change to it back, keeps the rest and saves again', async ({ browser }) => {
  const teacherPage = await newTeacherPage(browser, 'Ms Chen', 'chen.locks');
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await teacherClasses.createClass('7A Computing', 'Ms Chen');
  const code = await teacherClasses.joinCode('7A Computing');

  // Three text cells: the rules, a cell for the student's notes, left unlocked at first, and one for their answer.
  const home = new HomePage(teacherPage);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.deleteCell(2, 'model');
  await notebook.deleteCell(2, 'training');
  await notebook.markdownCell(1).write('# The rules\n\nRead them first.');
  await notebook.addCellAtEnd('markdown');
  await notebook.markdownCell(2).write('Your notes go here.');
  await notebook.addCellAtEnd('markdown');
  await notebook.markdownCell(3).write('Your answer goes here.');
  await notebook.title.fill('Notes and rules');
  await notebook.waitUntilSaved();
  await teacherPage.getByRole('button', { name: 'Make an assignment…' }).click();
  const dialog = teacherPage.getByRole('dialog', { name: 'Make an assignment' });
  await dialog.getByRole('checkbox', { name: 'Lock Cell 2 · Text · Your notes go here.' }).uncheck();
  await dialog.getByRole('checkbox', { name: 'Lock Cell 3 · Text · Your answer goes here.' }).uncheck();
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
  // The student writes in the notes cell before the teacher locks it; it is saved.
  await copy.markdownCell(2).write('My own words');
  await copy.waitUntilSaved();

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

  // The student's page was open all along and has not asked yet: they change the notes cell again,
  // the save is refused, and the page, asking at once, puts the cell back as the teacher wrote it,
  // keeps everything else and saves, saying so politely and keeping their words at hand.
  await notes.getByRole('button', { name: 'Edit' }).click();
  await notes.getByRole('textbox', { name: 'Markdown source' }).fill('My own words, and more');
  const putBack = studentPage.getByRole('status', { name: 'Cells put back' });
  await expect(putBack).toContainText(
    'Your teacher locked cell 2 (Text · Your notes go here). Your changes to it were put back as your teacher wrote it; everything else you did is saved.',
  );
  await copy.waitUntilSaved();
  const lockedNotes = copy.cell(2, 'markdown, locked');
  await expect(lockedNotes).toContainText('Locked by your teacher');
  await expect(lockedNotes).toContainText('Your notes go here.');
  await expect(lockedNotes.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(lockedNotes.getByRole('textbox', { name: 'Markdown source' })).toHaveCount(0);
  await putBack.getByText('Your version of cell 2').click();
  await expect(putBack.getByText('My own words, and more')).toBeVisible();
  await expect(putBack.getByRole('button', { name: 'Copy my version of cell 2' })).toBeVisible();
  await screenshots(studentPage, 'locked-cell-put-back');

  // The rest of their work saves again: the answer cell, unlocked, keeps its change after a reload.
  await copy.markdownCell(3).write('My answer');
  await copy.reload();
  await expect(copy.cell(3, 'markdown')).toContainText('My answer');
  await expect(lockedNotes).toContainText('Your notes go here.');
  await expect(lockedNotes).not.toContainText('My own words');
  await expect(lockedNotes.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  // Nothing differs from the teacher's version any more: nothing to put back.
  await expect(putBack).toHaveCount(0);
});
