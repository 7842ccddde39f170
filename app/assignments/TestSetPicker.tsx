'use client';

import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { hiddenTestSetProblem, inputColumnsOf, type DataSource, type TestSetFacts } from '../../blocks/format/datasets';
import type { NotebookData } from '../../blocks/format/notebook';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';

/** What the picker holds: '' for the test split of the notebook's data, else the id of one of the teacher's uploads. */
export type TestSetChoice = string;

/**
 * The teacher's uploads a hidden test set can be picked from, the one picked, and why it
 * cannot be, if so: the same sentence the server would answer (hiddenTestSetProblem), so the
 * form can say it at once and hold back its button. `source` is what to send (null: the test
 * split of the notebook's data).
 */
export function useTestSetChoice(notebookData: NotebookData | null, notebookUploadIds: readonly string[], choice: TestSetChoice) {
  const trpc = useTRPC();
  const list = useQuery(trpc.dataset.list.queryOptions());
  const own = useMemo(() => (list.data ?? []).filter((d) => d.origin.kind === 'yours'), [list.data]);
  const chosen = own.find((d) => d.id === choice) ?? null;
  // Only CSV uploads have columns to compare; their encodings come with the details.
  const chosenDetails = useQuery({ ...trpc.dataset.get.queryOptions({ id: chosen?.id ?? '' }), enabled: chosen?.format === 'csv' });
  const trainingId = notebookData?.datasetId ?? null;
  const trainingDetails = useQuery({ ...trpc.dataset.get.queryOptions({ id: trainingId ?? '' }), enabled: chosen?.format === 'csv' && trainingId !== null });

  const problem = useMemo(() => {
    if (!chosen || chosen.origin.kind !== 'yours') return null;
    const training: TestSetFacts | null = notebookData && { ...notebookData, inputColumns: trainingDetails.data ? inputColumnsOf(trainingDetails.data.encodings) : undefined };
    return hiddenTestSetProblem(training, {
      name: chosen.name,
      inputShape: chosen.inputShape,
      classes: chosen.classes,
      inputColumns: chosenDetails.data ? inputColumnsOf(chosenDetails.data.encodings) : undefined,
      visibility: chosen.origin.visibility,
      sharedWith: chosen.origin.sharedWith.map((s) => s.className),
      usedByNotebook: notebookUploadIds.includes(chosen.id),
    });
  }, [chosen, chosenDetails.data, trainingDetails.data, notebookData, notebookUploadIds]);

  const source: DataSource | null = chosen ? { kind: 'upload', datasetId: chosen.id, name: chosen.name, inputShape: chosen.inputShape, classes: chosen.classes } : null;
  return { own, chosen, source, problem, loadError: list.isError ? describeApiError(list.error).message : null };
}

/** Where hand-ins are graded: the test split of the notebook's data, or one of the teacher's own uploads, every example of which grades. */
export function TestSetPicker(props: {
  id: string;
  notebookData: NotebookData | null;
  state: ReturnType<typeof useTestSetChoice>;
  onChoose: (choice: TestSetChoice) => void;
}) {
  const { own, chosen, problem, loadError } = props.state;
  const hintId = `${props.id}-hint`;
  const problemId = `${props.id}-problem`;
  const examples = chosen ? chosen.trainSize + chosen.validationSize + chosen.testSize : 0;
  return (
    <div className="test-set-picker">
      <div className="field">
        <label htmlFor={props.id}>Hidden test set</label>
        <select
          id={props.id}
          value={chosen ? chosen.id : ''}
          aria-describedby={problem ? problemId : hintId}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => props.onChoose(e.target.value)}
        >
          <option value="">{props.notebookData ? `Test split of the notebook’s data (${props.notebookData.name})` : 'The notebook’s data (it has none yet)'}</option>
          {own.length > 0 && (
            <optgroup label="Your uploads: every example grades">
              {own.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({(d.trainSize + d.validationSize + d.testSize).toLocaleString('en-US')} examples)
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      {problem && (
        <p id={problemId} role="alert" className="field__error">
          {problem}
        </p>
      )}
      {!problem && (
        <p id={hintId} className="hint">
          {chosen
          ? `All ${examples.toLocaleString('en-US')} examples of “${chosen.name}” grade each hand-in (its own train, validation and test split is not used). Students never see it, and it cannot be shared while this assignment uses it.`
          : props.notebookData
            ? `Hand-ins are graded on the test split of “${props.notebookData.name}”, which training never uses and students never see. To grade on examples of your own, upload them as a dataset and pick it here; keep it unshared.`
            : 'Add a training cell with data to the notebook, or upload examples of your own and pick them here.'}
        </p>
      )}
      {loadError && <p role="alert" className="field__error">Could not load your datasets: {loadError}</p>}
    </div>
  );
}
