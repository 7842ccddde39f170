import { MAX_CONFUSION_CLASSES, type ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import type { Dataset } from '../data/dataset';

/** The true classes of a batch as the loss reads them: class numbers (sparse losses) or one-hot rows. */
export type TrueLabels = { classIndices: ArrayLike<number> } | { oneHot: ArrayLike<number> };

/**
 * Counts a model's answers on a split by true and predicted class, batch by batch, so a
 * split of any size is counted without holding its predictions. A prediction is the class
 * with the highest output (the first one on a tie, as tf.argMax and Keras's accuracy pick it),
 * so the diagonal adds up to the categorical accuracy.
 */
export class ConfusionCounter {
  private readonly counts: number[][];

  private constructor(private readonly classes: readonly string[]) {
    this.counts = classes.map(() => new Array<number>(classes.length).fill(0));
  }

  /**
   * A counter for a classification dataset, or null when there is no matrix to show: labels
   * that are not classes (a regression set), or more than MAX_CONFUSION_CLASSES classes (see there).
   */
  static for(data: Pick<Dataset, 'labelKind' | 'classes'>): ConfusionCounter | null {
    if (data.labelKind !== 'classes' || data.classes.length < 2 || data.classes.length > MAX_CONFUSION_CLASSES) return null;
    return new ConfusionCounter(data.classes);
  }

  /** `outputs`: the model's outputs for `count` examples, one row of class scores each. */
  add(outputs: ArrayLike<number>, labels: TrueLabels, count: number): void {
    const classCount = this.classes.length;
    if (outputs.length !== count * classCount) {
      throw new Error(`Expected ${count} rows of ${classCount} outputs for the confusion matrix, got ${outputs.length} numbers.`);
    }
    for (let row = 0; row < count; row++) {
      const actual = 'classIndices' in labels ? labels.classIndices[row]! : argMax(labels.oneHot, row * classCount, classCount);
      this.counts[actual]![argMax(outputs, row * classCount, classCount)]!++;
    }
  }

  result(): ConfusionMatrix {
    return { classes: [...this.classes], counts: this.counts.map((row) => [...row]) };
  }
}

/** The position of the largest of `length` numbers from `start` (the first on a tie). */
function argMax(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[start + i]! > values[start + best]!) best = i;
  return best;
}
