import type { ConfusionMatrix } from './confusion-matrix';

/**
 * What a confusion matrix says, in words a student reads at a glance. Pure and here, beside the
 * matrix's format, so the page (app/training/ConfusionMatrix.tsx draws the table) and
 * `layerbook train` (bin/train.ts) say the same sentences.
 */

/** One kind of mistake: test examples of `actual` that the model answered with `predicted`. */
export interface Mistake {
  actual: string;
  predicted: string;
  count: number;
}

/** The most frequent mistakes, most first (row order on a tie); cells without mistakes are left out. */
export function commonMistakes(matrix: ConfusionMatrix, limit: number): Mistake[] {
  const mistakes: Mistake[] = [];
  matrix.counts.forEach((row, t) =>
    row.forEach((count, p) => {
      if (t !== p && count > 0) mistakes.push({ actual: matrix.classes[t]!, predicted: matrix.classes[p]!, count });
    }),
  );
  // Array.prototype.sort is stable: equal counts keep the table's order.
  return mistakes.sort((a, b) => b.count - a.count).slice(0, limit);
}

export function testExampleCount(matrix: ConfusionMatrix): number {
  return matrix.counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}

/** The share (0 to 1) of a true class's test examples that the model answered with `predicted`; 0 for a class without examples. */
export function shareOfRow(matrix: ConfusionMatrix, actual: number, predicted: number): number {
  const row = matrix.counts[actual]!;
  const total = row.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : row[predicted]! / total;
}

const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');
const times = (count: number) => `${formatCount(count)} ${count === 1 ? 'time' : 'times'}`;

/** One or two sentences naming the most frequent mistakes ("The model most often took 4 for 9: 23 times."). */
export function mistakeSentences(matrix: ConfusionMatrix): string[] {
  const total = testExampleCount(matrix);
  const [first, second] = commonMistakes(matrix, 2);
  if (!first) return [`The model got all ${formatCount(total)} test examples right.`];
  const sentences = [`The model most often took ${first.actual} for ${first.predicted}: ${times(first.count)}.`];
  if (second) sentences.push(`After that, it most often took ${second.actual} for ${second.predicted}: ${times(second.count)}.`);
  return sentences;
}
