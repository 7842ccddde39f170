import { expect, test, type Locator, type Page } from '@playwright/test';
import { newTeacherPage } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';
import type { NotebookPage } from './pages/notebook-page';

/** Two kinds of leaf, far apart in length and width: a small network separates them easily. */
function leafCsv(): Buffer {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const big = i % 2 === 0;
    const jitter = (i % 7) / 10;
    return `${(big ? 9 : 2) + jitter},${(big ? 6 : 1) + jitter},${big ? 'oak' : 'birch'}`;
  });
  return Buffer.from(['length,width,tree', ...rows].join('\n'));
}

/** Adds a data cell at the end of the notebook and returns it. */
async function addDataCell(page: Page, notebook: NotebookPage): Promise<Locator> {
  const position = (await notebook.cells.count()) + 1;
  await page.getByRole('button', { name: 'Add data cell' }).click();
  const cell = notebook.cell(position, 'data');
  await expect(cell.getByRole('combobox', { name: 'Data' })).toBeVisible();
  return cell;
}

test('a teacher shares a dataset with a class, and a student who joined with the code trains on it', async ({ browser }) => {
  // The teacher (an account the admin made) makes a class; the page shows the code to write on the board.
  const teacherPage = await newTeacherPage(browser, 'Ms Rivera', 'ms.rivera');
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await teacherClasses.createClass('7B Computing', 'Ms Rivera');
  const code = await teacherClasses.joinCode('7B Computing');
  await expect(teacherClasses.taughtClass('7B Computing')).toContainText('Nobody has joined yet.');

  // …uploads a table in a notebook's data cell and shares it with the class.
  const teacherHome = new HomePage(teacherPage);
  await teacherHome.goto();
  const teacherNotebook = await teacherHome.createNotebook();
  const teacherData = await addDataCell(teacherPage, teacherNotebook);
  await teacherData.getByText('Use your own data (CSV file or pictures)').click();
  await teacherData.getByLabel('Upload a CSV file').setInputFiles({ name: 'Leaf sizes.csv', mimeType: 'text/csv', buffer: leafCsv() });
  await teacherData.getByRole('button', { name: 'Import dataset' }).click();
  await expect(teacherData.getByText('Leaf sizes: your uploaded table.')).toBeVisible();
  const sharing = teacherData.getByRole('region', { name: 'Who can use Leaf sizes' });
  await expect(sharing).toContainText('Only you can use it.');
  await sharing.getByRole('button', { name: 'Share with class…' }).click();
  await sharing.getByRole('combobox', { name: 'Class' }).selectOption({ label: '7B Computing (0 students)' });
  await sharing.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(sharing.getByRole('status')).toHaveText('Shared with 7B Computing.');
  await expect(sharing.getByRole('button', { name: 'Stop sharing with 7B Computing' })).toBeVisible();
  await teacherNotebook.waitUntilSaved();
  const teacherNotebookId = teacherNotebook.id();

  // A student in another browser joins, typing the code the way it is copied off a board.
  const studentContext = await browser.newContext();
  const studentPage = await studentContext.newPage();
  const studentClasses = new ClassesPage(studentPage);
  await studentClasses.open();
  await studentClasses.joinClass('nope-00', 'Sam');
  await expect(studentClasses.joinForm.getByRole('alert')).toContainText('No class has the code NOP-E00. Check the code on the board');
  await studentClasses.joinClass(code.toLowerCase().replace('-', ' '), 'Sam');
  await expect(studentClasses.joinForm.getByRole('status')).toHaveText('You joined 7B Computing. Your teacher is Ms Rivera.');
  await expect(studentClasses.joinedClass('7B Computing')).toContainText('Teacher: Ms Rivera');

  // The teacher sees who joined, and what the class can use.
  await teacherClasses.open();
  await expect(teacherClasses.members('7B Computing')).toHaveText([/^Sam/]);
  await expect(teacherClasses.taughtClass('7B Computing').getByRole('region', { name: 'Shared datasets' })).toContainText('Leaf sizes');

  // The student finds the shared table in a data cell, with who shared it, and previews it.
  const studentHome = new HomePage(studentPage);
  await studentHome.goto();
  const studentNotebook = await studentHome.createNotebook();
  const studentData = await addDataCell(studentPage, studentNotebook);
  const dataPicker = studentData.getByRole('combobox', { name: 'Data' });
  await dataPicker.selectOption({ label: 'Leaf sizes (shared by Ms Rivera with 7B Computing)' });
  await expect(studentData.getByText('Leaf sizes: a table Ms Rivera shared with 7B Computing.')).toBeVisible();
  await expect(studentData.getByRole('table', { name: /The first training and checking rows of Leaf sizes/ })).toBeVisible();
  // Only the owner can share it on.
  await expect(studentData.getByRole('button', { name: 'Share with class…' })).toHaveCount(0);

  // …and trains a model on it: two measurements in, two kinds of tree out.
  const modelPosition = await studentNotebook.addCellAtEnd('model');
  const model = studentNotebook.modelCell(modelPosition);
  await model.waitUntilLoaded();
  await model.blocks.typeInField('Input', 'shape', '2');
  await model.blocks.dragFromToolbox('Core', 'Dense', { below: 'Input' });
  await model.blocks.typeInField('Dense', 'units', '2');
  await model.blocks.chooseInField('Dense', 'activation', 'softmax');
  const dataCellPosition = modelPosition - 1;
  await model.training.dataset.selectOption({ label: `Data cell ${dataCellPosition}: Leaf sizes (uploaded)` });
  await model.training.setEpochs(40);
  await model.training.setLearningRate('0.1');
  await model.training.train();
  expect(await model.training.waitForTestAccuracy()).toBeGreaterThanOrEqual(80);

  // Once the teacher stops sharing, the student can no longer preview it or pick it.
  await studentNotebook.waitUntilSaved();
  await teacherNotebook.goto(teacherNotebookId);
  const sharingAgain = teacherPage.getByRole('region', { name: 'Who can use Leaf sizes' });
  await sharingAgain.getByRole('button', { name: 'Stop sharing with 7B Computing' }).click();
  await expect(sharingAgain.getByRole('status')).toHaveText('Only you can use it.');
  await studentNotebook.reload();
  const reloadedData = studentNotebook.cell(dataCellPosition, 'data');
  await expect(reloadedData.getByRole('alert')).toContainText('it belongs to someone else (if your teacher shared it, it may no longer be shared with your class)');
  await expect(reloadedData.getByRole('combobox', { name: 'Data' }).getByRole('option', { name: /shared by Ms Rivera/ })).toHaveCount(0);
  await studentContext.close();
  await teacherPage.context().close();
});
