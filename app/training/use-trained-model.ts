'use client';

import { useEffect, useState } from 'react';
import type { DatasetShapeInfo } from '../../blocks/format/datasets';
import { loadTrainedModel, ModelDoesNotFit, type TrainedModel } from './trained-model';

export type ModelState = { status: 'loading' } | { status: 'ready'; model: TrainedModel } | { status: 'failed'; message: string };

/**
 * Loads TF.js and a run's model into the page once the data to check it against is known
 * (null until then: nothing loads); frees the model's memory when the component goes. Shared
 * by "Try your model" (model-answer.tsx) and the decision map (DecisionMap.tsx).
 */
export function useTrainedModel(runId: string, data: Pick<DatasetShapeInfo, 'inputShape' | 'classes'> | null): ModelState {
  const [state, setState] = useState<ModelState>({ status: 'loading' });
  const shapeKey = data?.inputShape.join(',');
  const classCount = data?.classes.length;
  useEffect(() => {
    if (shapeKey === undefined || classCount === undefined) return;
    let cancelled = false;
    let loaded: TrainedModel | null = null;
    loadTrainedModel(runId, shapeKey.split(',').map(Number), classCount).then(
      (model) => {
        if (cancelled) return model.dispose();
        loaded = model;
        setState({ status: 'ready', model });
      },
      (error: unknown) => {
        if (cancelled) return;
        const message =
          error instanceof ModelDoesNotFit
            ? error.message
            : `Could not load your trained model (${error instanceof Error ? error.message : String(error)}). Reload the page and try again.`;
        setState({ status: 'failed', message });
      },
    );
    return () => {
      cancelled = true;
      loaded?.dispose();
    };
  }, [runId, shapeKey, classCount]);
  return state;
}
