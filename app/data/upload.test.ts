import { describe, expect, it } from 'vitest';
import { suggestPictureSettings, suggestSettings, type CsvPreview } from './upload';

const column = (name: string, type: 'number' | 'category') => ({ name, type, distinct: 3, missing: 0, examples: [] });

describe('suggestSettings', () => {
  it('guesses the last category column as the label and uses the others as features of their own type', () => {
    const preview: CsvPreview = { columns: [column('height', 'number'), column('species', 'category'), column('weight', 'number')], rows: [], rowCount: 10 };
    expect(suggestSettings(preview, 'plants.csv')).toMatchObject({
      name: 'plants',
      label: 'species',
      features: [
        { column: 'height', as: 'number' },
        { column: 'weight', as: 'number' },
      ],
    });
  });

  it('takes the last column when every column holds numbers', () => {
    const preview: CsvPreview = { columns: [column('a', 'number'), column('b', 'number')], rows: [], rowCount: 2 };
    expect(suggestSettings(preview, 'x')).toMatchObject({ label: 'b', features: [{ column: 'a', as: 'number' }] });
  });
});

describe('suggestPictureSettings', () => {
  it('names the dataset after the zip and starts with small grey pictures', () => {
    expect(suggestPictureSettings('my pets.zip')).toEqual({ name: 'my pets', size: 28, color: 'grayscale', split: { train: 70, validation: 15, test: 15 }, seed: 1 });
    expect(suggestPictureSettings('.zip').name).toBe('My pictures');
  });
});
