import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { makeTeacher, signIn, signInAsAdmin } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';
import { HomePage } from './pages/home-page';
import { NotebookPage } from './pages/notebook-page';

/**
 * A whole class, start to end, the way a school runs a lesson on Layerbook (issue 9's "done
 * means"): everyone in their own browser, everything done on the pages. The admin makes a
 * teacher; the teacher makes a class and turns a notebook into an assignment with goals; two
 * students sign up with the class code, change the network, train and hand in (one after the
 * teacher closed the assignment, so late by the server's clock); the autograder scores both;
 * the teacher compares them side by side, gives feedback, returns it and downloads the grades;
 * each student sees their own feedback and nobody else's work; and a student who moves to
 * another computer finds everything again.
 */
const SCREENSHOTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../test-results/class-flow');
const TITLE = 'Two clusters';
const CLASS = '8C Computing';

interface Student {
  name: string;
  username: string;
  password: string;
  /** The units of the hidden Dense layer this student chooses, and the parameters that gives (2 inputs, 2 classes). */
  units: number;
  parameters: number;
}
const ANA: Student = { name: 'Ana Silva', username: 'ana.silva.8c', password: 'ana likes owls', units: 4, parameters: 22 };
const BEN: Student = { name: 'Ben Ng', username: 'ben.ng.8c', password: 'ben rides a bike', units: 16, parameters: 82 };
/** In the class, but never starts the assignment: the class view's empty card. */
const ABSENT = 'Cleo Park';
/** The teacher's parameter limit: Ana's network fits in it, Ben's does not. */
const MAX_PARAMETERS = 50;

