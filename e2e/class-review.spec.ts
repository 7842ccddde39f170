import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { modelWorkspace } from '../blocks/templates/build';
import { newTrainingCell } from '../blocks/templates/training-cell';
import { newTeacherPage } from './pages/accounts';

/**
 * The teacher's side of a class: two students' work on an assignment, seen side by side and in
 * a table, one hand-in given feedback and returned, the grades exported, and the student
 * finding the feedback in their own copy. The class is set up through the API (the same calls
 * the pages make); what the teacher and student do is done on the pages.
 */
const SCREENSHOTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../test-results/class-review');

async function call<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.post(`/api/trpc/${procedure}`, { data: input });
  expect(response.ok(), `${procedure}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}
async function get<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.get(`/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
  expect(response.ok(), `${procedure}: ${await response.text()}`).toBe(true);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** How far the page itself scrolls sideways, and how far a table's scrolling box does: 0 when all of it fits. */
async function sidewaysOverflow(page: Page, table?: Locator): Promise<{ page: number; table: number }> {
  const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const tableOverflow = table ? await table.evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth) : 0;
  return { page: pageOverflow, table: tableOverflow };
}

/** Every open note lies wholly inside the block workspace, and nothing covers it (a click on it would reach it). */
async function expectNotesInside(workspace: Locator, notes: Locator): Promise<void> {
  for (const note of await notes.all()) {
    // Measured together: the trial click below may scroll the page.
    const [box, at] = [(await workspace.boundingBox())!, (await note.boundingBox())!];
    expect(at.x, 'a note sticks out on the left').toBeGreaterThanOrEqual(box.x);
    expect(at.y, 'a note sticks out at the top').toBeGreaterThanOrEqual(box.y);
    expect(at.x + at.width, 'a note sticks out on the right').toBeLessThanOrEqual(box.x + box.width);
    expect(at.y + at.height, 'a note sticks out at the bottom').toBeLessThanOrEqual(box.y + box.height);
    // Its far corner is the note's body wherever its tail points (left to the block beside it, up to the block above it).
    await note.click({ trial: true, timeout: 2000, position: { x: at.width - 8, y: at.height - 8 } });
  }
}

/** Trains the copy's training cell to the end; the finished run's id. */
async function train(request: APIRequestContext, notebookId: string, cellId: string): Promise<string> {
  const run = await call<{ runId: string }>(request, 'run.start', { notebookId, cellId });
  await expect
    .poll(async () => (await get<{ status: string }>(request, 'run.get', { runId: run.runId })).status, { timeout: 120_000, intervals: [500] })
    .toBe('succeeded');
  return run.runId;
}

