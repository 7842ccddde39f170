import { describe, expect, it } from 'vitest';
import { confusionMatrixSchema, MAX_CONFUSION_CLASSES } from '../../blocks/format/confusion-matrix';
import { ConfusionCounter } from './confusion-matrix';

const classes = (count: number) => Array.from({ length: count }, (_, i) => `class ${i}`);
const counterFor = (names: string[]) => ConfusionCounter.for({ labelKind: 'classes', classes: names })!;

// Five test examples of three classes; each row of outputs is the model's three class scores.
const outputs = Float32Array.from([
  0.7, 0.2, 0.1, // answers cat
  0.1, 0.8, 0.1, // answers dog
  0.6, 0.3, 0.1, // answers cat
  0.2, 0.2, 0.6, // answers bird
  0.1, 0.5, 0.4, // answers dog
]);
const trueClasses = [0, 1, 1, 2, 2]; // cat, dog, dog, bird, bird
const expected = {
  classes: ['cat', 'dog', 'bird'],
  counts: [
    [1, 0, 0],
    [1, 1, 0],
    [0, 1, 1],
  ],
};

describe('ConfusionCounter', () => {
  it('counts class-number (sparse) labels by true class (row) and highest output (column)', () => {
    const counter = counterFor(['cat', 'dog', 'bird']);
    counter.add(outputs, { classIndices: Int32Array.from(trueClasses) }, 5);
    expect(counter.result()).toEqual(expected);
  });

  it('counts one-hot labels the same, over several batches', () => {
    const oneHot = (label: number) => [0, 1, 2].map((c) => (c === label ? 1 : 0));
    const counter = counterFor(['cat', 'dog', 'bird']);
    counter.add(outputs.subarray(0, 6), { oneHot: Float32Array.from(trueClasses.slice(0, 2).flatMap(oneHot)) }, 2);
    counter.add(outputs.subarray(6), { oneHot: Float32Array.from(trueClasses.slice(2).flatMap(oneHot)) }, 3);
    expect(counter.result()).toEqual(expected);
  });

  it('takes the first of equal outputs, as tf.argMax does', () => {
    const counter = counterFor(['a', 'b']);
    counter.add([0.5, 0.5], { classIndices: [1] }, 1);
    expect(counter.result().counts).toEqual([[0, 0], [1, 0]]);
  });

  it('refuses outputs that are not one row per example and one number per class', () => {
    expect(() => counterFor(['a', 'b']).add([0.1, 0.9, 0.3], { classIndices: [0, 1] }, 2)).toThrow(/2 rows of 2 outputs/);
  });

  it(`keeps no matrix above ${MAX_CONFUSION_CLASSES} classes, or for a single class`, () => {
    expect(ConfusionCounter.for({ labelKind: 'classes', classes: classes(MAX_CONFUSION_CLASSES) })).not.toBeNull();
    expect(ConfusionCounter.for({ labelKind: 'classes', classes: classes(MAX_CONFUSION_CLASSES + 1) })).toBeNull();
    expect(ConfusionCounter.for({ labelKind: 'classes', classes: classes(1) })).toBeNull();
  });

  it('gives what the stored schema reads back', () => {
    const counter = counterFor(classes(MAX_CONFUSION_CLASSES));
    expect(confusionMatrixSchema.parse(counter.result())).toEqual(counter.result());
  });
});

describe('confusionMatrixSchema', () => {
  it('refuses a matrix that is not one row and one column per class, or has negative or fractional counts', () => {
    expect(confusionMatrixSchema.safeParse({ classes: ['a', 'b'], counts: [[1, 2]] }).success).toBe(false);
    expect(confusionMatrixSchema.safeParse({ classes: ['a', 'b'], counts: [[1, 2], [3]] }).success).toBe(false);
    expect(confusionMatrixSchema.safeParse({ classes: ['a', 'b'], counts: [[1, -2], [3, 4]] }).success).toBe(false);
    expect(confusionMatrixSchema.safeParse({ classes: ['a', 'b'], counts: [[1, 0.5], [3, 4]] }).success).toBe(false);
    expect(confusionMatrixSchema.safeParse({ classes: ['a', 'b'], counts: [[1, 2], [3, 4]] }).success).toBe(true);
  });
});
