import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import { assignments, classes, classMembers, datasets, datasetShares, users, type DatasetVisibility } from '../../db/schema';
import { listInWords } from '../../blocks/format/words';
import { hiddenTestSetOf } from './assignments';
import { assertTeachesClass } from './classes';
import { ServiceError } from './errors';
import { canTeach, roleOf } from './roles';

/**
 * Who may read (preview, train on) an uploaded dataset, and where a reader got it from.
 * Changing a dataset — deleting, sharing, making it a school dataset — stays with its owner.
 */

/** How a dataset reached the reader, for the picker and the preview ("shared by Ms Rivera with 7B"). */
export type DatasetOrigin =
  | { kind: 'yours'; visibility: DatasetVisibility; sharedWith: { classId: string; className: string }[] }
  | { kind: 'shared'; teacherName: string; classNames: string[] }
  | { kind: 'school'; ownerName: string };

const queryBuilder = new QueryBuilder();

/** The classes a user has joined or teaches, as a subquery of class ids. */
function classesOf(userId: string) {
  const joined = queryBuilder.select({ classId: classMembers.classId }).from(classMembers).where(eq(classMembers.userId, userId));
  const taught = queryBuilder.select({ classId: classes.id }).from(classes).where(eq(classes.teacherId, userId));
  return { joined, taught };
}

/**
 * The one rule for reading a dataset, as a condition on `datasets`: the owner, anyone for a
 * school dataset, and the members and teacher of a class it is shared with.
 */
export function readableDatasetWhere(userId: string): SQL {
  const { joined, taught } = classesOf(userId);
  const sharedWithMe = queryBuilder
    .select({ datasetId: datasetShares.datasetId })
    .from(datasetShares)
    .where(or(inArray(datasetShares.classId, joined), inArray(datasetShares.classId, taught)));
  return or(eq(datasets.ownerId, userId), eq(datasets.visibility, 'school'), inArray(datasets.id, sharedWithMe))!;
}

/** Only the owner changes a dataset; others get the same answer as for a dataset that does not exist. */
export function ownedDatasetWhere(userId: string, datasetId: string): SQL {
  return and(eq(datasets.id, datasetId), eq(datasets.ownerId, userId))!;
}

const notYourDataset = () =>
  new ServiceError(
    'NOT_FOUND',
    'This dataset does not exist, or someone else uploaded it. Only the person who uploaded a dataset can share it or change who may use it.',
  );

/** Where each readable dataset came from, as seen by `userId`. Rows the user cannot read must not be passed in. */
export async function datasetOrigins(
  db: Database,
  userId: string,
  rows: readonly { id: string; ownerId: string; visibility: DatasetVisibility }[],
): Promise<Map<string, DatasetOrigin>> {
  const origins = new Map<string, DatasetOrigin>();
  const owned = rows.filter((r) => r.ownerId === userId);
  const others = rows.filter((r) => r.ownerId !== userId);

  const ownShares = owned.length
    ? await db
        .select({ datasetId: datasetShares.datasetId, classId: classes.id, className: classes.name })
        .from(datasetShares)
        .innerJoin(classes, eq(classes.id, datasetShares.classId))
        .where(inArray(datasetShares.datasetId, owned.map((r) => r.id)))
        .orderBy(asc(classes.name))
    : [];
  for (const row of owned) {
    const sharedWith = ownShares.filter((s) => s.datasetId === row.id).map(({ classId, className }) => ({ classId, className }));
    origins.set(row.id, { kind: 'yours', visibility: row.visibility, sharedWith });
  }
  if (others.length === 0) return origins;

  const { joined, taught } = classesOf(userId);
  const sharesWithMe = await db
    .select({ datasetId: datasetShares.datasetId, className: classes.name, teacherName: users.displayName })
    .from(datasetShares)
    .innerJoin(classes, eq(classes.id, datasetShares.classId))
    .innerJoin(users, eq(users.id, classes.teacherId))
    .where(and(inArray(datasetShares.datasetId, others.map((r) => r.id)), or(inArray(classes.id, joined), inArray(classes.id, taught))))
    .orderBy(asc(classes.name));
  const owners = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, [...new Set(others.map((r) => r.ownerId))]));

  for (const row of others) {
    const shares = sharesWithMe.filter((s) => s.datasetId === row.id);
    // A class share says more than "school" (who to ask about it), so it wins when both apply.
    if (shares.length > 0) {
      origins.set(row.id, { kind: 'shared', teacherName: shares[0]!.teacherName, classNames: shares.map((s) => s.className) });
    } else {
      origins.set(row.id, { kind: 'school', ownerName: owners.find((o) => o.id === row.ownerId)?.displayName ?? '' });
    }
  }
  return origins;
}

export interface DatasetSharing {
  visibility: DatasetVisibility;
  sharedWith: { classId: string; className: string }[];
}

async function sharingOf(db: Database, datasetId: string): Promise<DatasetSharing> {
  const [row] = await db.select({ visibility: datasets.visibility }).from(datasets).where(eq(datasets.id, datasetId)).limit(1);
  const sharedWith = await db
    .select({ classId: classes.id, className: classes.name })
    .from(datasetShares)
    .innerJoin(classes, eq(classes.id, datasetShares.classId))
    .where(eq(datasetShares.datasetId, datasetId))
    .orderBy(asc(classes.name));
  return { visibility: row!.visibility, sharedWith };
}

