import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import { giveRole } from '../../testing/roles';
import type { CsvImportOptions } from '../data/csv-import';
import { createClass, deleteClass, joinClass, leaveClass, listMyClasses, removeMember } from './classes';
import { setDatasetVisibility, shareDataset, unshareDataset } from './dataset-access';
import { createCsvDataset, DATASET_UNREADABLE_MESSAGE, deleteDataset, getDataset, listDatasets, storedDatasetRef } from './datasets';
import { loadUserDataset } from '../../testing/stored-dataset';
import { createAnonymousSession } from './sessions';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];
const csv = new TextEncoder().encode('x,y,side\n' + Array.from({ length: 20 }, (_, i) => `${i},${20 - i},${i < 10 ? 'left' : 'right'}`).join('\n'));
const options = (name: string): CsvImportOptions => ({
  name,
  label: 'side',
  features: [
    { column: 'x', as: 'number' },
    { column: 'y', as: 'number' },
  ],
  normalization: 'none',
  split: { train: 60, validation: 20, test: 20 },
  seed: 1,
});

describe.each(kinds)('who may use a dataset ($kind)', ({ kind }) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.destroy();
  });

  const newUser = async () => (await createAnonymousSession(database.db)).user;
  const newTeacher = async () => {
    const user = await newUser();
    await giveRole(database.db, user.id, 'teacher');
    return user;
  };

  /** A teacher with a class, one student in it, and a private dataset of the teacher's. */
  async function classroom() {
    const teacher = await newTeacher();
    const klass = await createClass(database.db, teacher.id, { name: '7B', teacherName: 'Ms Rivera' });
    const student = await newUser();
    await joinClass(database.db, student.id, { code: klass.joinCode, displayName: 'Sam' });
    const dataset = await createCsvDataset(database.db, teacher.id, csv, options('Sides'));
    return { teacher, klass, student, dataset };
  }

  /** Every way a reader touches a dataset: the list, the preview, and what training loads. */
  async function canRead(userId: string, datasetId: string): Promise<boolean> {
    const listed = (await listDatasets(database.db, userId)).some((d) => d.id === datasetId);
    const outcomes = await Promise.allSettled([getDataset(database.db, userId, datasetId), storedDatasetRef(database.db, userId, datasetId), loadUserDataset(database.db, userId, datasetId)]);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'NOT_FOUND', message: DATASET_UNREADABLE_MESSAGE });
    }
    const readable = outcomes.map((o) => o.status === 'fulfilled');
    // The list, the preview and training must always agree.
    expect(new Set([listed, ...readable]).size).toBe(1);
    return listed;
  }

  it('keeps a private dataset to its owner until it is shared with a class', async () => {
    const { teacher, student, dataset } = await classroom();
    const stranger = await newUser();
    expect(await canRead(teacher.id, dataset.id)).toBe(true);
    expect(await canRead(student.id, dataset.id)).toBe(false);
    expect(await canRead(stranger.id, dataset.id)).toBe(false);
    expect((await listDatasets(database.db, teacher.id)).find((d) => d.id === dataset.id)!.origin).toEqual({ kind: 'yours', visibility: 'private', sharedWith: [] });
  });

  it('lets the members of a class preview and train on a dataset shared with it, saying who shared it', async () => {
    const { teacher, klass, student, dataset } = await classroom();
    const stranger = await newUser();
    const sharing = await shareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: klass.id });
    expect(sharing).toEqual({ visibility: 'private', sharedWith: [{ classId: klass.id, className: '7B' }] });
    // Sharing twice is harmless.
    await shareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: klass.id });

    expect(await canRead(student.id, dataset.id)).toBe(true);
    expect(await canRead(stranger.id, dataset.id)).toBe(false);
    const listed = (await listDatasets(database.db, student.id)).find((d) => d.id === dataset.id)!;
    expect(listed).toMatchObject({ name: 'Sides', classes: ['left', 'right'], origin: { kind: 'shared', teacherName: 'Ms Rivera', classNames: ['7B'] } });
    const details = await getDataset(database.db, student.id, dataset.id);
    expect(details.origin).toEqual(listed.origin);
    expect(details.preview).toMatchObject({ rowCount: 20 });
    // What a training job for the student carries.
    const job = await storedDatasetRef(database.db, student.id, dataset.id);
    expect(job).toMatchObject({ kind: 'stored', datasetId: dataset.id, inputShape: [2], sizes: { train: 12, validation: 4, test: 4 } });

    expect((await listDatasets(database.db, teacher.id)).find((d) => d.id === dataset.id)!.origin).toEqual({
      kind: 'yours',
      visibility: 'private',
      sharedWith: [{ classId: klass.id, className: '7B' }],
    });
    expect((await listMyClasses(database.db, teacher.id)).teaching[0]!.sharedDatasets).toEqual([{ id: dataset.id, name: 'Sides' }]);
  });

  it('takes access away after unsharing, leaving, removal, or deleting the class', async () => {
    const { teacher, klass, student, dataset } = await classroom();
    const share = () => shareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: klass.id });

    await share();
    await expect(unshareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: klass.id })).resolves.toEqual({ visibility: 'private', sharedWith: [] });
    expect(await canRead(student.id, dataset.id)).toBe(false);

    await share();
    await leaveClass(database.db, student.id, klass.id);
    expect(await canRead(student.id, dataset.id)).toBe(false);

    await joinClass(database.db, student.id, { code: klass.joinCode, displayName: 'Sam' });
    expect(await canRead(student.id, dataset.id)).toBe(true);
    await removeMember(database.db, teacher.id, { classId: klass.id, userId: student.id });
    expect(await canRead(student.id, dataset.id)).toBe(false);

    await joinClass(database.db, student.id, { code: klass.joinCode, displayName: 'Sam' });
    await deleteClass(database.db, teacher.id, klass.id);
    expect(await canRead(student.id, dataset.id)).toBe(false);
    // The dataset itself stays with its owner.
    expect(await canRead(teacher.id, dataset.id)).toBe(true);
  });

  it('leaves sharing and deleting to the owner who teaches the class', async () => {
    const { teacher, klass, student, dataset } = await classroom();
    const stranger = await newUser();
    const notYours = 'This dataset does not exist, or someone else uploaded it. Only the person who uploaded a dataset can share it';

    // A student's own dataset cannot go to a class they are only a member of.
    const studentData = await createCsvDataset(database.db, student.id, csv, options('Mine'));
    await expect(shareDataset(database.db, student.id, { datasetId: studentData.id, classId: klass.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('This class does not exist, or you are not its teacher.'),
    });
    // Nobody shares someone else's dataset, even with their own class.
    await giveRole(database.db, stranger.id, 'teacher');
    const otherClass = await createClass(database.db, stranger.id, { name: 'Elsewhere' });
    await expect(shareDataset(database.db, stranger.id, { datasetId: dataset.id, classId: otherClass.id })).rejects.toThrow(notYours);
    await expect(shareDataset(database.db, student.id, { datasetId: dataset.id, classId: klass.id })).rejects.toThrow(notYours);
    expect(await canRead(stranger.id, dataset.id)).toBe(false);
    expect(await canRead(student.id, dataset.id)).toBe(false);

    await shareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: klass.id });
    await expect(unshareDataset(database.db, student.id, { datasetId: dataset.id, classId: klass.id })).rejects.toThrow(notYours);
    await expect(setDatasetVisibility(database.db, student.id, { datasetId: dataset.id, visibility: 'school' })).rejects.toThrow(notYours);
    await expect(deleteDataset(database.db, student.id, dataset.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await canRead(student.id, dataset.id)).toBe(true);
  });

  it('lets a teacher give a dataset to the whole school, and not a student', async () => {
    const { teacher, dataset } = await classroom();
    const student = await newUser();
    const studentData = await createCsvDataset(database.db, student.id, csv, options('Homework'));
    await expect(setDatasetVisibility(database.db, student.id, { datasetId: studentData.id, visibility: 'school' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only teachers can give a dataset to the whole school. Share it with your class instead, or ask your teacher to add it.',
    });
    expect(await canRead(teacher.id, studentData.id)).toBe(false);

    const anyone = await newUser();
    expect(await setDatasetVisibility(database.db, teacher.id, { datasetId: dataset.id, visibility: 'school' })).toEqual({ visibility: 'school', sharedWith: [] });
    expect(await canRead(anyone.id, dataset.id)).toBe(true);
    expect(await canRead(student.id, dataset.id)).toBe(true);
    expect((await listDatasets(database.db, anyone.id)).find((d) => d.id === dataset.id)!.origin).toEqual({ kind: 'school', ownerName: 'Ms Rivera' });
    // Still only the owner may delete it.
    await expect(deleteDataset(database.db, anyone.id, dataset.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await setDatasetVisibility(database.db, teacher.id, { datasetId: dataset.id, visibility: 'private' });
    expect(await canRead(anyone.id, dataset.id)).toBe(false);
  });

  it('lists every readable dataset once, newest first', async () => {
    const { teacher, klass, student, dataset } = await classroom();
    const second = await createClass(database.db, teacher.id, { name: '7A' });
    await joinClass(database.db, student.id, { code: second.joinCode, displayName: 'Sam' });
    await shareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: klass.id });
    await shareDataset(database.db, teacher.id, { datasetId: dataset.id, classId: second.id });
    await setDatasetVisibility(database.db, teacher.id, { datasetId: dataset.id, visibility: 'school' });
    const own = await createCsvDataset(database.db, student.id, csv, options('Own'));

    const listed = await listDatasets(database.db, student.id);
    const ids = listed.map((d) => d.id);
    expect(ids.filter((id) => id === dataset.id)).toHaveLength(1);
    expect(ids.indexOf(own.id)).toBeLessThan(ids.indexOf(dataset.id));
    // Shared with the student's classes beats "school": it says whom to ask.
    expect(listed.find((d) => d.id === dataset.id)!.origin).toEqual({ kind: 'shared', teacherName: 'Ms Rivera', classNames: ['7A', '7B'] });
    expect(listed.find((d) => d.id === own.id)!.origin).toMatchObject({ kind: 'yours' });
  });
});
