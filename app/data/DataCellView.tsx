'use client';

import { memo, useEffect, useId, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  BUILT_IN_DATASETS,
  BUILT_IN_DATASET_IDS,
  builtInSource,
  isBuiltInDatasetId,
  type BuiltInSource,
  type DataSource,
  type PlaygroundOptions,
} from '../../blocks/format/datasets';
import type { DataCell } from '../../blocks/format/notebook';
import { describeApiError } from '../trpc/errors';
import { useTRPC } from '../trpc/react';
import { CsvUpload } from './CsvUpload';
import { datasetOptionLabel, groupByOrigin, whoseData } from './dataset-origin';
import { BuiltInPreview, ClassBalance, PicturePreviewGrid, PreviewTable } from './DataPreview';
import './data-cell.css';
import { PLAYGROUND_SETTINGS, parsePlaygroundSetting, type PlaygroundSetting } from './options';
import { IdxUpload } from './IdxUpload';
import { PicturesByClassUpload } from './PicturesByClassUpload';
import { PictureZipUpload } from './PictureZipUpload';
import { DeleteDataset } from './DeleteDataset';
import { ShareDataset } from './ShareDataset';
import { formatCount } from '../lib/count';

/**
 * One data cell: which dataset (built-in, or one of the student's uploads), its settings,
 * and a preview. Model cells below it can pick it as their training data.
 */
