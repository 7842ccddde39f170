import { z } from 'zod';

/**
 * A finished classification run's confusion matrix on its test split (runs.confusion_matrix):
 * how many test examples of each true class the model answered with each class. Written by the
 * trainer (server/training/confusion-matrix.ts), read back only through this schema.
 */

/**
 * Above this many classes nothing is stored: the table (50 × 50 = 2,500 cells) would no longer
 * fit a screen a student can read, and the stored figures would outgrow the rest of the run.
 */
export const MAX_CONFUSION_CLASSES = 50;

export const confusionMatrixSchema = z
  .object({
    /** The dataset's class names, in the order of the model's outputs. */
    classes: z.array(z.string()).min(2).max(MAX_CONFUSION_CLASSES),
    /** counts[t][p]: test examples of true class t that the model predicted as class p. */
    counts: z.array(z.array(z.number().int().min(0))),
  })
  .refine((m) => m.counts.length === m.classes.length && m.counts.every((row) => row.length === m.classes.length), {
    message: 'a confusion matrix has one row and one column per class',
  });

export type ConfusionMatrix = z.infer<typeof confusionMatrixSchema>;
