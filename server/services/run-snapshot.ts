/**
 * The one reading point for what a run stored as jsonb: the settings it was queued with
 * (runs.training) and, once finished, its confusion matrix (runs.confusion_matrix). The settings are
 * parsed with the schema, so nothing reads that jsonb unchecked (every field added since the
 * first release is optional, so older runs parse as they are). The spec snapshot beside it
 * (runs.spec) is written for the record and read by nothing yet; a reader would go through
 * migrateSpec (blocks/spec/migrations.ts) the same way.
 */
import { confusionMatrixSchema, type ConfusionMatrix } from '../../blocks/format/confusion-matrix';
import { dataSourceSchema, type DataSource } from '../../blocks/format/datasets';
import { trainingSpecSchema, type TrainingSpec } from '../../blocks/format/model-spec';

/** The settings a run trained with, or null when what is stored is damaged. */
export function readRunTraining(stored: unknown): TrainingSpec | null {
  const parsed = trainingSpecSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * The confusion matrix a run stored when it finished (runs.confusion_matrix), or null when it
 * has none or what is stored is damaged: the matrix is extra detail, and the run reads
 * without it.
 */
export function readRunConfusionMatrix(stored: unknown): ConfusionMatrix | null {
  const parsed = confusionMatrixSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * The data a run trained on (runs.data_source), or null for a run from before it was kept (or
 * a damaged one): its results views then fall back to the training cell's data as it is now.
 */
export function readRunDataSource(stored: unknown): DataSource | null {
  const parsed = dataSourceSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
