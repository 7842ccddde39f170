import type { DatasetRef } from '../format/datasets';
import { DEFAULT_TRAINING } from '../format/model-spec';
import type { TrainingCell } from '../format/notebook';
import { trainingFromWorkspace, type TrainingSettings } from '../workspace/training-from-workspace';
import { trainingWorkspace } from './training';

/** A training cell for model cell `model`, its blocks written from `settings` (defaults for the rest). */
export function newTrainingCell(
  id: string,
  model: string,
  settings: Partial<TrainingSettings> = {},
  dataset: DatasetRef = DEFAULT_TRAINING.dataset,
): TrainingCell {
  return { id, type: 'training', model, dataset, workspace: trainingWorkspace(id, settings) as Record<string, unknown> };
}

/** The same training cell with some settings changed, its blocks rewritten to say so. */
export function withTrainingSettings(cell: TrainingCell, patch: Partial<TrainingSettings>): TrainingCell {
  const settings = trainingFromWorkspace(cell.workspace).settings;
  return newTrainingCell(cell.id, cell.model, { ...settings, ...patch }, cell.dataset);
}
