/**
 * The colours of a dataset's classes wherever points of them are drawn: the data cell's
 * scatter plot and a run's decision map, so a class has the same colour in both. Blue and
 * orange first: the pair stays apart for the common kinds of colour blindness (red-green),
 * as in the TensorFlow Playground. Hex, so canvas code can mix them with white.
 */
export const CLASS_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'] as const;

/** A class's colour by its index in the dataset's class list (colours repeat past the fourth). */
export function classColor(index: number): string {
  return CLASS_COLORS[index % CLASS_COLORS.length]!;
}

/** The colours' names, for sentences that read a picture ("blue is where…"), in the same order. */
export const CLASS_COLOR_NAMES = ['blue', 'orange', 'green', 'purple'] as const;

export function classColorName(index: number): string {
  return CLASS_COLOR_NAMES[index % CLASS_COLOR_NAMES.length]!;
}
