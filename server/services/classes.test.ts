import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classes, users } from '../../db/schema';
import { openTestDatabase, type TestDatabase } from '../../testing/database';
import {
  JOIN_CODE_ALPHABET,
  MAX_CLASSES_PER_TEACHER,
  createClass,
  deleteClass,
  generateJoinCode,
  joinClass,
  leaveClass,
  listMyClasses,
  normalizeJoinCode,
  removeMember,
  renameClass,
} from './classes';
import { createAnonymousSession } from './sessions';
import { giveRole } from '../../testing/roles';

const kinds = [{ kind: 'pglite' as const }, { kind: 'postgres' as const }];

describe('join codes', () => {
  it('are two halves of three characters that cannot be misread as each other', () => {
    const codes = Array.from({ length: 500 }, generateJoinCode);
    for (const code of codes) {
      expect(code).toMatch(/^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$/);
    }
    expect(JOIN_CODE_ALPHABET).not.toMatch(/[01OI]/);
    // Random, not a counter: 500 codes from a billion repeat almost never.
    expect(new Set(codes).size).toBeGreaterThan(495);
  });

  it('read the same however a student types them', () => {
    for (const typed of ['k7q-m4p', 'K7QM4P', ' k7q m4p ', 'K7Q – M4P', 'k-7-q-m-4-p']) {
      expect(normalizeJoinCode(typed)).toBe('K7Q-M4P');
    }
  });
});

