import { randomUUID } from 'node:crypto';
import { newMarkdownCell, newModelCell, type Cell } from '../blocks/format/notebook';
import { modelWorkspace } from '../blocks/templates';
import { newTrainingCell } from '../blocks/templates/training-cell';
import type { Goal } from '../blocks/format/goals';
import type { Database } from '../db/client';
import { createAssignment } from '../server/services/assignments';
import { createClass, joinClass } from '../server/services/classes';
import { createNotebook, getNotebook, saveNotebook } from '../server/services/notebooks';
import { giveRole } from './roles';
import { createAnonymousSession } from '../server/services/sessions';

/**
 * A small assignment for service tests: instructions, a tiny network on the "two clusters"
 * points (trains in a second), its training cell, and a closing note.
 */
export function tinyAssignmentCells(epochs = 3): Cell[] {
  const model = randomUUID();
  return [
    newMarkdownCell(randomUUID(), '# Two clusters\n\nTrain a network that tells the two clusters apart.'),
    newModelCell(
      model,
      modelWorkspace(`m${model.slice(0, 6)}`, 'Points', [
        { key: 'input', args: { shape: [2] } },
        { key: 'dense', args: { units: 8, activation: 'relu' } },
        { key: 'dense', args: { units: 2, activation: 'softmax' } },
      ]) as unknown as Record<string, unknown>,
    ),
    newTrainingCell(randomUUID(), model, { epochs, batchSize: 32, learningRate: 0.05 }, 'gaussian'),
    newMarkdownCell(randomUUID(), 'When your accuracy is good, hand in your best run.'),
  ];
}

export interface ClassroomFixture {
  teacherId: string;
  studentId: string;
  classId: string;
  assignmentId: string;
  templateNotebookId: string;
  template: Cell[];
  joinCode: string;
}

/** A teacher with a class, a student in it, and an assignment made from a notebook of tiny cells. */
export async function classroomWithAssignment(
  db: Database,
  options: { goals?: Goal[]; lockedIndexes?: number[]; dueAt?: Date; now?: Date; epochs?: number } = {},
): Promise<ClassroomFixture> {
  const teacher = (await createAnonymousSession(db)).user;
  const student = (await createAnonymousSession(db)).user;
  // Only teachers make classes: what an admin's "make a teacher" does.
  await giveRole(db, teacher.id, 'teacher');
  const klass = await createClass(db, teacher.id, { name: '9C Computing', teacherName: 'Ms Rivera' });
  await joinClass(db, student.id, { code: klass.joinCode, displayName: 'Sam' });
  const { id: notebookId } = await createNotebook(db, teacher.id, { title: 'Two clusters' });
  const loaded = await getNotebook(db, teacher.id, notebookId);
  const template = tinyAssignmentCells(options.epochs);
  await saveNotebook(db, teacher.id, { id: notebookId, version: loaded.version, title: 'Two clusters', cells: template });
  const now = options.now ?? new Date();
  const dueAt = options.dueAt ?? new Date(now.getTime() + 7 * 86_400_000);
  const { id: assignmentId } = await createAssignment(
    db,
    teacher.id,
    {
      notebookId,
      classId: klass.id,
      title: 'Tell the clusters apart',
      dueAt: dueAt.toISOString(),
      lockedCellIds: (options.lockedIndexes ?? [0]).map((i) => template[i]!.id),
      goals: options.goals ?? [],
    },
    now,
  );
  return { teacherId: teacher.id, studentId: student.id, classId: klass.id, assignmentId, templateNotebookId: notebookId, template, joinCode: klass.joinCode };
}
