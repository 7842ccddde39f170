import { expect, test } from '@playwright/test';
import { newTeacherPage } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';
import { NotebookPage } from './pages/notebook-page';
import { pictureOf, screenshots } from './pages/screenshots';
import { uploadPoints } from './pages/uploads';

test('a teacher turns a notebook into an assignment with goals; a student opens their copy, trains, hands in and sees each goal graded', async ({ browser }) => {
  // The teacher (an account the admin made) makes a class…
  const teacherPage = await newTeacherPage(browser, 'Ms Rivera', 'rivera.assign');
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await teacherClasses.createClass('9C Computing', 'Ms Rivera');
  const code = await teacherClasses.joinCode('9C Computing');

  // …and a notebook: the instructions, an Input block for two numbers, and training on "Two clusters".
  const teacherHome = new HomePage(teacherPage);
  await teacherHome.goto();
  const teacherNotebook = await teacherHome.createNotebook();
  await teacherNotebook.deleteCell(2, 'model');
  await teacherNotebook.deleteCell(2, 'training');
  await teacherNotebook.markdownCell(1).write('# Two clusters\n\nAdd layers so the network tells the two clusters apart, then hand in your best run.');
  const modelPosition = await teacherNotebook.addCellAtEnd('model');
  const model = teacherNotebook.modelCell(modelPosition);
  await model.waitUntilLoaded();
  await model.blocks.typeInField('Input', 'shape', '2');
  await model.training.dataset.selectOption({ label: 'Two clusters (2-D points)' });
  await teacherNotebook.title.fill('Tell the clusters apart');
  await teacherNotebook.waitUntilSaved();

  // "Make an assignment…": the class, a due date, the text cell locked, an accuracy goal and a parameter limit.
  await teacherPage.getByRole('button', { name: 'Make an assignment…' }).click();
  const dialog = teacherPage.getByRole('dialog', { name: 'Make an assignment' });
  await expect(dialog.getByRole('combobox', { name: 'Class' })).toHaveValue(/.+/);
  await expect(dialog.getByRole('textbox', { name: 'Title' })).toHaveValue('Tell the clusters apart');
  await expect(dialog.getByRole('checkbox', { name: /^Lock Cell 1 · Text · Two clusters/ })).toBeChecked();
  await expect(dialog.getByRole('checkbox', { name: 'Lock Cell 2 · Model' })).not.toBeChecked();
  await expect(dialog.getByText('No goals: hand-ins are collected without being checked.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Add a test accuracy goal' }).click();
  await dialog.getByRole('group', { name: 'Goal 1', exact: true }).getByRole('textbox', { name: 'Test accuracy at least, in percent' }).fill('80');
  await dialog.getByRole('button', { name: 'Add a parameter limit' }).click();
  await dialog.getByRole('group', { name: 'Goal 2', exact: true }).getByRole('textbox', { name: 'At most this many parameters' }).fill('1000');
  await screenshots(teacherPage, 'make-assignment');
  await dialog.getByRole('button', { name: 'Make assignment' }).click();
  await expect(dialog.getByRole('status')).toContainText('Tell the clusters apart is now an assignment for 9C Computing.');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // A student in another browser joins with the code and finds the assignment on their home page.
  const studentContext = await browser.newContext();
  const studentPage = await studentContext.newPage();
  const studentClasses = new ClassesPage(studentPage);
  await studentClasses.open();
  await studentClasses.joinClass(code, 'Sam');
  await expect(studentClasses.joinForm.getByRole('status')).toHaveText('You joined 9C Computing. Your teacher is Ms Rivera.');
  await studentPage.goto('/');
  const assignments = studentPage.getByRole('list', { name: 'Assignments' });
  const card = assignments.getByRole('listitem').filter({ hasText: 'Tell the clusters apart' });
  await expect(card).toContainText('Not started');
  await expect(card).toContainText('9C Computing');
  await expect(card.getByRole('list', { name: 'Goals' })).toContainText('Test accuracy at least 80% on a test set you never see');
  await screenshots(studentPage, 'student-home');
  await card.getByRole('button', { name: 'Start Tell the clusters apart' }).click();
  await studentPage.waitForURL(/\/notebooks\/[^/]+$/);
  const copy = new NotebookPage(studentPage);
  await copy.waitUntilLoaded();
  const copyId = copy.id();
  const bar = studentPage.getByRole('region', { name: 'Assignment for 9C Computing' });
  await expect(bar).toContainText('Test accuracy at least 80%');
  await expect(bar.getByRole('button', { name: 'Hand in' })).toBeDisabled();

  // The instructions are locked: readable, not editable or deletable. The rest is theirs.
  const instructions = copy.cell(1, 'markdown, locked');
  await expect(instructions).toContainText('Locked by your teacher');
  await expect(instructions).toContainText('Add layers so the network tells the two clusters apart');
  await expect(instructions.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(instructions.getByRole('button', { name: 'Delete cell' })).toHaveCount(0);

  // They finish the network and train it.
  const studentModel = copy.modelCell(2);
  await studentModel.waitUntilLoaded();
  await studentModel.blocks.dragFromToolbox('Core', 'Dense', { below: 'Input' });
  await studentModel.blocks.typeInField('Dense', 'units', '2');
  await studentModel.blocks.chooseInField('Dense', 'activation', 'softmax');
  await studentModel.training.setEpochs(20);
  await studentModel.training.setLearningRate('0.1');
  await studentModel.training.train();
  const trainedAccuracy = await studentModel.training.waitForTestAccuracy();
  expect(trainedAccuracy).toBeGreaterThanOrEqual(80);

  // Hand in: the finished run, then the autograder's result for each goal.
  await expect(bar.getByRole('combobox', { name: 'Run to hand in' })).toHaveValue(/.+/);
  await bar.getByRole('button', { name: 'Hand in' }).click();
  const handIn = bar.getByRole('article', { name: 'Hand-in 1' });
  await expect(handIn).toContainText('On time');
  const results = handIn.getByRole('list', { name: 'Goal results' });
  await expect(results.getByRole('listitem')).toHaveCount(2, { timeout: 90_000 });
  await expect(results.getByRole('listitem').nth(0)).toContainText(/Met: Test accuracy \d+(\.\d)?% on the hidden test set; needed at least 80%\./);
  await expect(results.getByRole('listitem').nth(1)).toHaveText(/Met: 6 parameters; allowed at most 1,000\./);
  await expect(handIn).toContainText('Accuracy on the hidden test set:');
  await expect(bar.getByRole('button', { name: 'Hand in again' })).toBeEnabled();
  await screenshots(studentPage, 'student-handed-in');

  // Opening the assignment again returns the same copy; the home page says it is handed in.
  await studentPage.goto('/');
  await expect(card).toContainText('Handed in');
  await expect(card).toContainText('Latest hand-in: 2 of 2 goals met.');
  await card.getByRole('button', { name: 'Continue Tell the clusters apart' }).click();
  await studentPage.waitForURL(`**/notebooks/${copyId}`);

  // The teacher's class page lists the assignment with one hand-in.
  await teacherClasses.open();
  const listed = teacherClasses.taughtClass('9C Computing').getByRole('list', { name: 'Assignments of 9C Computing' }).getByRole('listitem').first();
  await expect(listed).toContainText('Tell the clusters apart');
  await expect(listed).toContainText('1 of 1 handed in');
  await screenshots(teacherPage, 'teacher-classes');

  // The teacher tightens the parameter limit after the hand-in and asks for two layers: judged again at once, the accuracy from what was measured.
  await listed.getByRole('button', { name: 'Change the goals of Tell the clusters apart' }).click();
  const goalsForm = listed.getByRole('form', { name: 'Goals of Tell the clusters apart' });
  const goal = (n: number) => goalsForm.getByRole('group', { name: `Goal ${n}`, exact: true });
  await expect(goal(1).getByRole('textbox', { name: 'Test accuracy at least, in percent' })).toHaveValue('80');
  await goal(2).getByRole('textbox', { name: 'At most this many parameters' }).fill('5');
  await goalsForm.getByRole('button', { name: 'Add a layer to use' }).click();
  await goal(3).getByRole('combobox', { name: 'Layer the network must use' }).selectOption({ label: 'Dense' });
  await goalsForm.getByRole('button', { name: 'Add a layer to use' }).click();
  await goal(4).getByRole('combobox', { name: 'Layer the network must use' }).selectOption({ label: 'Dropout' });
  await screenshots(teacherPage, 'change-goals');
  await goalsForm.getByRole('button', { name: 'Save goals' }).click();
  await expect(goalsForm).toHaveCount(0);
  const goalChips = listed.getByRole('list', { name: 'Goals of Tell the clusters apart' }).getByRole('listitem');
  await expect(goalChips).toHaveText([/Test accuracy at least 80%/, 'At most 5 parameters', 'Uses a Dense layer', 'Uses a Dropout layer']);
  // Opened again, the form shows every goal, both layers included, and a removed one goes.
  await listed.getByRole('button', { name: 'Change the goals of Tell the clusters apart' }).click();
  await expect(goalsForm.getByRole('group', { name: /^Goal \d+$/ })).toHaveCount(4);
  await expect(goal(3).getByRole('combobox', { name: 'Layer the network must use' })).toHaveValue('dense');
  await expect(goal(4).getByRole('combobox', { name: 'Layer the network must use' })).toHaveValue('dropout');
  await goalsForm.getByRole('button', { name: 'Remove goal 4' }).click();
  await goalsForm.getByRole('button', { name: 'Save goals' }).click();
  await expect(goalChips).toHaveText([/Test accuracy at least 80%/, 'At most 5 parameters', 'Uses a Dense layer']);
  await studentPage.reload();
  const regraded = studentPage.getByRole('region', { name: 'Assignment for 9C Computing' }).getByRole('article', { name: 'Hand-in 1' }).getByRole('list', { name: 'Goal results' });
  await expect(regraded.getByRole('listitem')).toHaveCount(3);
  await expect(regraded.getByRole('listitem').nth(1)).toHaveText(/Not met: 6 parameters; allowed at most 5\./);
  await expect(regraded.getByRole('listitem').nth(0)).toContainText(/Met: Test accuracy \d+(\.\d)?% on the hidden test set; needed at least 80%\./);
  await expect(regraded.getByRole('listitem').nth(2)).toHaveText(/Met: Uses 1 Dense layer\./);
  await studentContext.close();
});

test('a teacher grades an assignment on a hidden test set of their own, told at once why another set cannot be; students never see it', async ({ browser }) => {
  const teacherPage = await newTeacherPage(browser, 'Mr Okafor', 'okafor.hidden');
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await teacherClasses.createClass('8B Computing', 'Mr Okafor');
  const code = await teacherClasses.joinCode('8B Computing');
  await uploadPoints(teacherPage.request, 'Exam points', ['cluster A', 'cluster B']);
  await uploadPoints(teacherPage.request, 'Sides', ['left', 'right']);

  // A notebook that trains on "Two clusters".
  const home = new HomePage(teacherPage);
  await home.goto();
  const notebook = await home.createNotebook();
  await notebook.deleteCell(2, 'model');
  await notebook.deleteCell(2, 'training');
  const model = notebook.modelCell(await notebook.addCellAtEnd('model'));
  await model.waitUntilLoaded();
  await model.blocks.typeInField('Input', 'shape', '2');
  await model.training.dataset.selectOption({ label: 'Two clusters (2-D points)' });
  await notebook.title.fill('Clusters, graded on exam points');
  await notebook.waitUntilSaved();

  await teacherPage.getByRole('button', { name: 'Make an assignment…' }).click();
  const dialog = teacherPage.getByRole('dialog', { name: 'Make an assignment' });
  const testSet = dialog.getByRole('combobox', { name: 'Hidden test set' });
  await expect(testSet).toHaveValue('');
  await expect(testSet.getByRole('option', { name: 'Test split of the notebook’s data (Two clusters)' })).toHaveCount(1);
  await expect(dialog.getByText('Hand-ins are graded on the test split of “Two clusters”')).toBeVisible();

  // A set with other classes is refused at once, saying which and what to do.
  await testSet.selectOption({ label: 'Sides (40 examples)' });
  await expect(dialog.getByRole('alert')).toHaveText(
    '“Sides” lacks the classes “cluster A”, “cluster B” and has the classes “left”, “right” that “Two clusters” does not. Upload a test set made like “Two clusters”, or keep the test split of the notebook’s data.',
  );
  await expect(testSet).toHaveAttribute('aria-invalid', 'true');
  await pictureOf(teacherPage, dialog.getByRole('alert'), 'hidden-test-set-refused');

  await testSet.selectOption({ label: 'Exam points (40 examples)' });
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await expect(dialog.getByText('All 40 examples of “Exam points” grade each hand-in')).toBeVisible();
  await dialog.getByRole('button', { name: 'Add a test accuracy goal' }).click();
  await pictureOf(teacherPage, testSet, 'hidden-test-set');
  await dialog.getByRole('button', { name: 'Make assignment' }).click();
  await expect(dialog.getByRole('status')).toContainText('is now an assignment for 8B Computing.');
  await dialog.getByRole('button', { name: 'Done' }).click();

  // The class card says what grades it, and the set cannot be shared with the class now.
  await teacherClasses.open();
  const listed = teacherClasses.taughtClass('8B Computing').getByRole('list', { name: 'Assignments of 8B Computing' }).getByRole('listitem').first();
  await expect(listed).toContainText('Graded on all of “Exam points” (hidden)');
  await listed.getByRole('button', { name: 'Change the hidden test set of Clusters, graded on exam points' }).click();
  await expect(listed.getByRole('combobox', { name: 'Hidden test set' })).toHaveValue(/.+/);
  await screenshots(teacherPage, 'hidden-test-set-class-card');

  // A student of the class finds the assignment, but not the set: not in their datasets, not by its id.
  const studentContext = await browser.newContext();
  const studentPage = await studentContext.newPage();
  const studentClasses = new ClassesPage(studentPage);
  await studentClasses.open();
  await studentClasses.joinClass(code, 'Ada');
  await expect(studentClasses.joinForm.getByRole('status')).toContainText('You joined 8B Computing.');
  await studentPage.goto('/');
  await expect(studentPage.getByRole('list', { name: 'Assignments' })).toContainText('Clusters, graded on exam points');
  const datasets = await studentPage.request.get(`/api/trpc/dataset.list?input=${encodeURIComponent(JSON.stringify(null))}`);
  expect(datasets.status()).toBe(200);
  expect(await datasets.text()).not.toContain('Exam points');
  const mine = await studentPage.request.get(`/api/trpc/assignment.mine?input=${encodeURIComponent(JSON.stringify(null))}`);
  expect(await mine.text()).not.toContain('Exam points');
  await studentContext.close();
});
