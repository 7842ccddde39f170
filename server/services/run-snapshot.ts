/**
 * The one reading point for the settings a run stored when it was queued (runs.training):
 * parsed with the schema, so nothing reads that jsonb unchecked (every field added since the
 * first release is optional, so older runs parse as they are). The spec snapshot beside it
 * (runs.spec) is written for the record and read by nothing yet; a reader would go through
 * migrateSpec (blocks/spec/migrations.ts) the same way.
 */
import { trainingSpecSchema, type TrainingSpec } from '../../blocks/format/model-spec';

/** The settings a run trained with, or null when what is stored is damaged. */
export function readRunTraining(stored: unknown): TrainingSpec | null {
  const parsed = trainingSpecSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}
