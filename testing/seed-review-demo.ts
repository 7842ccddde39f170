/**
 * Fills an embedded database with a class at work, for looking at the class view (screenshots,
 * demos): `node --import tsx testing/seed-review-demo.ts <data dir>` prints the assignment id and
 * the session tokens of the teacher and of the student Ana as JSON. Run it before the server
 * starts: PGlite is single-process.
 */
import { compileCell } from '../blocks/compile';
import { lenet5Workspace, mnistCnnWorkspace, residualBlockWorkspace } from '../blocks/templates';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { makeClassWork } from './class-work';

const dir = process.argv[2];
if (!dir) throw new Error('Give the data folder: node --import tsx testing/seed-review-demo.ts <dir>');
const database = openDatabase({ dataDir: dir });
await migrateDatabase(database);
const db = database.db;
const work = await makeClassWork(db, new Date(Date.now() + 3600_000 * 24));

const model = (workspace: Record<string, unknown>) => {
  const result = compileCell(workspace);
  return { spec: result.spec, totalParams: result.totalParams };
};
const curve = (n: number, f: (t: number) => [number, number, number, number]) => Array.from({ length: n }, (_, i) => f(i / Math.max(1, n - 1)));

const farah = await work.join('Farah');
const farahCopy = await work.copyOf(farah);
await work.run(farah, farahCopy.id, 'running', curve(6, (t) => [0.9 - 0.7 * t, 0.72 + 0.25 * t, 0.7 - 0.6 * t, 0.78 + 0.2 * t]), null, model(residualBlockWorkspace() as Record<string, unknown>), 10);

const eli = await work.join('Eli');
const eliCopy = await work.copyOf(eli);
await work.run(eli, eliCopy.id, 'succeeded', curve(8, () => [2.302, 0.11, 2.302, 0.1]), 0.1, model(mnistCnnWorkspace() as Record<string, unknown>), 8);

const gus = await work.join('Gus');
const gusCopy = await work.copyOf(gus);
const lenet = model(lenet5Workspace() as Record<string, unknown>);
const gusRun = await work.run(gus, gusCopy.id, 'succeeded', curve(8, (t) => [1.1 - 1.0 * t, 0.66 + 0.33 * t, 0.8 - 0.72 * t, 0.74 + 0.24 * t]), 0.978, lenet, 8);
await work.handIn(gus, gusCopy.id, gusRun.id, 1, 0, 0.978, true, lenet);

console.log(JSON.stringify({ assignmentId: work.assignment.id, teacherToken: work.tokens.get(work.teacher.id), anaToken: work.tokens.get(work.ana.id), anaCopyId: work.anaCopy.id, anaSubmissionId: work.anaSubmission.id }));
await database.close();
