import { describe, expect, it } from 'vitest';
import { describeGoal, goalsSchema } from './format/goals';
import { newMarkdownCell, newModelCell, type Cell } from './format/notebook';
import { lockedCellIssues, lockedCellSaveProblem, putBackLockedCells, putBackWords, sameCell } from './locked-cells';

const intro = newMarkdownCell('intro', '# Task\n\nBuild a **small** network.');
const model = newModelCell('model', { blocks: { languageVersion: 0, blocks: [{ type: 'model', id: 'm', x: 10, y: 20 }] } });
const template: Cell[] = [intro, model];

describe('locked cells', () => {
  it('compare by content, whatever order the keys were written in', () => {
    const reordered = { workspace: { blocks: { blocks: [{ y: 20, x: 10, id: 'm', type: 'model' }], languageVersion: 0 } }, type: 'model', id: 'model' } as Cell;
    expect(sameCell(reordered, model)).toBe(true);
    expect(sameCell({ ...model, workspace: {} }, model)).toBe(false);
  });

  it('are found by id wherever they moved, and flagged when changed or missing', () => {
    expect(lockedCellIssues(template, ['intro', 'model'], [model, newMarkdownCell('mine', 'notes'), intro])).toEqual([]);
    expect(lockedCellIssues(template, ['intro', 'model'], [{ ...intro, source: 'x' }])).toEqual([
      { cellId: 'intro', problem: 'changed' },
      { cellId: 'model', problem: 'missing' },
    ]);
    // An id the template does not have is nothing to check.
    expect(lockedCellIssues(template, ['gone'], [])).toEqual([]);
  });

  it('refuse a save that changes or deletes one, naming it the way the student sees it', () => {
    expect(lockedCellSaveProblem(template, ['intro'], template, [{ ...intro, source: 'Mine' }, model])).toBe(
      'Your teacher locked cell 1 (a text cell starting “Task Build a small network.”), so it cannot be changed. Reload the notebook to get it back as it was, and make your changes in the other cells.',
    );
    expect(lockedCellSaveProblem(template, ['model'], template, [intro])).toBe('Your teacher locked cell 2 (a model cell), so it cannot be deleted. Reload the notebook to get it back.');
    expect(lockedCellSaveProblem(template, ['intro', 'model'], template, [model, intro])).toBeNull();
    // Already different before the teacher locked it: it may stay as it is, so the student can still save.
    const changedEarlier = [{ ...intro, source: 'Earlier' }, model];
    expect(lockedCellSaveProblem(template, ['intro'], changedEarlier, changedEarlier)).toBeNull();
  });

  it('newly locked and changed by the student: put back as the teacher wrote them, every other cell kept', () => {
    const mine = newMarkdownCell('mine', 'my notes');
    const myIntro = { ...intro, source: 'My own words' };
    const myModel = newModelCell('model', {});
    const { cells, putBack } = putBackLockedCells([mine, myIntro, myModel], [intro, model]);
    expect(cells).toEqual([mine, intro, model]);
    expect(putBack).toEqual([
      { mine: myIntro, teacher: intro, index: 1 },
      { mine: myModel, teacher: model, index: 2 },
    ]);
    expect(putBackWords(putBack)).toBe('Your teacher locked cells 2 (Text · Task Build a small network) and 3 (Model). Your changes to them were put back as your teacher wrote them');
    expect(putBackWords(putBack.slice(0, 1))).toBe('Your teacher locked cell 2 (Text · Task Build a small network). Your changes to it were put back as your teacher wrote it');
    // Nothing differs (keys in another order are the same cell): the very same cells, nothing to say.
    const same = [mine, intro, { workspace: model.workspace, type: 'model', id: 'model' } as Cell];
    expect(putBackLockedCells(same, [intro, model])).toEqual({ cells: same, putBack: [] });
    expect(putBackLockedCells(same, [intro, model]).cells).toBe(same);
    // A locked cell deleted before the lock stays deleted; an unlocked one is never touched.
    expect(putBackLockedCells([mine], [intro]).putBack).toEqual([]);
  });
});

describe('goals', () => {
  it('read as sentences and refuse values that mean nothing', () => {
    expect(describeGoal({ id: 'a', kind: 'testAccuracy', min: 0.925 })).toBe('Test accuracy at least 92.5% on a test set you never see');
    expect(describeGoal({ id: 'p', kind: 'maxParams', max: 50000 })).toBe('At most 50,000 parameters');
    expect(describeGoal({ id: 'l', kind: 'usesLayer', layer: 'conv2d' }, () => 'Conv2D')).toBe('Uses a Conv2D layer');
    expect(describeGoal({ id: 'e', kind: 'maxEpochs', max: 1 })).toBe('Trains in at most 1 epoch');
    expect(goalsSchema.safeParse([{ id: 'a', kind: 'testAccuracy', min: 1.5 }]).success).toBe(false);
    expect(goalsSchema.safeParse([{ id: 'p', kind: 'maxParams', max: 0 }]).success).toBe(false);
  });
});
