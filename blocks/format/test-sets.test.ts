import { describe, expect, it } from 'vitest';
import { BUILT_IN_DATASETS, hiddenTestSetProblem, inputColumnsOf, testSetMismatch, type HiddenTestSetCandidate, type TestSetFacts } from './datasets';

const plants: TestSetFacts = { name: 'Plants', inputShape: [4], classes: ['short', 'tall'], inputColumns: ['height', 'width', 'colour = green', 'colour = red'] };
const candidate = (overrides: Partial<HiddenTestSetCandidate> = {}): HiddenTestSetCandidate => ({ ...plants, name: 'Exam plants', visibility: 'private', sharedWith: [], usedByNotebook: false, ...overrides });

describe('whether a dataset can grade networks trained on the notebook’s data', () => {
  it('accepts the same shape, columns and classes, and a built-in set against itself', () => {
    expect(testSetMismatch(plants, candidate())).toBeNull();
    expect(testSetMismatch(BUILT_IN_DATASETS.mnist, BUILT_IN_DATASETS.mnist)).toBeNull();
    // Pictures and built-in sets have no columns: shape and classes decide.
    expect(testSetMismatch({ ...plants, inputColumns: undefined }, candidate())).toBeNull();
  });

  it('names the first column that differs, even when the count of numbers is the same', () => {
    expect(testSetMismatch(plants, candidate({ inputColumns: ['height', 'width', 'colour = green', 'colour = blue'] }))).toBe(
      '“Exam plants” has the input column “colour = blue” where “Plants” has “colour = red” (input 4). Upload a test set made like “Plants”, or keep the test split of the notebook’s data.',
    );
  });

  it('says which shape each has, and which classes are missing or extra', () => {
    expect(testSetMismatch(BUILT_IN_DATASETS.mnist, { name: 'Photos', inputShape: [32, 32, 3], classes: BUILT_IN_DATASETS.mnist.classes })).toMatch(
      /^“Photos” has examples of shape 32×32×3, but the notebook trains on “MNIST”, whose examples are 28×28×1\./,
    );
    expect(testSetMismatch(plants, candidate({ classes: ['short', 'tall', 'tiny'] }))).toMatch(/^“Exam plants” has the class “tiny” that “Plants” does not\./);
    expect(testSetMismatch(plants, candidate({ classes: ['tall'] }))).toMatch(/^“Exam plants” lacks the class “short”\./);
  });

  it('refuses the same classes in another order, since a class is its place in the output', () => {
    expect(testSetMismatch(plants, candidate({ classes: ['tall', 'short'] }))).toMatch(/same classes in another order \(“tall”, “short” instead of “short”, “tall”\)/);
  });
});

describe('whether an upload can stay hidden as an assignment’s test set', () => {
  it('refuses one students can reach before looking at its columns', () => {
    const wrongShape = { inputShape: [9] };
    expect(hiddenTestSetProblem(plants, candidate({ ...wrongShape, usedByNotebook: true }))).toMatch(/data cell uses “Exam plants”, so students would get it/);
    expect(hiddenTestSetProblem(plants, candidate({ ...wrongShape, visibility: 'school' }))).toMatch(/school dataset, which every student can open/);
    expect(hiddenTestSetProblem(plants, candidate({ ...wrongShape, sharedWith: ['7A', '7B'] }))).toMatch(/is shared with 7A, 7B, so those students can open it\. Stop sharing it/);
    expect(hiddenTestSetProblem(plants, candidate(wrongShape))).toMatch(/has examples of shape 9/);
    expect(hiddenTestSetProblem(plants, candidate())).toBeNull();
    // A notebook without training data has nothing to compare with.
    expect(hiddenTestSetProblem(null, candidate(wrongShape))).toBeNull();
  });

  it('reads a CSV upload’s input columns from its stored encodings', () => {
    expect(
      inputColumnsOf([
        { column: 'height', as: 'number', mean: 1, std: 2 },
        { column: 'colour', as: 'category', value: 'red' },
      ]),
    ).toEqual(['height', 'colour = red']);
    expect(inputColumnsOf([])).toBeUndefined();
  });
});
