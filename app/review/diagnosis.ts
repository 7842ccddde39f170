/**
 * What a teacher should notice about a student's training at a glance, from its per-epoch
 * curves alone. Pure, so the rules are tested and the badge always says the same as the tests.
 */
export interface CurvePoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
}

export type DiagnosisKind = 'not-started' | 'too-early' | 'not-learning' | 'overfits' | 'learning-well';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** Two or three words for the badge. */
  label: string;
  /** One sentence saying what in the curves led to it. */
  reason: string;
}

export interface DiagnosisInput {
  /** The run's epochs so far; empty when it has none (or there is no run). */
  epochs: readonly CurvePoint[];
  /** Whether the student has any run at all. */
  hasRun: boolean;
  /** Classes of the dataset, for what guessing would score; unknown: 2 (the least a classifier has). */
  classes?: number;
}

/** Validation loss this much above its lowest, while training loss kept falling, is overfitting. */
export const OVERFIT_RISE = 0.1;
/** Training accuracy this far ahead of validation accuracy is overfitting too. */
export const OVERFIT_GAP = 0.15;
/** Accuracy within this of guessing is "cannot learn". */
export const CHANCE_MARGIN = 0.05;
/** A loss that fell by less than this share over the run did not learn. */
export const FLAT_LOSS = 0.05;

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function diagnose(input: DiagnosisInput): Diagnosis {
  const points = [...input.epochs].sort((a, b) => a.epoch - b.epoch);
  if (!input.hasRun) return { kind: 'not-started', label: 'No runs yet', reason: 'No training run yet.' };
  if (points.length === 0) return { kind: 'too-early', label: 'Just started', reason: 'The first epoch has not finished yet.' };

  const last = points[points.length - 1]!;
  if (points.some((p) => !Number.isFinite(p.loss))) {
    return { kind: 'not-learning', label: 'Not learning', reason: 'The loss became infinite or not a number: the learning rate is probably too high.' };
  }
  const chance = 1 / Math.max(2, input.classes ?? 2);
  const bestAccuracy = Math.max(...points.map((p) => p.accuracy));
  if (bestAccuracy <= chance + CHANCE_MARGIN) {
    return {
      kind: 'not-learning',
      label: 'Not learning',
      reason: `Training accuracy stays at ${pct(bestAccuracy)}, about what guessing scores (${pct(chance)}).`,
    };
  }
  if (points.length < 2) return { kind: 'too-early', label: 'Just started', reason: 'One epoch so far: too early to tell.' };

  const first = points[0]!;
  if (first.loss > 0 && (first.loss - last.loss) / first.loss < FLAT_LOSS && last.accuracy <= first.accuracy + CHANCE_MARGIN) {
    return {
      kind: 'not-learning',
      label: 'Not learning',
      reason: `Training loss hardly moved (${first.loss.toFixed(3)} → ${last.loss.toFixed(3)}).`,
    };
  }

  const withValidation = points.filter((p): p is CurvePoint & { valLoss: number } => p.valLoss !== null && Number.isFinite(p.valLoss));
  if (withValidation.length >= 3) {
    const lowest = withValidation.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
    const lastVal = withValidation[withValidation.length - 1]!;
    if (lowest.epoch < lastVal.epoch && lastVal.valLoss > lowest.valLoss * (1 + OVERFIT_RISE) && lastVal.loss < lowest.loss) {
      return {
        kind: 'overfits',
        label: 'Overfits',
        reason: `Validation loss rose from ${lowest.valLoss.toFixed(3)} (epoch ${lowest.epoch}) to ${lastVal.valLoss.toFixed(3)} while training loss kept falling.`,
      };
    }
  }
  if (last.valAccuracy !== null && last.accuracy - last.valAccuracy > OVERFIT_GAP) {
    return {
      kind: 'overfits',
      label: 'Overfits',
      reason: `Training accuracy ${pct(last.accuracy)} but validation only ${pct(last.valAccuracy)}: it memorises the training examples.`,
    };
  }
  const shown = last.valAccuracy ?? last.accuracy;
  return {
    kind: 'learning-well',
    label: 'Learning well',
    reason: `${last.valAccuracy !== null ? 'Validation' : 'Training'} accuracy ${pct(shown)} after ${points.length} epochs, loss falling.`,
  };
}