async function assertOwnsDataset(db: Database, userId: string, datasetId: string): Promise<void> {
  const [row] = await db.select({ id: datasets.id }).from(datasets).where(ownedDatasetWhere(userId, datasetId)).limit(1);
  if (!row) throw notYourDataset();
}

/**
 * The assignments whose hand-ins are graded on a dataset, oldest first: every example of it
 * when it is their hidden test set, its test split when it is the notebook's own data.
 */
async function assignmentsGradedOn(db: Database, datasetId: string) {
  const rows = await db
    .select({ title: assignments.title, className: classes.name, cells: assignments.cells, formatVersion: assignments.formatVersion, testDataset: assignments.testDataset, name: datasets.name })
    .from(assignments)
    .innerJoin(classes, eq(classes.id, assignments.classId))
    .innerJoin(datasets, eq(datasets.id, datasetId))
    .where(sql`${assignments.testDataset}->>'datasetId' = ${datasetId}`)
    .orderBy(asc(assignments.createdAt));
  return rows.map((row) => ({ title: row.title, className: row.className, datasetName: row.name, hidden: hiddenTestSetOf(row) === datasetId }));
}

/**
 * An assignment's hidden test set is never shared: its students would open the very examples
 * that grade them. Picking a shared one is refused the same way (chooseTestDataset).
 */
async function assertNotHiddenTestSet(db: Database, datasetId: string): Promise<void> {
  const hidden = (await assignmentsGradedOn(db, datasetId)).find((a) => a.hidden);
  if (hidden) {
    throw new ServiceError(
      'CONFLICT',
      `“${hidden.datasetName}” is the hidden test set of the assignment “${hidden.title}” (${hidden.className}), so students must never see it. Pick another test set for that assignment first, or upload a separate copy to share.`,
    );
  }
}

/**
 * A dataset that grades an assignment stays while it does: deleted, every hand-in's grading
 * would fail with "the test data was deleted". The owner is told which assignments and how to
 * free it. Asked only once the caller is known to own the dataset, so no one else learns of them.
 */
export async function assertGradesNoAssignment(db: Database, datasetId: string): Promise<void> {
  const grading = await assignmentsGradedOn(db, datasetId);
  if (grading.length === 0) return;
  const one = grading.length === 1;
  const named = listInWords(grading.map((a) => `“${a.title}” (${a.className})`));
  throw new ServiceError(
    'CONFLICT',
    `“${grading[0]!.datasetName}” is the test data of the ${one ? 'assignment' : 'assignments'} ${named}: hand-ins are graded on it, so it cannot be deleted. ` +
      `First pick another test set for ${one ? 'that assignment' : 'each of them'} (Classes, “Change test set” on the assignment) or delete ${one ? 'the assignment' : 'them'}, then delete the dataset.`,
  );
}

/** Lets the members of one of the caller's classes preview and train on one of the caller's datasets. */
export async function shareDataset(db: Database, userId: string, input: { datasetId: string; classId: string }): Promise<DatasetSharing> {
  await assertOwnsDataset(db, userId, input.datasetId);
  await assertTeachesClass(db, userId, input.classId);
  await assertNotHiddenTestSet(db, input.datasetId);
  await db.insert(datasetShares).values({ datasetId: input.datasetId, classId: input.classId }).onConflictDoNothing();
  return sharingOf(db, input.datasetId);
}

/** Members lose access at once; notebooks that used it keep their cells and say the data is gone. */
export async function unshareDataset(db: Database, userId: string, input: { datasetId: string; classId: string }): Promise<DatasetSharing> {
  await assertOwnsDataset(db, userId, input.datasetId);
  await db.delete(datasetShares).where(and(eq(datasetShares.datasetId, input.datasetId), eq(datasetShares.classId, input.classId)));
  return sharingOf(db, input.datasetId);
}

/** Checked also before a school-wide import is read, so a refused teacher-only upload costs no work (see createIdxDataset). */
export async function assertMayShareWithSchool(db: Database, userId: string): Promise<void> {
  if (!canTeach(await roleOf(db, userId))) {
    throw new ServiceError('FORBIDDEN', 'Only teachers can give a dataset to the whole school. Share it with your class instead, or ask your teacher to add it.');
  }
}

/**
 * 'school' puts a dataset in every user's list, so only teachers (and admins) may choose it.
 */
export async function setDatasetVisibility(
  db: Database,
  userId: string,
  input: { datasetId: string; visibility: DatasetVisibility },
): Promise<DatasetSharing> {
  await assertOwnsDataset(db, userId, input.datasetId);
  if (input.visibility === 'school') {
    await assertMayShareWithSchool(db, userId);
    await assertNotHiddenTestSet(db, input.datasetId);
  }
  await db.update(datasets).set({ visibility: input.visibility }).where(ownedDatasetWhere(userId, input.datasetId));
  return sharingOf(db, input.datasetId);
}
