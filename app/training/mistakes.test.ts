import { describe, expect, it } from 'vitest';
import { classChoices, describeExamples, describeMistake, describeMistakeCount, findMistakes, mistakesOfClass, noMistakesWords, type Mistake } from './mistakes';

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

describe('findMistakes', () => {
  it('keeps the examples whose likeliest class is not their own, surest mistakes first', () => {
    // Four examples of three classes: right, wrong at 60%, wrong at 90%, right.
    const outputs = [0.8, 0.1, 0.1, 0.2, 0.6, 0.2, 0.05, 0.05, 0.9, 0.1, 0.1, 0.8];
    expect(findMistakes(outputs, 3, [0, 0, 1, 2])).toEqual([
      { index: 2, trueClass: 1, guessedClass: 2, sureness: expect.closeTo(0.9, 5) },
      { index: 1, trueClass: 0, guessedClass: 1, sureness: expect.closeTo(0.6, 5) },
    ]);
  });

  it('keeps equally sure mistakes in the order of the examples', () => {
    expect(findMistakes([0, 1, 0, 1, 0, 1], 2, [0, 0, 0]).map((m) => m.index)).toEqual([0, 1, 2]);
  });

  it('reads outputs that are not shares through softmax, as Try your model does', () => {
    const [mistake] = findMistakes(Float32Array.from([0, 2]), 2, [0]);
    expect(mistake!.guessedClass).toBe(1);
    expect(mistake!.sureness).toBeCloseTo(Math.exp(2) / (1 + Math.exp(2)), 5);
  });

  it('finds none when every example is answered right', () => {
    expect(findMistakes([0.9, 0.1, 0.3, 0.7], 2, [0, 1])).toEqual([]);
  });
});

describe('mistakesOfClass', () => {
  const mistakes: Mistake[] = Array.from({ length: 20 }, (_, i) => ({ index: i, trueClass: i % 2 ? 8 : 4, guessedClass: 9, sureness: 1 - i / 100 }));
  it('shows at most 12 of all the mistakes', () => {
    expect(mistakesOfClass(mistakes, null)).toHaveLength(12);
  });
  it('keeps only the mistakes on one true class, in their order', () => {
    expect(mistakesOfClass(mistakes, 8, 3).map((m) => m.index)).toEqual([1, 3, 5]);
  });
});

describe('the words', () => {
  it('say what an example really is and what the model said, how sure', () => {
    expect(describeMistake(digits, { index: 0, trueClass: 4, guessedClass: 9, sureness: 0.714 })).toBe('Really a 4 — your model said a 9 (71% sure)');
    expect(describeMistake(digits, { index: 0, trueClass: 8, guessedClass: 3, sureness: 0.5 })).toBe('Really an 8 — your model said a 3 (50% sure)');
    expect(describeMistake(['setosa', 'versicolor'], { index: 0, trueClass: 1, guessedClass: 0, sureness: 0.999 })).toBe(
      'Really “versicolor” — your model said “setosa” (100% sure)',
    );
  });

  it('count the mistakes among the checking examples, or the training examples', () => {
    expect(describeMistakeCount(23, 200, 'validation')).toBe('Your model gets 23 of the 200 checking examples wrong (12%).');
    expect(describeMistakeCount(1, 300, 'train')).toBe('Your model gets 1 of the 300 training examples wrong (<1%).');
  });

  it('say whether the model learned from the examples', () => {
    expect(describeExamples('validation', 22, 22, 'Iris flowers')).toBe(
      'These are all 22 checking examples, kept apart from training: your model never learned from them.',
    );
    expect(describeExamples('validation', 200, 1900, 'Shoes')).toBe('These are 200 of the 1,900 checking examples, kept apart from training: your model never learned from them.');
    expect(describeExamples('train', 200, 7996, 'MNIST')).toBe(
      'MNIST keeps no checking examples apart, so these are 200 of its 7,996 training examples: ones your model learned from. It may get more wrong on pictures it never saw.',
    );
  });

  it('say when nothing is wrong, and why that may be luck with few examples', () => {
    expect(noMistakesWords(22, 'validation')).toBe(
      'Your model gets all 22 checking examples right. That is only 22, so its mistakes may just not be among them: the test accuracy above, on other examples, says more.',
    );
    expect(noMistakesWords(200, 'validation')).toMatch(/^Your model gets all 200 checking examples right\. Well done!/);
    expect(noMistakesWords(200, 'train')).toMatch(/It learned from them, though/);
  });

  it('offer a filter choice for each class that has mistakes, with how many', () => {
    const mistakes: Mistake[] = [
      { index: 0, trueClass: 4, guessedClass: 9, sureness: 0.9 },
      { index: 1, trueClass: 4, guessedClass: 1, sureness: 0.8 },
      { index: 2, trueClass: 8, guessedClass: 3, sureness: 0.7 },
    ];
    expect(classChoices(digits, mistakes)).toEqual([
      { classIndex: 4, label: '4 (2 wrong)' },
      { classIndex: 8, label: '8 (1 wrong)' },
    ]);
  });
});
