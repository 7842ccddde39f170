import type * as tfType from '@tensorflow/tfjs';
import { extraMetrics, metricLogName, type ExtraMetric } from '../../blocks/catalog/training';
import type { Metric } from '../../blocks/format/model-spec';
import type { Tf } from './backend';

/**
 * The metrics a training cell asks for beyond loss and accuracy, measured the way Keras's
 * Precision(), Recall() and mean errors do for one-hot class labels.
 *
 * TF.js's own metrics don't do this: its precision counts only outputs exactly equal to 1 (a
 * softmax output almost never is, so it reads about 0) and it has no recall by name; and TF.js
 * reports each metric per batch, while precision over a whole epoch is not the average of the
 * batches' precisions. So the model is compiled with per-example *quantities* whose means are
 * exact over any number of batches (true positives, confident answers, class counts, errors),
 * and the metrics are worked out from the means at the end of an epoch.
 */
type Quantity = 'absoluteError' | 'squaredError' | 'truePositives' | 'predictedPositives' | 'actualPositives';

const QUANTITIES_OF: Record<ExtraMetric, readonly Quantity[]> = {
  precision: ['truePositives', 'predictedPositives'],
  recall: ['truePositives', 'actualPositives'],
  meanAbsoluteError: ['absoluteError'],
  meanSquaredError: ['squaredError'],
};

type MetricFn = (yTrue: tfType.Tensor, yPred: tfType.Tensor) => tfType.Tensor;

export interface MetricPlan {
  /** The metrics requested, in the catalogue's order. */
  metrics: ExtraMetric[];
  /** For model.compile: accuracy first (the charts need it), then the quantities. */
  compileMetrics: Array<string | MetricFn>;
  /** How many quantities come back after the loss and accuracy (trainOnBatch, evaluate). */
  quantityCount: number;
  /**
   * The metrics from the example-weighted means of the quantities, named as in a run's
   * per-epoch figures (EpochMetrics.extra): "precision", or "val_precision" for validation rows.
   */
  figures(quantityMeans: readonly number[], validation: boolean): Record<string, number>;
}

export function planMetrics(tf: Tf, requested: readonly Metric[] | undefined, labels: { classCount: number; sparse: boolean }): MetricPlan {
  const metrics = extraMetrics(requested);
  const quantities = [...new Set(metrics.flatMap((m) => QUANTITIES_OF[m]))];

  // Sparse losses get class numbers ([n, 1]); every quantity is about one-hot rows.
  const oneHot = (yTrue: tfType.Tensor): tfType.Tensor =>
    labels.sparse ? tf.cast(tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), labels.classCount), 'float32') : yTrue;
  // Keras counts an output above 0.5 as a "yes" (its default threshold).
  const yes = (yPred: tfType.Tensor) => tf.greater(yPred, 0.5);
  const perExample: Record<Quantity, MetricFn> = {
    absoluteError: (y, p) => tf.mean(tf.abs(tf.sub(oneHot(y), p)), -1),
    squaredError: (y, p) => tf.mean(tf.square(tf.sub(oneHot(y), p)), -1),
    truePositives: (y, p) => tf.sum(tf.cast(tf.logicalAnd(tf.equal(oneHot(y), 1), yes(p)), 'float32'), -1),
    predictedPositives: (_y, p) => tf.sum(tf.cast(yes(p), 'float32'), -1),
    actualPositives: (y) => tf.sum(tf.cast(tf.equal(oneHot(y), 1), 'float32'), -1),
  };
  // TF.js names a metric function after the function; distinct names keep its bookkeeping apart.
  const named = (quantity: Quantity): MetricFn => Object.defineProperty(perExample[quantity], 'name', { value: `layerbook_${quantity}` });

  return {
    metrics,
    compileMetrics: ['accuracy', ...quantities.map(named)],
    quantityCount: quantities.length,
    figures(means, validation) {
      const mean = (q: Quantity) => means[quantities.indexOf(q)] ?? NaN;
      const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
      const values: Record<ExtraMetric, () => number> = {
        precision: () => ratio(mean('truePositives'), mean('predictedPositives')),
        recall: () => ratio(mean('truePositives'), mean('actualPositives')),
        meanAbsoluteError: () => mean('absoluteError'),
        meanSquaredError: () => mean('squaredError'),
      };
      return Object.fromEntries(metrics.map((m) => [metricLogName(m, validation), values[m]()]));
    },
  };
}
