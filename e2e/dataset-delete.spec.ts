import { expect, test } from '@playwright/test';
import { newTeacherPage } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';
import { pictureOf } from './pages/screenshots';
import { uploadPoints } from './pages/uploads';

test('a student deletes their own upload: the data cell says the data was deleted and offers the list to pick other data', async ({ page }) => {
  const { notebook, data } = await new HomePage(page).startWithDataCell();
  // Built-in data has nothing to delete.
  await expect(data.root.getByRole('button', { name: /^Delete the dataset/ })).toHaveCount(0);

  await data.openOwnData();
  const rows = Array.from({ length: 20 }, (_, i) => `${i},${(i * 3) % 7},${i < 12 ? 'tall' : 'short'}`);
  await data.root.getByLabel('Upload a CSV file').setInputFiles({ name: 'plants.csv', mimeType: 'text/csv', buffer: Buffer.from(`height,width,kind\n${rows.join('\n')}\n`) });
  await data.root.getByRole('form', { name: 'Import settings' }).getByRole('button', { name: 'Import dataset' }).click();
  await expect(data.root.getByRole('region', { name: /^The first training and checking rows of plants/ })).toBeVisible();

  await pictureOf(page, data.root.getByRole('button', { name: 'Delete the dataset plants' }), 'delete-dataset-button');
  // The confirmation names the dataset and says what happens to the cells that use it; "Keep it" changes nothing.
  let confirm = await data.askToDelete('plants');
  await expect(confirm).toContainText('Its examples are removed for good.');
  await expect(confirm).toContainText('Data cells that use it, this one included, then say the data was deleted');
  await pictureOf(page, confirm, 'delete-dataset-confirm');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(confirm).toBeHidden();
  await expect(data.root.getByRole('region', { name: /^The first training and checking rows of plants/ })).toBeVisible();

  confirm = await data.askToDelete('plants');
  await confirm.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(confirm).toBeHidden();
  await expect(data.problem).toHaveText('“plants”: This data is not there for you: it was deleted, or it belongs to someone else (if your teacher shared it, it may no longer be shared with your class). The rest of the notebook is as it was. Pick other data in the data cell’s Data list, or upload the file again.');
  await pictureOf(page, data.problem, 'dataset-deleted-cell');

  // The notebook opens again as it was, saying the same, and the list picks other data.
  await notebook.reload();
  await expect(data.problem).toContainText('This data is not there for you: it was deleted');
  await expect(data.dataset).toBeEnabled();
  await data.dataset.selectOption({ label: 'Two clusters (2-D points)' });
  await expect(data.problem).toHaveCount(0);
  await expect(data.dataset.getByRole('option', { name: 'plants' })).toHaveCount(0);
});

test('a teacher’s upload that grades an assignment is not deleted, and the refusal names the assignment', async ({ browser }) => {
  const teacherPage = await newTeacherPage(browser, 'Mr Adeyemi', 'adeyemi.delete');
  const classes = new ClassesPage(teacherPage);
  await classes.open();
  await classes.createClass('10D Computing', 'Mr Adeyemi');
  await uploadPoints(teacherPage.request, 'Final exam points');

  // A notebook trained on "Two clusters", made an assignment graded on the upload.
  const { notebook, data } = await new HomePage(teacherPage).startWithDataCell();
  await notebook.trainingCell(3).dataset.selectOption({ label: 'Two clusters (2-D points)' });
  await notebook.title.fill('Clusters exam');
  await notebook.waitUntilSaved();
  await teacherPage.getByRole('button', { name: 'Make an assignment…' }).click();
  const dialog = teacherPage.getByRole('dialog', { name: 'Make an assignment' });
  await dialog.getByRole('combobox', { name: 'Hidden test set' }).selectOption({ label: 'Final exam points (40 examples)' });
  await dialog.getByRole('button', { name: 'Make assignment' }).click();
  await expect(dialog.getByRole('status')).toContainText('is now an assignment for 10D Computing.');
  await dialog.getByRole('button', { name: 'Done' }).click();

  await data.dataset.selectOption({ label: 'Final exam points' });
  const confirm = await data.askToDelete('Final exam points');
  await confirm.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(confirm.getByRole('alert')).toHaveText(
    'Could not delete it: “Final exam points” is the test data of the assignment “Clusters exam” (10D Computing): hand-ins are graded on it, so it cannot be deleted. ' +
      'First pick another test set for that assignment (Classes, “Change test set” on the assignment) or delete the assignment, then delete the dataset.',
  );
  await pictureOf(teacherPage, confirm, 'delete-dataset-refused');
  await confirm.getByRole('button', { name: 'Keep it' }).click();
  await expect(data.dataset.getByRole('option', { name: 'Final exam points' })).toHaveCount(1);
  await expect(data.problem).toHaveCount(0);
});
