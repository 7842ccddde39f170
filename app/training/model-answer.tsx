'use client';

import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DatasetShapeInfo } from '../../blocks/format/datasets';
import { useTRPC } from '../trpc/react';
import { dataOfRun, describeGuess, formatShare, likeliest, type Guess } from './prediction';
import { useTrainedModel, type ModelState } from './use-trained-model';

/**
 * What every "Try your model" panel shares, whatever the student gives the model (a drawing,
 * a typed row): loading the run's model, and its answer as a sentence and a bar per class.
 */

/** What TryModel hands each kind of panel. */
export interface TryPanelProps {
  id: string;
  hidden: boolean;
  runId: string;
  /** The training cell's data as it is now. */
  currentData: DatasetShapeInfo;
}

/**
 * The run's model, and the data its answers are named by. The same query as the run's
 * confusion matrix (one request for both) keeps the class names the run trained on; until it
 * answers, and if it fails, the cell's data names them.
 */
export function useRunModel(runId: string, currentData: DatasetShapeInfo): { data: DatasetShapeInfo; model: ModelState } {
  const trpc = useTRPC();
  const run = useQuery(trpc.run.get.queryOptions({ runId }));
  const data = useMemo(() => dataOfRun(currentData, run.data?.confusionMatrix?.classes), [currentData, run.data]);
  const model = useTrainedModel(runId, run.isPending ? null : data);
  return { data, model };
}

/**
 * The model's answer: loading and failures, the sentence ("Your model thinks this is …"), and
 * a bar per class. `waiting` is said while there is no example to answer for (nothing drawn,
 * a box to fix).
 */
export function ModelAnswer(props: { model: ModelState; guess: Guess | null; data: DatasetShapeInfo; waiting: string }) {
  const { model, guess, data, waiting } = props;
  const best = guess ? likeliest(guess.probabilities) : -1;
  return (
    <div className="try-model__answer">
      {model.status === 'loading' && <p role="status">Loading your trained model…</p>}
      {model.status === 'failed' && (
        <p role="alert" className="notice notice--error">
          {model.message}
        </p>
      )}
      {model.status === 'ready' && (
        <p role="status" aria-live="polite" className="try-model__sentence">
          {guess ? describeGuess(data.classes, guess.probabilities) : waiting}
        </p>
      )}
      {guess?.softmaxed && <p className="hint">Your model&apos;s last layer has no softmax, so softmax turned its outputs into the shares shown here.</p>}
      {guess && (
        <ol className="try-model__bars" aria-label={`How sure your model is of each of the ${data.classNoun}`}>
          {data.classes.map((name, index) => {
            const share = guess.probabilities[index] ?? 0;
            return (
              <li key={`${index}-${name}`} className={index === best ? 'try-model__bar try-model__bar--best' : 'try-model__bar'}>
                <span className="try-model__class">{name}</span>
                <span className="try-model__track" aria-hidden="true">
                  <span className="try-model__fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
                </span>
                <span className="try-model__share">{formatShare(share)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