test('a teacher sees two students side by side, returns feedback, exports grades; the student sees the feedback', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const contexts: BrowserContext[] = [];
  const newContext = async (viewport = { width: 1280, height: 900 }) => {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context;
  };
  try {
    // The teacher is an account the admin made; their page is the projector-sized one.
    const teacherPage = await newTeacherPage(browser, 'Ms Rivera', 'rivera.review');
    await teacherPage.setViewportSize({ width: 1920, height: 1080 });
    const teacher = teacherPage.context();
    contexts.push(teacher);
    const cls = await call<{ id: string; joinCode: string }>(teacher.request, 'class.create', { name: '7B Computing', teacherName: 'Ms Rivera' });
    const { id: notebookId } = await call<{ id: string }>(teacher.request, 'notebook.create', { title: 'Circles' });
    const workspace = modelWorkspace('pts', 'Points', [
      { key: 'input', args: { shape: [2] } },
      { key: 'dense', args: { units: 8, activation: 'relu' } },
      { key: 'dense', args: { units: 2, activation: 'softmax' } },
    ]) as Record<string, unknown>;
    const training = newTrainingCell('train-pts', 'pts', { optimizer: 'adam', learningRate: 0.05, batchSize: 16, epochs: 4, loss: 'categoricalCrossentropy', seed: 3 }, 'circle');
    const cells = [{ id: 'intro', type: 'markdown', source: 'Build a network that tells the two rings apart.' }, { id: 'pts', type: 'model', workspace }, training];
    await call(teacher.request, 'notebook.save', { id: notebookId, version: 1, title: 'Circles', cells });
    // Due in a minute: Ana hands in before it, Ben after it (the server's clock decides).
    const due = Date.now() + 60_000;
    const dueLater = new Date(due).toISOString();
    const assignment = await call<{ id: string }>(teacher.request, 'assignment.create', {
      notebookId,
      classId: cls.id,
      title: 'Circles',
      dueAt: dueLater,
      lockedCellIds: ['intro'],
      goals: [
        { id: 'accuracy', kind: 'testAccuracy', min: 0.5 },
        { id: 'size', kind: 'maxParams', max: 1000 },
      ],
    });

    const student = async (name: string) => {
      const context = await newContext();
      await call(context.request, 'class.join', { code: cls.joinCode, displayName: name });
      const copy = await call<{ notebookId: string }>(context.request, 'assignment.open', { id: assignment.id });
      return { context, copy: copy.notebookId };
    };
    const ana = await student('Ana');
    const ben = await student('Ben');

    // The teacher opens the class view before anyone trains, as at the start of a lesson.
    const page = teacherPage;
    await page.goto('/classes');
    await page.getByRole('link', { name: 'Class view of Circles' }).click();
    await expect(page.getByRole('heading', { name: 'Circles', level: 1 })).toBeVisible();
    const anaCard = page.getByRole('article', { name: 'Ana' });
    const benCard = page.getByRole('article', { name: 'Ben' });
    await expect(anaCard.getByText('No training yet')).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Live: training shows as it happens' })).toBeVisible();
    await expect(page.getByText(/^Due .+ \(in (less than a minute|1 minute)\)$/)).toBeVisible();
    // From now on the page must not read the class again (no polling, no reload): everything comes by push.
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('review.classView')) reads.push(request.url());
    });

    // The students train; their curves appear on the open page as the epochs finish.
    const trainingRuns = Promise.all([train(ana.context.request, ana.copy, 'train-pts'), train(ben.context.request, ben.copy, 'train-pts')]);
    await expect(anaCard.locator('.small-curves svg')).toHaveCount(2, { timeout: 60_000 });
    await expect(benCard.locator('.small-curves svg')).toHaveCount(2, { timeout: 60_000 });
    const [anaRun, benRun] = await trainingRuns;
    await expect(anaCard.getByText(/Best run · epoch 4 of 4/)).toBeVisible();
    await expect(anaCard.getByText('1 run', { exact: true })).toBeVisible();

    await call(ana.context.request, 'submission.handIn', { notebookId: ana.copy, runId: anaRun });
    await expect(anaCard.getByText('handed in')).toBeVisible();
    // The autograder's result arrives too, when it is recorded.
    await expect(anaCard.getByLabel(/of 2 goals met/)).toBeVisible({ timeout: 60_000 });
    expect(reads, 'the class view read the whole class again instead of following it live').toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now() + 1000)));
    await call(ben.context.request, 'submission.handIn', { notebookId: ben.copy, runId: benRun });
    // The open page says so by itself once the due date has passed (it reads the time every half minute).
    await expect(page.getByText(/^Due .+ — the due date passed (just now|1 minute ago)$/)).toBeVisible({ timeout: 45_000 });

    // The class view: both students, their networks and curves, side by side.
    await expect(anaCard.getByText('handed in')).toBeVisible();
    await expect(benCard.getByText(/late by/)).toBeVisible();
    await expect(anaCard.getByRole('img', { name: /Ana's network: Input.*Dense/ })).toBeVisible();
    await expect(anaCard.getByText(/3 layers ·/)).toBeVisible();
    await expect(anaCard.locator('.small-curves svg')).toHaveCount(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'class-view-1920x1080.png'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'class-view-1280x720.png'), fullPage: false });
    await page.setViewportSize({ width: 1920, height: 1080 });

    // The table sorts and filters.
    await page.getByRole('button', { name: 'Table' }).click();
    await expect(page.getByRole('row')).toHaveCount(3);
    // Goals are numbered above the table and head its columns by number, the whole goal in their name.
    await expect(page.getByRole('columnheader', { name: 'Goal 1: Test accuracy at least 50%' })).toBeVisible();
    // On a projector's 1280 pixels the whole table fits, its last column included, without scrolling sideways.
    const table = page.getByRole('table');
    const anaRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Ana' }) });
    const columnNames = ['Progress', 'Goal 1', 'Goal 2', 'Best test accuracy', 'Parameters', 'Runs', 'Last activity', 'Mark', 'Training'];
    for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      expect(await sidewaysOverflow(page, table), `at ${size.width}x${size.height}`).toEqual({ page: 0, table: 0 });
      await expect(page.getByRole('columnheader', { name: 'Training' })).toBeInViewport({ ratio: 1 });
      await expect(page.getByRole('link', { name: 'Open hand-in of Ben' })).toBeInViewport({ ratio: 1 });
      // A wide table names its columns once, in the header row, not in every cell.
      await expect(anaRow.getByText('Best test accuracy', { exact: true })).toBeHidden();
      await page.screenshot({ path: path.join(SCREENSHOTS, `class-table-${size.width}x${size.height}.png`) });
    }
    // A phone shows each student as a card of their own: neither the page nor the table scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), { message: 'the page scrolls sideways on a phone' })
      .toBe(true);
    expect((await sidewaysOverflow(page, table)).table, 'the table scrolls sideways in its box on a phone').toBe(0);
    // Each value shows its column's name beside it, on the screen.
    for (const name of columnNames) await expect(anaRow.getByText(name, { exact: true }), name).toBeVisible();
    const [accuracyName, accuracy] = [(await anaRow.getByText('Best test accuracy', { exact: true }).boundingBox())!, (await anaRow.getByText(/^\d+(\.\d)?%$/).boundingBox())!];
    expect(accuracyName.x + accuracyName.width, 'the column name is left of its value').toBeLessThanOrEqual(accuracy.x);
    expect(Math.abs(accuracyName.y + accuracyName.height / 2 - (accuracy.y + accuracy.height / 2)), 'the column name is on its value\'s line').toBeLessThan(accuracy.height);
    // To a screen reader it is still the table: the column headers, and Ana's row of one cell per
    // column, named by its value alone (the header names its column).
    await expect(page.getByRole('columnheader', { name: 'Goal 1: Test accuracy at least 50%' })).toHaveCount(1);
    await expect(page.getByRole('columnheader')).toHaveCount(1 + columnNames.length);
    await expect(anaRow.getByRole('cell')).toHaveCount(columnNames.length);
    await expect(anaRow.getByRole('cell', { name: /^\d+(\.\d)?%$/ })).toBeVisible();
    // The columns still sort, by the buttons above the cards.
    await expect(page.getByRole('button', { name: /Best test accuracy/ })).toBeVisible();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'class-table-390x844.png'), fullPage: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('combobox', { name: /^Show/ }).selectOption('late');
    await expect(page.getByRole('row')).toHaveCount(2);
    await expect(page.getByRole('rowheader', { name: 'Ben' })).toBeVisible();
    await page.getByRole('combobox', { name: /^Show/ }).selectOption('all');
    await page.getByRole('button', { name: /Student/ }).click();
    await expect(page.getByRole('columnheader', { name: /Student/ })).toHaveAttribute('aria-sort', 'descending');
    await expect(page.getByRole('rowheader').first()).toHaveText('Ben');

    // Ana's hand-in, read-only, with feedback.
    await page.getByRole('link', { name: 'Open hand-in of Ana' }).click();
    await expect(page.getByRole('heading', { name: 'Ana', level: 1 })).toBeVisible();
    const modelCell = page.getByRole('article', { name: 'Cell 2, model' });
    // Clicking the first Dense block in the (read-only) blocks makes the comment about it.
    await modelCell.locator('[data-id="pts-2-dense"] > .blocklyPath').click();
    await expect(modelCell.getByLabel('About the block')).toHaveValue('pts-2-dense');
    await expect(modelCell.getByRole('textbox', { name: 'Comment on this cell, about Dense' })).toBeFocused();
    await modelCell.getByLabel('Comment on this cell').fill('Good: small and it learns. Try 4 units instead of 8.');
    await modelCell.getByRole('button', { name: 'Add comment' }).click();
    await expect(modelCell.getByRole('list', { name: 'Your comments on this cell' })).toContainText('On Dense: Good: small and it learns.');
    // The comment shows on its block too.
    await expect(modelCell.getByRole('button', { name: "Your teacher's comment on this block" })).toHaveCount(1);
    // The keyboard's way: the list picks the block as clicking does.
    const trainingCell = page.getByRole('article', { name: 'Cell 3, training' });
    await expect(trainingCell.getByLabel('About the block')).toHaveCount(0);
    await modelCell.getByLabel('About the block').selectOption({ label: '3. Dense' });
    await modelCell.getByLabel('Comment on this cell').fill('Softmax on two classes: right.');
    await modelCell.getByRole('button', { name: 'Add comment' }).click();
    await expect(modelCell.getByRole('list', { name: 'Your comments on this cell' })).toContainText('Softmax on two classes: right.');
    await expect(modelCell.getByRole('button', { name: "Your teacher's comment on this block" })).toHaveCount(2);
    await modelCell.screenshot({ path: path.join(SCREENSHOTS, 'hand-in-block-comment.png') });
    await page.getByRole('textbox', { name: 'Overall comment' }).fill('Well done, Ana.');
    await page.getByRole('textbox', { name: 'Mark', exact: true }).fill('9/10');
    await page.getByRole('button', { name: 'Return to student' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Returned/ })).toContainText('Ana sees the mark');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hand-in-1920x1080.png'), fullPage: true });

    // The grades file: one row per student, the mark and lateness in it.
    await page.goto(`/assignments/${assignment.id}/review`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download grades (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('Grades - 7B Computing - Circles.csv');
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv.find((l) => l.startsWith('"Ana"'))).toContain('"9/10"');
    expect(csv.find((l) => l.startsWith('"Ben"'))).toContain('"late"');
    // Only the teacher gets it.
    expect((await ana.context.request.get(`/api/assignments/${assignment.id}/grades.csv`)).status()).toBe(404);
    expect((await ana.context.request.get(`/api/trpc/review.classView?input=${encodeURIComponent(JSON.stringify({ assignmentId: assignment.id }))}`)).status()).toBe(404);

    // Ana finds the feedback in her own copy, at the cell; Ben sees none.
    const anaPage = await ana.context.newPage();
    await anaPage.goto(`/notebooks/${ana.copy}`);
    await expect(anaPage.getByRole('heading', { name: /Feedback from your teacher/ })).toBeVisible();
    await expect(anaPage.getByText('9/10')).toBeVisible();
    await expect(anaPage.getByText('Well done, Ana.')).toBeVisible();
    // The comments are inside the cell, first after its toolbar: a screen reader meets them entering the
    // cell, before the blocks, and the cell names them as its details.
    const anaModelCell = anaPage.getByRole('article', { name: 'Cell 2, model' });
    await expect(anaModelCell.getByRole('region').first()).toHaveAccessibleName("Your teacher's comments");
    await expect(anaModelCell.getByRole('heading', { name: "Your teacher's comments" })).toBeVisible();
    const comments = anaModelCell.getByRole('list', { name: "Your teacher's comments on this cell" });
    await expect(comments).toContainText('Try 4 units instead of 8.');
    await expect(comments).toContainText('On Dense:');
    const details = anaPage.locator(`[id="${await anaModelCell.getAttribute('aria-details')}"]`);
    await expect(details.getByRole('region', { name: "Your teacher's comments" })).toContainText('Good: small and it learns. Try 4 units instead of 8.');
    // Ana's copy is past its due date too, and says so in words.
    await expect(anaPage.getByRole('region', { name: 'Assignment for 7B Computing' })).toContainText(/Due .+ — the due date passed/);
    // At the block itself: the teacher's note on the Dense block, open.
    const notes = anaModelCell.getByRole('button', { name: "Your teacher's comment on this block" });
    await expect(notes).toHaveCount(2);
    await expect(anaModelCell.locator('[data-id="pts-2-dense"]').getByRole('button', { name: "Your teacher's comment on this block" }).first()).toBeVisible();
    const bubbles = anaModelCell.getByRole('note', { name: "Your teacher's comment" });
    await expect(bubbles).toHaveCount(2);
    await expect(bubbles.filter({ hasText: 'Teacher: Good: small' })).toHaveCount(1);
    const blocks = anaModelCell.getByRole('region', { name: 'Block workspace' });
    await expectNotesInside(blocks, bubbles);
    await anaModelCell.screenshot({ path: path.join(SCREENSHOTS, 'student-block-comment-1280.png') });
    // A click on the note closes it (and opens it again).
    await notes.first().click();
    await expect(bubbles).toHaveCount(1);
    await anaPage.screenshot({ path: path.join(SCREENSHOTS, 'student-feedback-1280x900.png') });
    // A projector, and a phone, where the model cell is narrow: both notes still open wholly inside the blocks.
    for (const size of [{ width: 1920, height: 1080 }, { width: 390, height: 844 }]) {
      await anaPage.setViewportSize(size);
      await anaPage.reload();
      await expect(bubbles).toHaveCount(2);
      await blocks.scrollIntoViewIfNeeded();
      await expectNotesInside(blocks, bubbles);
      await anaModelCell.screenshot({ path: path.join(SCREENSHOTS, `student-block-comment-${size.width}.png`) });
      await anaPage.screenshot({ path: path.join(SCREENSHOTS, `student-feedback-${size.width}x${size.height}.png`), fullPage: true });
    }
    const benPage = await ben.context.newPage();
    await benPage.goto(`/notebooks/${ben.copy}`);
    await expect(benPage.getByRole('list', { name: 'Cells' })).toBeVisible();
    await expect(benPage.getByRole('heading', { name: /Feedback from your teacher/ })).toHaveCount(0);
  } finally {
    for (const context of contexts) await context.close();
  }
});