describe.each(kinds)('class service on $kind', ({ kind }) => {
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
  const roleOf = async (userId: string) => (await database.db.select({ role: users.role }).from(users).where(eq(users.id, userId)))[0]!.role;

  it('refuses a class to a student, saying how to become a teacher, and writes nothing', async () => {
    const student = await newUser();
    await expect(createClass(database.db, student.id, { name: '7B', teacherName: 'Ms Rivera' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Only teachers can make a class\. If you are a teacher, sign in with your teacher account/),
    });
    expect(await roleOf(student.id)).toBe('student');
    expect(await database.db.select().from(classes).where(eq(classes.teacherId, student.id))).toEqual([]);
    const [row] = await database.db.select({ displayName: users.displayName }).from(users).where(eq(users.id, student.id));
    expect(row!.displayName).toBe('Student');
  });

  it('lets teachers and admins make classes, and students join by the code in any spelling under the name they give', async () => {
    const admin = await newUser();
    await giveRole(database.db, admin.id, 'admin');
    expect((await createClass(database.db, admin.id, { name: 'Staff club' })).name).toBe('Staff club');
    expect(await roleOf(admin.id)).toBe('admin');

    const teacher = await newTeacher();
    const created = await createClass(database.db, teacher.id, { name: '  7B Computing ', teacherName: ' Ms  Rivera ' });
    expect(created.name).toBe('7B Computing');
    expect(created.joinCode).toMatch(/^[2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3}$/);
    expect(await roleOf(teacher.id)).toBe('teacher');

    const sam = await newUser();
    const typed = created.joinCode.toLowerCase().replace('-', ' ');
    await expect(joinClass(database.db, sam.id, { code: typed, displayName: '  Sam K. ' })).resolves.toEqual({
      id: created.id,
      name: '7B Computing',
      teacherName: 'Ms Rivera',
    });
    const ana = await newUser();
    await joinClass(database.db, ana.id, { code: created.joinCode, displayName: 'Ana' });

    const teacherView = await listMyClasses(database.db, teacher.id);
    expect(teacherView.displayName).toBe('Ms Rivera');
    expect(teacherView.memberOf).toEqual([]);
    expect(teacherView.teaching).toHaveLength(1);
    expect(teacherView.teaching[0]).toMatchObject({ id: created.id, name: '7B Computing', joinCode: created.joinCode, memberCount: 2, sharedDatasets: [] });
    expect(teacherView.teaching[0]!.members.map((m) => [m.userId, m.displayName])).toEqual([
      [ana.id, 'Ana'],
      [sam.id, 'Sam K.'],
    ]);

    const samView = await listMyClasses(database.db, sam.id);
    expect(samView.displayName).toBe('Sam K.');
    expect(samView.teaching).toEqual([]);
    expect(samView.memberOf).toEqual([{ id: created.id, name: '7B Computing', teacherName: 'Ms Rivera', joinedAt: expect.any(String) }]);
    // Joining does not make anyone a teacher.
    expect(await roleOf(sam.id)).toBe('student');
  });

  it('lets a student join twice without harm, updating only their name', async () => {
    const teacher = await newTeacher();
    const { id, joinCode } = await createClass(database.db, teacher.id, { name: 'Robotics club' });
    const student = await newUser();
    await joinClass(database.db, student.id, { code: joinCode, displayName: 'Jo' });
    await joinClass(database.db, student.id, { code: joinCode, displayName: 'Jo B' });
    const [taught] = (await listMyClasses(database.db, teacher.id)).teaching;
    expect(taught!.id).toBe(id);
    expect(taught!.members.map((m) => m.displayName)).toEqual(['Jo B']);
    expect((await listMyClasses(database.db, student.id)).memberOf).toHaveLength(1);
  });

  it('says what is wrong with an unknown code, a bad name, or a teacher joining their own class', async () => {
    const teacher = await newTeacher();
    const { joinCode } = await createClass(database.db, teacher.id, { name: '8C' });
    const student = await newUser();
    await expect(joinClass(database.db, student.id, { code: 'abc-12z', displayName: 'Sam' })).rejects.toThrow(
      'No class has the code ABC-12Z. Check the code on the board and type it again, or ask your teacher. Class codes never use “1”: look again at that character.',
    );
    await expect(joinClass(database.db, student.id, { code: 'o0a-1bc', displayName: 'Sam' })).rejects.toThrow(
      'No class has the code O0A-1BC. Check the code on the board and type it again, or ask your teacher. Class codes never use “O”, “0” or “1”: look again at those characters.',
    );
    await expect(joinClass(database.db, student.id, { code: 'ABCD', displayName: 'Sam' })).rejects.toThrow('Class codes have 6 letters and digits, like K7Q-M4P.');
    await expect(joinClass(database.db, student.id, { code: ' - ', displayName: 'Sam' })).rejects.toThrow('Type the class code your teacher gave you.');
    await expect(joinClass(database.db, student.id, { code: joinCode, displayName: '   ' })).rejects.toThrow('Type your name, so your teacher knows who joined.');
    await expect(joinClass(database.db, student.id, { code: joinCode, displayName: 'x'.repeat(41) })).rejects.toThrow(
      'A name can be at most 40 characters long; this one has 41.',
    );
    await expect(joinClass(database.db, teacher.id, { code: joinCode, displayName: 'Me' })).rejects.toThrow(
      'You are the teacher of 8C, so you are in it already. Give this code to your students so they can join.',
    );
    // Nothing was joined or renamed by the refused attempts.
    expect((await listMyClasses(database.db, student.id)).memberOf).toEqual([]);
    expect((await listMyClasses(database.db, student.id)).displayName).toBeNull();

    await expect(createClass(database.db, teacher.id, { name: ' ' })).rejects.toThrow('Give the class a name, such as “7B Computing”.');
    await expect(createClass(database.db, teacher.id, { name: 'n'.repeat(61) })).rejects.toThrow('A class name can be at most 60 characters long; this one has 61.');
  });

  it('tries another code when the random one is taken', async () => {
    const first = await createClass(database.db, (await newTeacher()).id, { name: 'Taken' });
    const offered = [first.joinCode, first.joinCode, 'ZZZ-ZZ9'];
    const second = await createClass(database.db, (await newTeacher()).id, { name: 'Second' }, { generateCode: () => offered.shift()! });
    expect(second.joinCode).toBe('ZZZ-ZZ9');
    expect(offered).toEqual([]);
  });

  it(`stops a teacher at ${MAX_CLASSES_PER_TEACHER} classes`, async () => {
    const teacher = await newTeacher();
    await database.db
      .insert(classes)
      .values(Array.from({ length: MAX_CLASSES_PER_TEACHER }, (_, i) => ({ teacherId: teacher.id, name: `C${i}`, joinCode: `LIM-${teacher.id.slice(0, 8)}-${i}` })));
    await expect(createClass(database.db, teacher.id, { name: 'One more' })).rejects.toThrow(`You already teach ${MAX_CLASSES_PER_TEACHER} classes.`);
  });

  it('lets a student leave and the teacher remove a student', async () => {
    const teacher = await newTeacher();
    const { id, joinCode } = await createClass(database.db, teacher.id, { name: 'Year 9' });
    const [leaver, removed, stays] = [await newUser(), await newUser(), await newUser()];
    for (const [user, name] of [
      [leaver, 'Lee'],
      [removed, 'Rae'],
      [stays, 'Sol'],
    ] as const) {
      await joinClass(database.db, user.id, { code: joinCode, displayName: name });
    }

    await leaveClass(database.db, leaver.id, id);
    expect((await listMyClasses(database.db, leaver.id)).memberOf).toEqual([]);
    await expect(leaveClass(database.db, leaver.id, id)).rejects.toThrow('This class does not exist, or you are not in it.');
    await expect(leaveClass(database.db, teacher.id, id)).rejects.toThrow('You teach Year 9, so you cannot leave it.');

    await removeMember(database.db, teacher.id, { classId: id, userId: removed.id });
    await expect(removeMember(database.db, teacher.id, { classId: id, userId: removed.id })).rejects.toThrow('This student is not in the class any more.');
    expect((await listMyClasses(database.db, removed.id)).memberOf).toEqual([]);
    expect((await listMyClasses(database.db, teacher.id)).teaching[0]!.members.map((m) => m.displayName)).toEqual(['Sol']);
  });

  it('answers anyone but the teacher as if the class did not exist', async () => {
    const teacher = await newTeacher();
    const { id, joinCode } = await createClass(database.db, teacher.id, { name: 'Physics' });
    const member = await newUser();
    await joinClass(database.db, member.id, { code: joinCode, displayName: 'Mo' });
    const stranger = await newUser();
    const notTeacher = 'This class does not exist, or you are not its teacher.';

    for (const user of [member, stranger]) {
      await expect(renameClass(database.db, user.id, { classId: id, name: 'Hacked' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(notTeacher) });
      await expect(deleteClass(database.db, user.id, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(removeMember(database.db, user.id, { classId: id, userId: member.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    await expect(leaveClass(database.db, stranger.id, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The same answer for a class that never existed.
    await expect(deleteClass(database.db, stranger.id, '00000000-0000-4000-8000-000000000000')).rejects.toThrow(notTeacher);
    expect((await listMyClasses(database.db, teacher.id)).teaching.map((c) => [c.name, c.memberCount])).toEqual([['Physics', 1]]);
  });

  it('renames and deletes a class for its teacher; deleting takes the members out', async () => {
    const teacher = await newTeacher();
    const { id, joinCode } = await createClass(database.db, teacher.id, { name: 'Old name' });
    const student = await newUser();
    await joinClass(database.db, student.id, { code: joinCode, displayName: 'Kim' });

    await expect(renameClass(database.db, teacher.id, { classId: id, name: '  New name ' })).resolves.toEqual({ id, name: 'New name' });
    expect((await listMyClasses(database.db, student.id)).memberOf.map((c) => c.name)).toEqual(['New name']);
    await expect(renameClass(database.db, teacher.id, { classId: id, name: '' })).rejects.toThrow('Give the class a name');

    await deleteClass(database.db, teacher.id, id);
    expect((await listMyClasses(database.db, teacher.id)).teaching).toEqual([]);
    expect((await listMyClasses(database.db, student.id)).memberOf).toEqual([]);
    await expect(joinClass(database.db, student.id, { code: joinCode, displayName: 'Kim' })).rejects.toThrow(`No class has the code ${joinCode}.`);
  });
});
