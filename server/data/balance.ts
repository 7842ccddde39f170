import { SPLITS, type Split } from './dataset';

/** How many examples of each class each split holds, for the class balance bars. */
export interface ClassBalance {
  classes: string[];
  counts: Record<Split, number[]>;
}

/** Counted from the class indices an import produced, so the stored preview can show the bars without reading the examples again. */
export function balanceOfSplits(classes: readonly string[], splits: Record<Split, { classIndices: Int32Array }>): ClassBalance {
  const counts = Object.fromEntries(SPLITS.map((split) => [split, new Array<number>(classes.length).fill(0)])) as Record<Split, number[]>;
  for (const split of SPLITS) for (const label of splits[split].classIndices) counts[split][label]!++;
  return { classes: [...classes], counts };
}
