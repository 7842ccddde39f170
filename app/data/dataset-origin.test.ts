import { describe, expect, it } from 'vitest';
import type { DatasetOrigin } from '../../server/services/dataset-access';
import { datasetOptionLabel, groupByOrigin, whoseData } from './dataset-origin';

const yours: DatasetOrigin = { kind: 'yours', visibility: 'private', sharedWith: [] };
const shared: DatasetOrigin = { kind: 'shared', teacherName: 'Ms Rivera', classNames: ['7A', '7B'] };
const school: DatasetOrigin = { kind: 'school', ownerName: 'Mr Okafor' };

describe('where a dataset comes from, in words', () => {
  it('labels picker entries with who shared them, and own uploads by name only', () => {
    expect(datasetOptionLabel({ name: 'Leaves', origin: yours })).toBe('Leaves');
    expect(datasetOptionLabel({ name: 'Leaves', origin: shared })).toBe('Leaves (shared by Ms Rivera with 7A and 7B)');
    expect(datasetOptionLabel({ name: 'Fashion', origin: school })).toBe('Fashion (school dataset)');
    expect(whoseData(shared, 'table')).toBe('a table Ms Rivera shared with 7A and 7B');
    expect(whoseData(school, 'pictures')).toBe('pictures Mr Okafor added for the whole school');
    expect(whoseData(yours, 'pictures')).toBe('your uploaded pictures');
  });

  it('groups the picker by origin, keeping the empty "Your uploads" group for new uploads', () => {
    const list = [
      { id: 's', origin: school },
      { id: 'y', origin: yours },
      { id: 'c', origin: shared },
    ];
    expect(groupByOrigin(list).map((g) => [g.label, g.datasets.map((d) => d.id)])).toEqual([
      ['Your uploads', ['y']],
      ['Shared with your classes', ['c']],
      ['School datasets', ['s']],
    ]);
    expect(groupByOrigin([{ id: 'c', origin: shared }]).map((g) => g.label)).toEqual(['Your uploads', 'Shared with your classes']);
  });
});
