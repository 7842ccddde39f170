import { describe, expect, it } from 'vitest';
import { BUILT_IN_DATASETS, builtInSource } from '../../blocks/format/datasets';
import { asGuess, dataOfRun, describeGuess, formatShare, takesDrawings, takesTableRows } from './prediction';

const DIGITS = BUILT_IN_DATASETS.mnist.classes;

describe('which data a student can draw for', () => {
  it('is 28×28 pictures with one grey channel, not tables or colour pictures', () => {
    expect(takesDrawings(BUILT_IN_DATASETS.mnist)).toBe(true);
    expect(takesDrawings({ inputShape: [28, 28, 1] })).toBe(true);
    expect(takesDrawings(BUILT_IN_DATASETS.iris)).toBe(false);
    expect(takesDrawings({ inputShape: [784] })).toBe(false);
    expect(takesDrawings({ inputShape: [28, 28, 3] })).toBe(false);
    expect(takesDrawings({ inputShape: [32, 32, 1] })).toBe(false);
  });
});

describe('which data a student can type a row of', () => {
  const upload = (inputShape: number[]) => ({ kind: 'upload' as const, datasetId: '00000000-0000-4000-8000-000000000000', name: 'plants', inputShape, classes: ['a', 'b'] });
  it('is iris and CSV uploads (one number per input), not pictures or the generated 2-D sets', () => {
    expect(takesTableRows(builtInSource('iris'))).toBe(true);
    expect(takesTableRows(upload([7]))).toBe(true);
    expect(takesTableRows(builtInSource('mnist'))).toBe(false);
    expect(takesTableRows(upload([28, 28, 1]))).toBe(false);
    for (const id of ['circle', 'xor', 'gaussian', 'spiral'] as const) expect(takesTableRows(builtInSource(id))).toBe(false);
  });
});

describe("the model's answer in words", () => {
  it('names the likeliest digit and how sure the model is', () => {
    const shares = [0.01, 0, 0.02, 0, 0, 0, 0, 0.92, 0.05, 0];
    expect(describeGuess(DIGITS, shares)).toBe('Your model thinks this is a 7 (92% sure).');
    expect(describeGuess(DIGITS, [0, 0, 0, 0, 0, 0, 0, 0.3, 0.7, 0])).toBe('Your model thinks this is an 8 (70% sure).');
  });

  it('quotes class names that are words', () => {
    const fashion = ['T-shirt/top', 'Trouser', 'Sneaker'];
    expect(describeGuess(fashion, [0.2, 0.05, 0.75])).toBe('Your model thinks this is “Sneaker” (75% sure).');
  });

  it('shows a small chance as under one percent, never as none', () => {
    expect(formatShare(0.004)).toBe('<1%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.996)).toBe('100%');
  });
});

describe("a model's outputs as shares", () => {
  it('keeps the outputs of a softmax layer as they are', () => {
    const guess = asGuess(Float32Array.from([0.1, 0.7, 0.2]));
    expect(guess.softmaxed).toBe(false);
    expect(guess.probabilities.map((p) => Number(p.toFixed(4)))).toEqual([0.1, 0.7, 0.2]);
  });

  it('turns other outputs into shares with softmax, and says so', () => {
    const guess = asGuess([2, 0, -1]);
    expect(guess.softmaxed).toBe(true);
    expect(guess.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(guess.probabilities[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1)), 6);
  });
});

describe('the class names a run answers with', () => {
  const mnist = BUILT_IN_DATASETS.mnist;
  const fashion = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

  it('are the ones the run trained on, even when the cell now has other data of the same shape', () => {
    const named = dataOfRun(mnist, fashion);
    expect(named.classes).toEqual(fashion);
    expect(named.inputShape).toEqual([28, 28, 1]);
    // "digits" was the cell's word, not the run's.
    expect(named.classNoun).toBe('classes');
  });

  it("are the cell's data as it is when the run kept no names, or the same ones", () => {
    expect(dataOfRun(mnist, null)).toBe(mnist);
    expect(dataOfRun(mnist, undefined)).toBe(mnist);
    expect(dataOfRun(mnist, [...mnist.classes])).toBe(mnist);
  });
});
