'use client';

import { useId, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { DataSource, DatasetShapeInfo } from '../../blocks/format/datasets';
import { encodeTableRow, type TableColumn } from '../../blocks/format/table-inputs';
import { useTRPC } from '../trpc/react';
import { ModelAnswer, useRunModel, type TryPanelProps } from './model-answer';
import type { ModelState } from './use-trained-model';
import { asGuess } from './prediction';
import { blankRow, builtInTableSetup, uploadTableSetup, type TableSetup } from './table-row';

/**
 * "Try your model" for a table (iris, a CSV upload): a box per number column in the file's own
 * units and a choice per category column, filled with a real training or validation row. As
 * the student changes a value the model answers again; the row is encoded exactly as the
 * trainer encoded its rows (encodeTableRow with the data's stored encodings).
 */
export function TableRowPanel(props: TryPanelProps & { source: DataSource }) {
  const { id, hidden, runId, currentData, source } = props;
  const { data, model } = useRunModel(runId, currentData);
  const setup = useTableSetup(source, currentData.inputShape.reduce((a, b) => a * b, 1));
  return (
    <div id={id} className="try-model__panel" hidden={hidden}>
      {setup === null && <p role="status">Loading the columns of {currentData.name}…</p>}
      {setup?.ok === false && <p className="notice notice--warning">{setup.message}</p>}
      {setup?.ok && <TableRowForm setup={setup} model={model} data={data} />}
    </div>
  );
}

/** The columns and examples of the cell's data: iris's come with its preview, an upload's with its details (both already asked for by its data cell). */
function useTableSetup(source: DataSource, inputCount: number): TableSetup | null {
  const trpc = useTRPC();
  const builtIn = source.kind === 'builtIn' ? source : null;
  const upload = source.kind === 'upload' ? source : null;
  const preview = useQuery({
    ...trpc.dataset.preview.queryOptions({ source: builtIn ?? { kind: 'builtIn', id: 'iris' } }),
    enabled: builtIn !== null,
    staleTime: Infinity,
  });
  const details = useQuery({ ...trpc.dataset.get.queryOptions({ id: upload?.datasetId ?? '' }), enabled: upload !== null });
  return useMemo(() => {
    if (builtIn) return preview.data ? builtInTableSetup(preview.data, inputCount) : preview.error ? { ok: false, message: preview.error.message } : null;
    return details.data ? uploadTableSetup(details.data, inputCount) : details.error ? { ok: false, message: details.error.message } : null;
  }, [builtIn, preview.data, preview.error, details.data, details.error, inputCount]);
}

function TableRowForm(props: { setup: Extract<TableSetup, { ok: true }>; model: ModelState; data: DatasetShapeInfo }) {
  const { setup, model, data } = props;
  const { columns, examples, encodings } = setup;
  const idPrefix = useId();
  const [exampleAt, setExampleAt] = useState(0);
  const example = examples[exampleAt] ?? null;
  // What the student typed, column by column; null while the row is the example as it is.
  const [typed, setTyped] = useState<Record<string, string> | null>(null);
  const row = typed ?? example?.values ?? blankRow(columns);
  const changed = example !== null && columns.some((c) => row[c.name] !== example.values[c.name]);

  const encoded = useMemo(() => encodeTableRow(encodings, (column) => row[column]), [encodings, row]);
  const problemOf = (column: string) => (encoded.ok ? undefined : encoded.problems.find((p) => p.column === column)?.message);
  const guess = useMemo(() => (model.status === 'ready' && encoded.ok ? asGuess(model.model.predict(encoded.values)) : null), [model, encoded]);

  function anotherExample() {
    const next = (exampleAt + 1) % examples.length;
    setExampleAt(next);
    setTyped(null);
  }
  const change = (column: string, value: string) => setTyped({ ...row, [column]: value });

  const instructionId = `${idPrefix}-instruction`;
  return (
    <>
      <p id={instructionId} className="try-model__instruction">
        Change the values of {data.exampleName} and your model answers as you type.
        {examples.length > 0 ? ' The boxes start with a real one from the training and validation rows.' : ''}
      </p>
      <div className="try-model__layout">
        <fieldset className="try-model__row" aria-describedby={instructionId}>
          <legend className="visually-hidden">Your example</legend>
          <div className="try-model__fields">
            {columns.map((column, index) => (
              <ColumnField
                key={column.name}
                id={`${idPrefix}-${index}`}
                column={column}
                value={row[column.name] ?? ''}
                problem={problemOf(column.name)}
                onChange={(value) => change(column.name, value)}
              />
            ))}
          </div>
          {examples.length > 0 && (
            <div className="try-model__tools">
              <button type="button" className="button" onClick={anotherExample} disabled={examples.length < 2 && !changed}>
                {changed && examples.length < 2 ? 'Back to the example' : 'Another example'}
              </button>
              {example && (
                <p className="try-model__truth" role="status">
                  {changed ? 'You changed this example; it really was ' : `Example ${exampleAt + 1} of ${examples.length}: really `}
                  <strong>{example.label}</strong>.
                </p>
              )}
            </div>
          )}
        </fieldset>

        <ModelAnswer
          model={model}
          guess={guess}
          data={data}
          // Said only while a box needs fixing: a readable row always has an answer.
          waiting="Fix the boxes marked in red, and your model answers."
        />
      </div>
    </>
  );
}

/** One column's box (a number in the file's units) or choice (a category's values), with its problem beside it. */
function ColumnField(props: { id: string; column: TableColumn; value: string; problem: string | undefined; onChange: (value: string) => void }) {
  const { id, column, value, problem, onChange } = props;
  const problemId = `${id}-problem`;
  return (
    <div className="field">
      <label htmlFor={id}>{column.name}</label>
      {column.kind === 'number' ? (
        <input
          id={id}
          type="text"
          // A number keyboard on phones; the box itself takes any text, so a wrong one can be named.
          inputMode="decimal"
          autoComplete="off"
          value={value}
          maxLength={40}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
          {column.values.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      )}
      {problem && (
        <p id={problemId} className="field__error">
          {problem}
        </p>
      )}
    </div>
  );
}
