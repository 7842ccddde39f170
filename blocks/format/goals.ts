import { z } from 'zod';

/**
 * An assignment's goals, checked automatically on every hand-in (server/services/autograde.ts).
 * Stored in assignments.goals and, with their results, in submissions.goal_results: new kinds
 * join the union, existing kinds never change meaning (a stored goal must read the same forever).
 */
const goalId = z.string().min(1).max(40);

export const testAccuracyGoalSchema = z.object({
  id: goalId,
  kind: z.literal('testAccuracy'),
  /** The accuracy (0 to 1) the submitted weights must reach on the assignment's hidden test split. */
  min: z.number().min(0).max(1),
});

export const maxParamsGoalSchema = z.object({
  id: goalId,
  kind: z.literal('maxParams'),
  /** The most trainable and fixed numbers (parameters) the submitted network may have. */
  max: z.number().int().min(1).max(1_000_000_000),
});

export const usesLayerGoalSchema = z.object({
  id: goalId,
  kind: z.literal('usesLayer'),
  /** A catalogue key ("conv2d", "dropout"): the submitted network must contain at least one such layer. */
  layer: z.string().min(1).max(100),
});

export const maxEpochsGoalSchema = z.object({
  id: goalId,
  kind: z.literal('maxEpochs'),
  /** The most epochs the submitted run may have trained. */
  max: z.number().int().min(1).max(10_000),
});

export const goalSchema = z.discriminatedUnion('kind', [testAccuracyGoalSchema, maxParamsGoalSchema, usesLayerGoalSchema, maxEpochsGoalSchema]);
export type Goal = z.infer<typeof goalSchema>;
export type GoalKind = Goal['kind'];
export const MAX_GOALS = 10;
export const goalsSchema = z.array(goalSchema).max(MAX_GOALS);

/** One goal's outcome on one submission: met or not, and the figure it was judged by. */
export const goalResultSchema = z.object({
  goalId: goalId,
  kind: z.enum(['testAccuracy', 'maxParams', 'usesLayer', 'maxEpochs']),
  met: z.boolean(),
  /** The measured figure: accuracy (0 to 1), parameters, epochs, or for usesLayer how many such layers. */
  value: z.number().nullable(),
  /** A sentence a student reads: "Test accuracy 0.93, needed at least 0.90." */
  message: z.string().max(500),
});
export type GoalResult = z.infer<typeof goalResultSchema>;
export const goalResultsSchema = z.array(goalResultSchema).max(MAX_GOALS);

/** How a goal is said in a list ("Test accuracy at least 90%"), for the teacher's form and the student's page. */
export function describeGoal(goal: Goal, layerLabel: (key: string) => string = (key) => key): string {
  switch (goal.kind) {
    case 'testAccuracy':
      return `Test accuracy at least ${formatPercent(goal.min)} on a test set you never see`;
    case 'maxParams':
      return `At most ${goal.max.toLocaleString('en-US')} parameters`;
    case 'usesLayer':
      return `Uses a ${layerLabel(goal.layer)} layer`;
    case 'maxEpochs':
      return `Trains in at most ${goal.max} ${goal.max === 1 ? 'epoch' : 'epochs'}`;
  }
}

export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}