export const DataCellView = memo(function DataCellView(props: {
  cell: DataCell;
  onSourceChange: (cellId: string, source: DataSource) => void;
}) {
  const { cell, onSourceChange } = props;
  const idPrefix = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const uploads = useQuery(trpc.dataset.list.queryOptions());
  const source = cell.source;
  const value = source.kind === 'builtIn' ? source.id : `upload:${source.datasetId}`;

  function choose(choice: string) {
    if (isBuiltInDatasetId(choice)) return onSourceChange(cell.id, builtInSource(choice));
    const uploaded = uploads.data?.find((d) => `upload:${d.id}` === choice);
    if (uploaded) onSourceChange(cell.id, uploadSource(uploaded));
  }

  // A fresh upload (table or pictures) joins the dataset list and becomes this cell's data.
  function adoptUpload(dataset: Parameters<typeof uploadSource>[0]) {
    void queryClient.invalidateQueries({ queryKey: trpc.dataset.list.queryKey() });
    onSourceChange(cell.id, uploadSource(dataset));
  }

  return (
    <div className="data-cell">
      <fieldset className="settings">
        <legend className="visually-hidden">Dataset settings</legend>
        <div className="field field--choice">
          <label htmlFor={`${idPrefix}-dataset`}>Data</label>
          <select id={`${idPrefix}-dataset`} value={value} onChange={(event) => choose(event.target.value)}>
            <optgroup label="Built-in datasets">
              {BUILT_IN_DATASET_IDS.map((id) => (
                <option key={id} value={id}>{BUILT_IN_DATASETS[id].label}</option>
              ))}
            </optgroup>
            {groupByOrigin(uploads.data ?? []).map((group, index) => (
              <optgroup key={group.label} label={group.label}>
                {index === 0 && source.kind === 'upload' && !uploads.data?.some((d) => d.id === source.datasetId) && <option value={value}>{source.name}</option>}
                {group.datasets.map((d) => (
                  <option key={d.id} value={`upload:${d.id}`}>{datasetOptionLabel(d)}</option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {source.kind === 'builtIn' && source.options && (
          <PlaygroundOptionFields
            key={source.id}
            idPrefix={idPrefix}
            options={source.options}
            onChange={(options) => onSourceChange(cell.id, { ...source, options })}
          />
        )}
      </fieldset>
      {source.kind === 'builtIn' ? <BuiltInSection source={source} /> : <UploadSection source={source} />}
      <details className="data-cell__upload">
        <summary>Use your own data (CSV file or pictures)</summary>
        <CsvUpload onImported={adoptUpload} />
        <PictureZipUpload onImported={adoptUpload} />
        <PicturesByClassUpload onImported={adoptUpload} />
      </details>
      <details className="data-cell__upload">
        <summary>Import IDX files (MNIST, Fashion-MNIST, KMNIST)</summary>
        <IdxUpload onImported={adoptUpload} />
      </details>
    </div>
  );
});

function uploadSource(dataset: { id: string; name: string; inputShape: number[]; classes: string[] }): DataSource {
  return { kind: 'upload', datasetId: dataset.id, name: dataset.name, inputShape: dataset.inputShape, classes: dataset.classes };
}

function BuiltInSection({ source }: { source: BuiltInSource }) {
  const trpc = useTRPC();
  const info = BUILT_IN_DATASETS[source.id];
  // Settings change as the student types; wait for a pause before asking for new points.
  const debounced = useDebounced(source, 300);
  const preview = useQuery({ ...trpc.dataset.preview.queryOptions({ source: debounced }), placeholderData: keepPreviousData, staleTime: Infinity });
  return (
    <>
      <p className="data-cell__about">
        {info.description} Each example is {info.inputShape.join('×')} numbers; there are {info.classes.length} {info.classNoun}: {info.classes.join(', ')}.
      </p>
      {preview.isError && <p role="alert" className="field__error">Could not load the preview: {describeApiError(preview.error).message}</p>}
      {preview.data ? <BuiltInPreview preview={preview.data} name={info.name} /> : !preview.isError && <p role="status">Loading the preview…</p>}
    </>
  );
}

function UploadSection({ source }: { source: Extract<DataSource, { kind: 'upload' }> }) {
  const trpc = useTRPC();
  const details = useQuery(trpc.dataset.get.queryOptions({ id: source.datasetId }));
  // A deleted (or no longer shared) dataset: the cell keeps its choice, says why it has no data
  // (the server's sentence, which says how to pick another) and leaves the Data list above to change it.
  if (details.isError) {
    return (
      <p role="alert" className="notice notice--error data-cell__gone">
        <strong>“{source.name}”:</strong> {describeApiError(details.error).message}
      </p>
    );
  }
  if (!details.data) return <p role="status">Loading the preview…</p>;
  const d = details.data;
  return (
    <>
      {'kind' in d.preview ? (
        <>
          <p className="data-cell__about">
            {d.name}: {whoseData(d.origin, 'pictures')}, each {d.inputShape.join('×')} numbers ({d.inputShape[0]}×{d.inputShape[1]} pixels,{' '}
            {d.inputShape[2] === 3 ? 'colour' : 'grey'}); there are {d.classes.length} classes: {d.classes.join(', ')}. {formatCount(d.trainSize)} pictures for training,{' '}
            {formatCount(d.validationSize)} for checking, {formatCount(d.testSize)} for the final test.
          </p>
          <div className="data-preview">
            <PicturePreviewGrid preview={d.preview} name={d.name} />
            {d.preview.balance && <ClassBalance balance={d.preview.balance} />}
          </div>
        </>
      ) : (
        <>
          <p className="data-cell__about">
            {d.name}: {whoseData(d.origin, 'table')}. Each example is {d.inputShape.join('×')} numbers; there are {d.classes.length} classes: {d.classes.join(', ')}. {formatCount(d.trainSize)}{' '}
            rows for training, {formatCount(d.validationSize)} for checking, {formatCount(d.testSize)} for the final test.
          </p>
          <div className="data-preview">
            <PreviewTable caption={`The first training and checking rows of ${d.name} (${formatCount(d.preview.rowCount)} in all; test rows are never shown)`} columns={d.preview.columns.map((c) => c.name)} rows={d.preview.rows} />
            {d.preview.balance && <ClassBalance balance={d.preview.balance} />}
          </div>
        </>
      )}
      {d.origin.kind === 'yours' && (
        <>
          <ShareDataset dataset={{ id: d.id, name: d.name, origin: d.origin }} />
          <DeleteDataset dataset={{ id: d.id, name: d.name, origin: d.origin }} />
        </>
      )}
    </>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

function PlaygroundOptionFields(props: { idPrefix: string; options: PlaygroundOptions; onChange: (options: PlaygroundOptions) => void }) {
  // The typed text is kept apart from the stored number, so a half-typed value is not thrown away.
  const [texts, setTexts] = useState<Record<PlaygroundSetting, string>>(() => ({
    size: String(props.options.size),
    noise: String(props.options.noise),
    seed: String(props.options.seed),
  }));
  return (
    <>
      {(Object.keys(PLAYGROUND_SETTINGS) as PlaygroundSetting[]).map((field) => {
        const setting = PLAYGROUND_SETTINGS[field];
        const id = `${props.idPrefix}-${field}`;
        const parsed = parsePlaygroundSetting(field, texts[field]);
        const error = parsed.ok ? null : parsed.message;
        return (
          <div className="field field--number" key={field}>
            <label htmlFor={id}>{setting.label}</label>
            <input
              id={id}
              type="number"
              step={setting.step}
              value={texts[field]}
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-note`}
              onChange={(event) => {
                const text = event.target.value;
                setTexts((current) => ({ ...current, [field]: text }));
                const next = parsePlaygroundSetting(field, text);
                if (next.ok) props.onChange({ ...props.options, [field]: next.value });
              }}
            />
            <p id={`${id}-note`} className={error ? 'field__error' : 'field__help'}>
              {error ?? setting.help}
            </p>
          </div>
        );
      })}
    </>
  );
}
