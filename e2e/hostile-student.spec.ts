import { expect, test, type APIRequestContext, type BrowserContext, type Page } from '@playwright/test';
import { modelWorkspace } from '../blocks/templates/build';
import { compositeWorkspace } from '../blocks/templates/composite';
import { newTrainingCell } from '../blocks/templates/training-cell';
import { newTeacherPage } from './pages/accounts';
import { ClassesPage } from './pages/classes-page';

/**
 * A student types script wherever Layerbook lets them type, hands the work in, and their
 * teacher opens it (class page, class view, the hand-in itself): nothing may run, for the
 * teacher or for the student. Every payload either sets `window.__pwned` or
 * calls `alert`; the test fails on a set flag, any dialog, any script the Content Security
 * Policy had to stop (it would have run without it), and any event-handler attribute or
 * `javascript:` address that reached the page.
 */

/** Names are at most 40 characters, so the short forms go there. */
const NAME = '<img src=x onerror=__pwned=1>';
const CLASS_NAME = '<svg onload=__pwned=2>';
const TITLE = '<script>__pwned=3</script><img src=x onerror=alert(3)>';
const MODEL_NAME = '<img src=x onerror=__pwned=4>';
const MADE_BLOCK = '<svg><script>__pwned=5</script>';
const OUTPUT_NAME = '<iframe src=javascript:alert(6)>';
const DATASET_NAME = '<img src=x onerror=__pwned=7>';
const FEATURE_HEADER = '<img src=x onerror=alert(8)>';
const LABEL_HEADER = '<script>__pwned=9</script>';
const CLASS_VALUES = ['<svg onload=alert(10)>', '<b onmouseover=__pwned=11>x</b>'];

const MARKDOWN = [
  '# Hostile notes',
  '<img src=x onerror="window.__pwned=\'markdown img\'">',
  '<script>window.__pwned = "markdown script"</script>',
  '<svg><script>window.__pwned = "svg script"</script></svg>',
  '<svg onload="window.__pwned=\'svg onload\'"><circle r="4"/></svg>',
  '<svg><a xlink:href="javascript:alert(\'svg link\')"><text y="20">svg link</text></a></svg>',
  '[a markdown link](javascript:window.__pwned=\'markdown link\')',
  '<a href="javascript:alert(\'html link\')">an html link</a>',
  '<a href="JaVaScRiPt:alert(\'mixed case\')">mixed case</a>',
  '<a href="&#106;avascript:alert(\'entity\')">entity</a>',
  '<a href="data:text/html,<script>alert(\'data\')</script>">data link</a>',
  '<img src="javascript:alert(\'img src\')">',
  '<iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__pwned=\'mxss\'">',
  '<details open ontoggle="window.__pwned=\'details\'"><summary>details</summary></details>',
  '<input autofocus onfocus="window.__pwned=\'input\'">',
  '<form action="javascript:alert(\'form\')"><button formaction="javascript:alert(\'button\')">go</button></form>',
  '<object data="javascript:alert(\'object\')"></object><embed src="javascript:alert(\'embed\')">',
  '<div style="background:url(javascript:alert(\'style\'))" onclick="alert(\'div\')">click</div>',
  '`<img src=x onerror=alert("code")>`',
  '',
  '| <img src=x onerror=alert("table")> | b |',
  '|---|---|',
  '| <script>alert("cell")</script> | 2 |',
].join('\n');

/** What a page ran (or tried to) that it should not have. */
interface Traces {
  dialogs: string[];
  flag: unknown;
  violations: string[];
  handlers: string[];
}

/** Watches a browser context from its first script: dialogs, the flag, and script-src refusals. */
async function watch(context: BrowserContext): Promise<(page: Page) => Promise<Traces>> {
  const dialogs: string[] = [];
  context.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { scriptViolations: string[] }).scriptViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      if (event.effectiveDirective.startsWith('script-src')) seen.push(`${event.effectiveDirective}: ${event.sample || event.blockedURI}`);
    });
  });
  return async (page) => ({
    dialogs: [...dialogs],
    ...(await page.evaluate(() => {
      const w = window as unknown as { __pwned?: unknown; scriptViolations: string[] };
      const handlers: string[] = [];
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          const value = attribute.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
          if (attribute.name.toLowerCase().startsWith('on') || value.startsWith('javascript:') || (element.localName !== 'img' && value.startsWith('data:text/html'))) {
            handlers.push(`<${element.localName} ${attribute.name}="${attribute.value}">`);
          }
        }
      }
      return { flag: w.__pwned ?? null, violations: [...w.scriptViolations], handlers };
    })),
  });
}

