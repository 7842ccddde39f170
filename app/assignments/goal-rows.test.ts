import { describe, expect, it } from 'vitest';
import type { Goal } from '../../blocks/format/goals';
import { goalsFromRows, newGoalRow, rowsFromGoals } from './goal-rows';

describe('goal rows of the assignment forms', () => {
  it('keeps every goal, two of a kind included, with its id and figure, in order', () => {
    const goals: Goal[] = [
      { id: 'layer', kind: 'usesLayer', layer: 'conv2d' },
      { id: 'accuracy', kind: 'testAccuracy', min: 0.875 },
      { id: 'pool', kind: 'usesLayer', layer: 'maxPooling2d' },
      { id: 'parameters', kind: 'maxParams', max: 5000 },
      { id: 'epochs', kind: 'maxEpochs', max: 12 },
    ];
    const rows = rowsFromGoals(goals);
    expect(rows.map((r) => r.figure)).toEqual(['conv2d', '87.5', 'maxPooling2d', '5000', '12']);
    expect(goalsFromRows(rows)).toEqual(goals);
  });

  it('gives a new row an id no other goal has, and a figure to start from', () => {
    const rows = rowsFromGoals([{ id: 'layer', kind: 'usesLayer', layer: 'dense' }]);
    const second = newGoalRow(rows, 'usesLayer');
    expect(second).toEqual({ id: 'layer-2', kind: 'usesLayer', figure: 'conv2d' });
    expect(newGoalRow([...rows, second], 'usesLayer').id).toBe('layer-3');
    expect(newGoalRow(rows, 'testAccuracy')).toEqual({ id: 'accuracy', kind: 'testAccuracy', figure: '90' });
  });

  it('names the goal whose figure to fix', () => {
    const rows = [newGoalRow([], 'maxEpochs'), { id: 'accuracy', kind: 'testAccuracy' as const, figure: '190' }];
    expect(goalsFromRows(rows)).toBe('Goal 2: type the test accuracy as a percentage between 1 and 100, such as 90.');
    expect(goalsFromRows([{ id: 'parameters', kind: 'maxParams', figure: '12.5' }])).toBe('Goal 1: type the most parameters as a whole number, such as 50000.');
    expect(goalsFromRows([{ id: 'epochs', kind: 'maxEpochs', figure: '' }])).toBe('Goal 1: type the most epochs as a whole number from 1 to 100.');
    expect(goalsFromRows([])).toEqual([]);
  });
});
