import { describe, expect, it } from 'vitest';
import { describeProgress, parseClassNames, problemWithPickedClasses, suggestPictureSettings, suggestSettings, type CsvPreview } from './upload';

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

describe('parseClassNames', () => {
  it('reads comma-separated names for labels 0, 1, … and treats nothing typed as "use the numbers"', () => {
    expect(parseClassNames(' T-shirt/top, Trouser ,Pullover,')).toEqual({ ok: true, names: ['T-shirt/top', 'Trouser', 'Pullover'] });
    expect(parseClassNames('  ')).toEqual({ ok: true, names: undefined });
  });

  it('says what to fix when one name or a repeated name is typed', () => {
    expect(parseClassNames('cat')).toEqual({ ok: false, message: 'Give at least 2 class names, separated by commas, or leave this empty.' });
    expect(parseClassNames('cat, dog, cat')).toEqual({ ok: false, message: '"cat" is there twice. Every class needs its own name.' });
  });
});

describe('problemWithPickedClasses', () => {
  const picked = (name: string, files: number) => ({ name, files: new Array(files).fill(null) });

  it('asks for a name, pictures, different names and a second class, ignoring rows left blank', () => {
    expect(problemWithPickedClasses([picked('', 3), picked('dogs', 2)])).toBe('Give class 1 a name.');
    expect(problemWithPickedClasses([picked('cats', 3), picked('dogs', 0)])).toBe('Choose pictures for "dogs".');
    expect(problemWithPickedClasses([picked('cats', 3), picked(' cats', 1)])).toBe('Two classes are called "cats". Give each class its own name.');
    expect(problemWithPickedClasses([picked('cats', 3), picked('', 0)])).toMatch(/^Name at least 2 classes/);
    expect(problemWithPickedClasses([picked('cats', 3), picked('', 0), picked('dogs', 1)])).toBeNull();
  });
});

describe('describeProgress', () => {
  it('counts megabytes sent, then says the server is working', () => {
    expect(describeProgress({ sent: 5 * 1024 * 1024, total: 31 * 1024 * 1024 })).toBe('5.0 of 31.0 MB sent');
    expect(describeProgress({ sent: 100, total: 100 })).toBe('All sent. The server is reading the files…');
  });
});