const NOTHING_RAN: Traces = { dialogs: [], flag: null, violations: [], handlers: [] };

/** Calls the API with the page's own session, as the page's scripts would. */
async function api<T>(request: APIRequestContext, path: string, input: unknown, method: 'GET' | 'POST'): Promise<T> {
  const response =
    method === 'GET'
      ? await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await request.post(`/api/trpc/${path}`, { data: input, headers: { 'content-type': 'application/json' } });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

function hostileCsv(): Buffer {
  const rows = Array.from({ length: 30 }, (_, i) => `${i % 7},${i % 5},${CLASS_VALUES[i % 2]}`);
  return Buffer.from([`${FEATURE_HEADER},"=cmd|' /C calc'!A0",${LABEL_HEADER}`, ...rows].join('\n'));
}

/** Polls until the run has finished training; its final status. */
async function finished(request: APIRequestContext, runId: string): Promise<string> {
  let status = 'queued';
  await expect
    .poll(async () => (status = (await api<{ status: string }>(request, 'run.get', { runId }, 'GET')).status), { timeout: 120_000, intervals: [500] })
    .toMatch(/^(succeeded|failed|cancelled)$/);
  return status;
}

test('a teacher opens a hostile student’s hand-in and nothing runs', async ({ browser }) => {
  test.setTimeout(300_000);
  // A teacher account (made by the admin) makes a class and an assignment of one text cell.
  const teacherPage = await newTeacherPage(browser, 'Ms Rivera', 'rivera.hostile');
  const teacherContext = teacherPage.context();
  const teacherTraces = await watch(teacherContext);
  const klass = await api<{ id: string; joinCode: string }>(teacherPage.request, 'class.create', { name: '7B Computing', teacherName: 'Ms Rivera' }, 'POST');
  const { id: sourceId } = await api<{ id: string }>(teacherPage.request, 'notebook.create', { title: 'Tables' }, 'POST');
  await api(teacherPage.request, 'notebook.save', { id: sourceId, version: 1, title: 'Tables', cells: [{ id: 'task', type: 'markdown', source: 'Train a network on a table of your own.' }] }, 'POST');
  const assignment = await api<{ id: string }>(
    teacherPage.request,
    'assignment.create',
    { notebookId: sourceId, classId: klass.id, title: 'Tables', dueAt: new Date(Date.now() + 86_400_000).toISOString(), lockedCellIds: [], goals: [] },
    'POST',
  );

  // The student signs up with the class code under a name that is a script…
  const studentContext = await browser.newContext();
  const studentTraces = await watch(studentContext);
  const studentPage = await studentContext.newPage();
  await studentPage.goto('/');
  await api(studentPage.request, 'account.signUp', { username: 'mallory', password: 'mallory password', displayName: NAME, joinCode: klass.joinCode }, 'POST');

  // …uploads a table whose name, column headers and classes are scripts…
  const options = { name: DATASET_NAME, label: LABEL_HEADER, features: [{ column: FEATURE_HEADER, as: 'number' }], normalization: 'none', split: { train: 60, validation: 20, test: 20 }, seed: 1 };
  const uploaded = await studentPage.request.post(`/api/datasets/csv?options=${encodeURIComponent(JSON.stringify(options))}`, {
    data: hostileCsv(),
    headers: { 'content-type': 'text/csv' },
  });
  expect(uploaded.status(), await uploaded.text()).toBe(201);
  const { dataset } = (await uploaded.json()) as { dataset: { id: string; inputShape: number[]; classes: string[] } };

  // …and fills their copy of the assignment with a hostile title, markdown, model name, made
  // block and output name, saved as the page would save it.
  const { notebookId } = await api<{ notebookId: string }>(studentPage.request, 'assignment.open', { id: assignment.id }, 'POST');
  const { version } = await api<{ version: number }>(studentPage.request, 'notebook.get', { id: notebookId }, 'GET');
  const trained = modelWorkspace('plain', MODEL_NAME, [
    { key: 'input', args: { shape: [1] } },
    { key: 'dense', args: { units: 2, activation: 'softmax' } },
  ]);
  const hostile = compositeWorkspace('evil', MODEL_NAME, [{ name: MADE_BLOCK, settings: ['units'], steps: [{ key: 'dense', args: { units: 8, activation: 'relu' } }] }], [
    { key: 'input', args: { shape: [1] } },
    { use: MADE_BLOCK, settings: { units: 4 }, block: true },
    { name: OUTPUT_NAME },
    { key: 'dense', args: { units: 2, activation: 'softmax' } },
  ]);
  const cells = [
    { id: 'task', type: 'markdown', source: MARKDOWN },
    { id: 'data', type: 'data', source: { kind: 'upload', datasetId: dataset.id, name: DATASET_NAME, inputShape: dataset.inputShape, classes: dataset.classes } },
    { id: 'model', type: 'model', workspace: trained },
    newTrainingCell('train', 'model', { epochs: 2, batchSize: 8, optimizer: 'adam', learningRate: 0.05, loss: 'categoricalCrossentropy', seed: 1 }, { cell: 'data' }),
    { id: 'evil', type: 'model', workspace: hostile },
  ];
  await api(studentPage.request, 'notebook.save', { id: notebookId, version, title: TITLE, cells }, 'POST');

  // The student opens it: every cell draws (blocks, code, preview), and nothing runs.
  await studentPage.goto(`/notebooks/${notebookId}`);
  await expect(studentPage.getByRole('textbox', { name: 'Notebook title' })).toHaveValue(TITLE);
  await expect(studentPage.getByRole('heading', { name: 'Hostile notes' })).toBeVisible();
  await expect(studentPage.getByRole('columnheader', { name: FEATURE_HEADER, exact: true }).first()).toBeVisible();
  await expect(studentPage.locator('.blocklySvg').first()).toBeVisible();
  await studentPage.waitForLoadState('networkidle');
  expect(await studentTraces(studentPage)).toEqual(NOTHING_RAN);

  // They train and hand in.
  const { runId } = await api<{ runId: string }>(studentPage.request, 'run.start', { notebookId, cellId: 'train' }, 'POST');
  expect(await finished(studentPage.request, runId)).toBe('succeeded');
  const submission = await api<{ id: string }>(studentPage.request, 'submission.handIn', { notebookId, runId }, 'POST');

  // The teacher sees the student's name as the text it is on the class page…
  const teacherClasses = new ClassesPage(teacherPage);
  await teacherClasses.open();
  await expect(teacherClasses.members('7B Computing')).toHaveText([new RegExp(`^${escapeRegExp(NAME)}`)]);
  expect(await teacherTraces(teacherPage)).toEqual(NOTHING_RAN);

  // …in the class view, with the network and curves…
  await teacherPage.goto(`/assignments/${assignment.id}/review`);
  const card = teacherPage.getByRole('article', { name: NAME, exact: true });
  await expect(card).toBeVisible();
  await teacherPage.waitForLoadState('networkidle');
  expect(await teacherTraces(teacherPage)).toEqual(NOTHING_RAN);

  // …and opens the hand-in: markdown, title, blocks, made block, data and code, all inert.
  await card.getByRole('link', { name: /Open hand-in/ }).click();
  await teacherPage.waitForURL(new RegExp(`/submissions/${submission.id}$`));
  await expect(teacherPage.getByRole('heading', { name: NAME, level: 1 })).toBeVisible();
  await expect(teacherPage.getByRole('heading', { name: 'Hostile notes' })).toBeVisible();
  await expect(teacherPage.getByRole('article', { name: 'Cell 5, model' }).locator('.blocklySvg')).toBeVisible();
  for (const summary of await teacherPage.getByText('TensorFlow.js code').all()) await summary.click();
  await teacherPage.waitForLoadState('networkidle');
  await teacherPage.screenshot({ path: test.info().outputPath('teacher-opens-hostile-hand-in.png'), fullPage: true });
  expect(await teacherTraces(teacherPage)).toEqual(NOTHING_RAN);

  await studentContext.close();
  await teacherContext.close();
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
