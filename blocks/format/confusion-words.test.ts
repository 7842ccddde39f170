import { describe, expect, it } from 'vitest';
import type { ConfusionMatrix } from './confusion-matrix';
import { commonMistakes, mistakeSentences, shareOfRow, testExampleCount } from './confusion-words';

// Rows: the true class; columns: what the model answered.
const digits: ConfusionMatrix = {
  classes: ['4', '7', '9'],
  counts: [
    [80, 1, 23],
    [0, 95, 0],
    [12, 1, 70],
  ],
};

describe('confusion matrix in words', () => {
  it('names the two most frequent mistakes, most first', () => {
    expect(mistakeSentences(digits)).toEqual([
      'The model most often took 4 for 9: 23 times.',
      'After that, it most often took 9 for 4: 12 times.',
    ]);
  });

  it('says "time" for a single mistake and leaves out a second sentence when there is no second mistake', () => {
    const matrix: ConfusionMatrix = { classes: ['cat', 'dog'], counts: [[5, 0], [1, 6]] };
    expect(mistakeSentences(matrix)).toEqual(['The model most often took dog for cat: 1 time.']);
  });

  it('says so when every test example was answered right', () => {
    const matrix: ConfusionMatrix = { classes: ['cat', 'dog'], counts: [[1500, 0], [0, 7]] };
    expect(mistakeSentences(matrix)).toEqual(['The model got all 1,507 test examples right.']);
  });

  it('keeps the table order between mistakes made equally often', () => {
    expect(commonMistakes(digits, 5).map((m) => `${m.actual}>${m.predicted}:${m.count}`)).toEqual(['4>9:23', '9>4:12', '4>7:1', '9>7:1']);
  });

  it('shades each cell by its share of the true class, and a class without test examples as nothing', () => {
    expect(shareOfRow(digits, 1, 1)).toBe(1);
    expect(shareOfRow(digits, 0, 2)).toBeCloseTo(23 / 104);
    expect(shareOfRow({ classes: ['a', 'b'], counts: [[0, 0], [2, 2]] }, 0, 0)).toBe(0);
    expect(testExampleCount(digits)).toBe(282);
  });
});