test('a class from first account to returned feedback: admin, teacher and two students, each in their own browser', async ({ browser }) => {
  test.setTimeout(420_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const newPage = async (viewport = { width: 1280, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  };
  try {
    // 1. The admin (the first account of a fresh server) makes a teacher account.
    const adminPage = await newPage();
    await signInAsAdmin(adminPage);
    const teacherPassword = await makeTeacher(adminPage, 'Mr Osei', 'osei');

    // 2. The teacher signs in on their own computer and makes a class…
    const teacher = await newPage({ width: 1920, height: 1080 });
    await signIn(teacher, 'osei', teacherPassword);
    await expect(signedInAs(teacher, 'Mr Osei')).toBeVisible();
    const classes = new ClassesPage(teacher);
    await classes.open();
    await classes.createClass(CLASS, 'Mr Osei');
    const joinCode = await classes.joinCode(CLASS);
    // One student is away today: the teacher makes her account, and she starts nothing.
    const classCard = classes.taughtClass(CLASS);
    await classCard.getByRole('button', { name: `Make student accounts for ${CLASS}` }).click();
    await classCard.getByRole('textbox', { name: 'Students’ names, one per line' }).fill(`${ABSENT}\n`);
    await classCard.getByRole('button', { name: 'Make accounts' }).click();
    await expect(teacher.getByRole('region', { name: `Layerbook sign-in slips: ${CLASS}` }).getByRole('listitem')).toHaveCount(1);

    // …and a notebook to hand out: instructions, a small network for 2-D points, training on "Two clusters".
    const teacherHome = new HomePage(teacher);
    await teacherHome.goto();
    const notebook = await teacherHome.createNotebook();
    await notebook.deleteCell(2, 'model');
    await notebook.deleteCell(2, 'training');
    await notebook.markdownCell(1).write('# Two clusters\n\nChange the hidden layer so the network tells the clusters apart with as few parameters as you can, train it, and hand in your best run.');
    const modelPosition = await notebook.addCellAtEnd('model');
    const model = notebook.modelCell(modelPosition);
    await model.waitUntilLoaded();
    await model.blocks.buildClassifier({ inputs: 2, hidden: 8, classes: 2 });
    await expect(model.totalParameters()).toHaveText('42');
    await model.training.dataset.selectOption({ label: 'Two clusters (2-D points)' });
    // Few epochs on a small set: the lesson (and this test) should not wait on training.
    await model.training.setEpochs(6);
    await model.training.setLearningRate('0.05');
    await notebook.title.fill(TITLE);
    await notebook.waitUntilSaved();

    // Make it an assignment: an accuracy goal on the test split students never see, a parameter limit, a due date.
    await teacher.getByRole('button', { name: 'Make an assignment…' }).click();
    const dialog = teacher.getByRole('dialog', { name: 'Make an assignment' });
    await expect(dialog.getByRole('combobox', { name: 'Class' })).toHaveValue(/.+/);
    await dialog.getByLabel('Due', { exact: true }).fill(await localDateTime(teacher, 3 * 86_400_000));
    await dialog.getByRole('button', { name: 'Add a test accuracy goal' }).click();
    await dialog.getByRole('textbox', { name: 'Test accuracy at least, in percent' }).fill('80');
    await dialog.getByRole('button', { name: 'Add a parameter limit' }).click();
    await dialog.getByRole('textbox', { name: 'At most this many parameters' }).fill(String(MAX_PARAMETERS));
    await dialog.getByRole('button', { name: 'Make assignment' }).click();
    await expect(dialog.getByRole('status')).toContainText(`${TITLE} is now an assignment for ${CLASS}.`);
    await dialog.getByRole('button', { name: 'Done' }).click();

    // 3. Two students sign up with the class code, each on their own computer, and start the assignment from their home page.
    const ana = await newPage();
    const ben = await newPage();
    const anaCopy = await signUpAndStart(ana, ANA, joinCode);
    const benCopy = await signUpAndStart(ben, BEN, joinCode);

    // Each changes the hidden layer and trains (both runs queue together, as in a lesson).
    for (const [page, student] of [[ana, ANA], [ben, BEN]] as const) {
      const copy = new NotebookPage(page);
      const network = copy.modelCell(2);
      await network.waitUntilLoaded();
      await network.blocks.typeInField('Dense', 'units', String(student.units));
      await expect(network.totalParameters()).toHaveText(String(student.parameters));
      await copy.waitUntilSaved();
      await network.training.train();
    }

    // Ana hands in before the due date.
    const anaHandIn = await handIn(ana);
    await expect(anaHandIn).toContainText('On time');
    const anaAccuracy = await expectGraded(anaHandIn, ANA, 'Met');

    // The teacher closes the assignment early, at the end of the minute Ana handed in: hand-ins
    // follow a changed due date, so hers stays on time and Ben's, after it, is late.
    const closesAt = Math.ceil((Date.now() + 1_000) / 60_000) * 60_000;
    await expect.poll(() => Date.now(), { timeout: 75_000, intervals: [500] }).toBeGreaterThan(closesAt);
    await classes.open();
    const listed = classes.taughtClass(CLASS).getByRole('list', { name: `Assignments of ${CLASS}` }).getByRole('listitem').filter({ hasText: TITLE });
    await expect(listed).toContainText('1 of 3 handed in');
    await listed.getByRole('button', { name: `Change the due date of ${TITLE}` }).click();
    await listed.getByLabel('New due date').fill(await localDateTime(teacher, closesAt - Date.now()));
    await listed.getByRole('button', { name: 'Save due date' }).click();
    await expect(listed).toContainText(/— the due date passed (just now|\d+ minutes? ago)/);

    // Ben hands in after it: late, by the server's clock; his network is over the parameter limit.
    const benHandIn = await handIn(ben);
    await expect(benHandIn).toContainText(/Late by (less than a minute|\d+ minutes?)/);
    // His page was open since before the change; it now shows the due date the server judged by.
    const benBar = ben.getByRole('region', { name: `Assignment for ${CLASS}` });
    await expect(benBar.getByText(/^Due .+ — the due date passed (just now|\d+ minutes? ago)$/)).toBeVisible();
    await expect(benBar).toContainText('The due date has passed: you can still hand in, but it will be marked late.');
    const benAccuracy = await expectGraded(benHandIn, BEN, 'Not met');

    // 4–5. The class view: both networks and both students' curves side by side; Ben shows as late.
    await classes.open();
    await expect(listed).toContainText('2 of 3 handed in');
    await listed.getByRole('link', { name: `Class view of ${TITLE}` }).click();
    await expect(teacher.getByRole('heading', { name: TITLE, level: 1 })).toBeVisible();
    const grid = teacher.getByRole('list', { name: "Every student's network and training" });
    const anaCard = grid.getByRole('article', { name: ANA.name });
    const benCard = grid.getByRole('article', { name: BEN.name });
    await expect(anaCard.getByText('handed in', { exact: true })).toBeVisible();
    await expect(benCard.getByText(/^late by \d+ min$/)).toBeVisible();
    for (const [card, student] of [[anaCard, ANA], [benCard, BEN]] as const) {
      await expect(card.getByRole('img', { name: new RegExp(`^${student.name}'s network: .*Dense.*\\. ${student.parameters} parameters\\.$`) })).toBeVisible();
      await expect(card.getByLabel(`${student.name}: loss by epoch`)).toBeVisible();
      await expect(card.getByLabel(`${student.name}: accuracy by epoch`)).toBeVisible();
    }
    const absentCard = grid.getByRole('article', { name: ABSENT });
    await expect(absentCard.getByText('not started', { exact: true })).toBeVisible();
    await expect(absentCard).toContainText('No network yet');
    await expect(absentCard).toContainText('No training yet');
    await expect(anaCard.getByLabel('2 of 2 goals met')).toBeVisible();
    await expect(benCard.getByLabel('1 of 2 goals met')).toBeVisible();
    await expectSideBySide(anaCard, benCard);

    // Feedback: a comment on Ana's model cell, an overall comment and a mark; returned.
    await anaCard.getByRole('link', { name: `Open hand-in of ${ANA.name}` }).click();
    await giveFeedback(teacher, ANA, { cell: 'Four units are plenty here: small and it learns.', comment: 'Well done, Ana: both goals met.', mark: '9/10' }, 'Met');
    const anaSubmissionUrl = teacher.url();
    await teacher.goBack();
    await benCard.getByRole('link', { name: `Open hand-in of ${BEN.name}` }).click();
    await giveFeedback(teacher, BEN, { cell: 'Sixteen units is more than this needs: try fewer.', comment: 'It learns, but it is over the parameter limit, and late.', mark: '6/10' }, 'Not met');
    const benSubmissionUrl = teacher.url();
    await teacher.goBack();
    await expect(anaCard.getByText('handed in · returned', { exact: true })).toBeVisible();

    // The grades file: one row per student with goals, accuracy, mark and lateness.
    const [download] = await Promise.all([teacher.waitForEvent('download'), teacher.getByRole('link', { name: 'Download grades (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`Grades - ${CLASS} - ${TITLE}.csv`);
    const grades = readCsv(readFileSync((await download.path())!, 'utf8'));
    expect(grades.map((row) => row.Student).sort()).toEqual([ANA.name, BEN.name, ABSENT]);
    const accuracyGoal = 'Goal: Test accuracy at least 80% on a test set you never see';
    const sizeGoal = `Goal: At most ${MAX_PARAMETERS} parameters`;
    const row = (name: string) => grades.find((r) => r.Student === name)!;
    expect(row(ANA.name)).toMatchObject({ Status: 'handed in', Late: 'no', [accuracyGoal]: 'met', [sizeGoal]: 'met', [`Goal figure: At most ${MAX_PARAMETERS} parameters`]: String(ANA.parameters), Parameters: String(ANA.parameters), Mark: '9/10', Returned: 'yes' });
    expect(row(BEN.name)).toMatchObject({ Status: 'late', Late: 'yes', [accuracyGoal]: 'met', [sizeGoal]: 'not met', [`Goal figure: At most ${MAX_PARAMETERS} parameters`]: String(BEN.parameters), Parameters: String(BEN.parameters), Mark: '6/10', Returned: 'yes' });
    expect(Number(row(BEN.name)['Hours late'])).toBeGreaterThan(0);
    expect(row(ABSENT)).toMatchObject({ Status: 'not started', Late: '', [accuracyGoal]: '', 'Test accuracy': '', Mark: '' });
    // The accuracy in the file is the one each student was shown on their hand-in.
    expect(Number(row(ANA.name)['Test accuracy']) * 100).toBeCloseTo(anaAccuracy, 0);
    expect(Number(row(BEN.name)['Test accuracy']) * 100).toBeCloseTo(benAccuracy, 0);

    // 8. The class view as the teacher shows it: desktop and projector size, signed in, after feedback.
    // The header names the teacher from the page's first HTML, not only once the API has answered.
    const firstHtml = await (await teacher.request.get(new URL(teacher.url()).pathname)).text();
    expect(firstHtml).toContain('Signed in as Mr Osei (osei, teacher)');
    await teacher.evaluate(() => window.scrollTo(0, 0));
    for (const size of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
      await teacher.setViewportSize(size);
      await expect(signedInAs(teacher, 'Mr Osei')).toBeVisible();
      await expect(teacher.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeVisible();
      await expect(anaCard.getByLabel(`${ANA.name}: accuracy by epoch`)).toBeVisible();
      await expectSideBySide(anaCard, benCard);
      await teacher.screenshot({ path: path.join(SCREENSHOTS, `class-view-${size.width}x${size.height}.png`) });
    }
    // The same class as a table: each goal's verdict per student, the late one marked.
    await teacher.getByRole('group', { name: 'Show the class' }).getByRole('button', { name: 'Table' }).click();
    const benRow = teacher.getByRole('row').filter({ has: teacher.getByRole('rowheader', { name: BEN.name }) });
    await expect(benRow.getByRole('cell')).toContainText(['late by', '✓ met', '✕ not met', /%$/, String(BEN.parameters), '6/10']);
    await teacher.screenshot({ path: path.join(SCREENSHOTS, 'class-table-1280x720.png') });

    // 6. Each student sees their own feedback and mark at their copy, and no one else's.
    await expectFeedback(ana, anaCopy, '9/10', 'Well done, Ana: both goals met.', 'Four units are plenty here');
    await expectFeedback(ben, benCopy, '6/10', 'It learns, but it is over the parameter limit, and late.', 'Sixteen units is more than this needs');
    for (const [page, other, otherCopy, otherSubmission] of [[ana, BEN, benCopy, benSubmissionUrl], [ben, ANA, anaCopy, anaSubmissionUrl]] as const) {
      await page.goto(`/notebooks/${otherCopy}`);
      await expect(page.getByRole('heading', { name: 'We could not open this notebook' })).toBeVisible();
      await page.goto(new URL(otherSubmission).pathname);
      await expect(page.getByRole('heading', { name: 'Cannot show this hand-in' })).toBeVisible();
      await expect(page.getByText(other.name)).toHaveCount(0);
      await expect(page.getByText(/\d\/10/)).toHaveCount(0);
      // The API behind those pages answers as for something that does not exist.
      const submissionId = new URL(otherSubmission).pathname.split('/').pop();
      for (const [procedure, input] of [['notebook.get', { id: otherCopy }], ['review.submission', { submissionId }], ['review.myFeedback', { notebookId: otherCopy }]] as const) {
        expect((await page.request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`)).status(), procedure).toBe(404);
      }
    }

    // 7. Ana on another computer: her copy with her blocks, her run, her hand-in and the feedback.
    const lab = await newPage();
    await signIn(lab, ANA.username, ANA.password);
    const card = lab.getByRole('list', { name: 'Assignments' }).getByRole('listitem').filter({ hasText: TITLE });
    await expect(card).toContainText('Handed in');
    await expect(card).toContainText('Latest hand-in: 2 of 2 goals met.');
    await card.getByRole('button', { name: `Continue ${TITLE}` }).click();
    await lab.waitForURL(`**/notebooks/${anaCopy}`);
    const again = new NotebookPage(lab);
    await again.waitUntilLoaded();
    const network = again.modelCell(2);
    await network.waitUntilLoaded();
    await expect(network.totalParameters()).toHaveText(String(ANA.parameters));
    const layers = await network.layerRows();
    expect(layers.map((l) => l.layer)).toEqual([expect.stringMatching(/^Input/), expect.stringMatching(/^Dense/), expect.stringMatching(/^Dense/)]);
    expect(layers[1]!.parameters).toBe(String(3 * ANA.units));
    expect(await network.training.readTestAccuracy()).toBeCloseTo(anaAccuracy, 0);
    const bar = lab.getByRole('region', { name: `Assignment for ${CLASS}` });
    await expect(bar.getByRole('combobox', { name: 'Run to hand in' }).getByRole('option')).toHaveCount(1);
    const handedIn = bar.getByRole('article', { name: 'Hand-in 1' });
    await expect(handedIn).toContainText('On time');
    await expect(handedIn.getByRole('list', { name: 'Goal results' }).getByRole('listitem')).toHaveCount(2);
    await expect(lab.getByRole('region', { name: /^Feedback from your teacher/ })).toContainText('9/10');
  } finally {
    for (const context of contexts) await context.close();
  }
});

function signedInAs(page: Page, name: string): Locator {
  return page.getByRole('banner').getByRole('link', { name: new RegExp(`^Signed in as ${name} \\(`) });
}

/** A date-time-local value `offsetMs` from now in the browser's own time zone, as a person would type it. */
function localDateTime(page: Page, offsetMs: number): Promise<string> {
  return page.evaluate((offset) => {
    const date = new Date(Date.now() + offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }, offsetMs);
}

/** Signs up with the class code (no e-mail), then starts the assignment from the home page; the copy's id. */
async function signUpAndStart(page: Page, student: Student, joinCode: string): Promise<string> {
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Make one' }).click();
  const form = page.getByRole('form', { name: 'Make an account' });
  await expect(form.getByRole('radio', { name: 'I am a student' })).toBeChecked();
  await form.getByRole('textbox', { name: 'Class code' }).fill(joinCode);
  await form.getByRole('textbox', { name: 'Your name as your teacher will see it' }).fill(student.name);
  await form.getByRole('textbox', { name: 'Username' }).fill(student.username);
  await form.getByLabel('Password', { exact: true }).fill(student.password);
  await form.getByRole('button', { name: 'Make my account' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(signedInAs(page, student.name)).toBeVisible();
  const card = page.getByRole('list', { name: 'Assignments' }).getByRole('listitem').filter({ hasText: TITLE });
  await expect(card).toContainText('Not started');
  await expect(card.getByRole('list', { name: 'Goals' })).toContainText('Test accuracy at least 80% on a test set you never see');
  await card.getByRole('button', { name: `Start ${TITLE}` }).click();
  await page.waitForURL(/\/notebooks\/[^/]+$/);
  const copy = new NotebookPage(page);
  await copy.waitUntilLoaded();
  await expect(copy.cell(1, 'markdown, locked')).toContainText('Locked by your teacher');
  return copy.id();
}

/** Waits for the student's run to finish and hands it in; the new hand-in's card. */
async function handIn(page: Page): Promise<Locator> {
  const training = new NotebookPage(page).trainingCell(3);
  await training.waitForTestAccuracy();
  const bar = page.getByRole('region', { name: `Assignment for ${CLASS}` });
  await expect(bar.getByRole('combobox', { name: 'Run to hand in' })).toHaveValue(/.+/);
  await bar.getByRole('button', { name: 'Hand in' }).click();
  return bar.getByRole('article', { name: 'Hand-in 1' });
}

/** The autograder's verdict on each goal, with its figure, as the student reads it; the hidden-test accuracy in percent. */
async function expectGraded(handIn: Locator, student: Student, sizeVerdict: 'Met' | 'Not met'): Promise<number> {
  const results = handIn.getByRole('list', { name: 'Goal results' }).getByRole('listitem');
  await expect(results).toHaveCount(2, { timeout: 90_000 });
  await expect(results.nth(0)).toHaveText(/^✓Met: Test accuracy \d+(\.\d)?% on the hidden test set; needed at least 80%\.$/);
  const mark = sizeVerdict === 'Met' ? '✓' : '✗';
  await expect(results.nth(1)).toHaveText(`${mark}${sizeVerdict}: ${student.parameters} parameters; allowed at most ${MAX_PARAMETERS}.`);
  const accuracy = handIn.getByText(/^Accuracy on the hidden test set:/);
  await expect(accuracy).toBeVisible();
  return Number(/([\d.]+)%/.exec(await accuracy.innerText())![1]);
}

/** The two cards share one row of the grid: the teacher compares them without scrolling sideways or down. */
async function expectSideBySide(left: Locator, right: Locator): Promise<void> {
  const [a, b] = [await left.boundingBox(), await right.boundingBox()];
  expect(a && b, 'both cards are laid out').toBeTruthy();
  expect(Math.abs(a!.y - b!.y), 'the cards start at the same height').toBeLessThan(2);
  expect(a!.x + a!.width <= b!.x || b!.x + b!.width <= a!.x, 'the cards do not overlap').toBe(true);
}

/** On a hand-in: a comment on the model cell, an overall comment and a mark, then Return. */
async function giveFeedback(teacher: Page, student: Student, feedback: { cell: string; comment: string; mark: string }, sizeVerdict: 'Met' | 'Not met'): Promise<void> {
  await expect(teacher.getByRole('heading', { name: student.name, level: 1 })).toBeVisible();
  // The teacher reads the same verdicts and figures as the student.
  const goals = teacher.getByRole('list', { name: 'Goals' }).getByRole('listitem');
  await expect(goals.nth(0)).toHaveText(/^✓ Met: Test accuracy \d+(\.\d)?% on the hidden test set; needed at least 80%\.$/);
  await expect(goals.nth(1)).toHaveText(`${sizeVerdict === 'Met' ? '✓' : '✕'} ${sizeVerdict}: ${student.parameters} parameters; allowed at most ${MAX_PARAMETERS}.`);
  const modelCell = teacher.getByRole('article', { name: 'Cell 2, model' });
  await modelCell.getByLabel('Comment on this cell').fill(feedback.cell);
  await modelCell.getByRole('button', { name: 'Add comment' }).click();
  await expect(modelCell.getByRole('list', { name: 'Your comments on this cell' })).toContainText(feedback.cell);
  await teacher.getByRole('textbox', { name: 'Overall comment' }).fill(feedback.comment);
  await teacher.getByRole('textbox', { name: 'Mark', exact: true }).fill(feedback.mark);
  await teacher.getByRole('button', { name: 'Return to student' }).click();
  await expect(teacher.getByRole('status').filter({ hasText: /^Returned/ })).toContainText(`${student.name} sees the mark, this comment and 1 comment`);
}

/** The student's own copy shows the mark, the overall comment, and the cell comment at the model cell. */
async function expectFeedback(page: Page, copyId: string, mark: string, comment: string, cellComment: string): Promise<void> {
  await new NotebookPage(page).goto(copyId);
  const banner = page.getByRole('region', { name: /^Feedback from your teacher on hand-in 1/ });
  await expect(banner).toContainText(`Mark: ${mark}`);
  await expect(banner).toContainText(comment);
  // The comments sit right under the cell they are about, in the same place in the list of cells.
  const cells = new NotebookPage(page).cellList.getByRole('listitem');
  const atModelCell = cells.filter({ has: page.getByRole('article', { name: 'Cell 2, model', exact: true }) });
  await expect(atModelCell.getByRole('list', { name: "Your teacher's comments on this cell" })).toContainText(cellComment);
}

/** The grades file as one object per row, keyed by the header (quoted fields, CRLF rows, a BOM for spreadsheets). */
function readCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  const [header, ...body] = rows;
  return body.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
}
