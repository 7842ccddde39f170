'use client';

import { memo, useCallback, useId, useMemo, useRef } from 'react';
import type { CodeLanguage } from '../../blocks/codegen/languages';
import type { TrainingLanguage } from '../../blocks/codegen/emit-training';
import type { CompiledTraining } from '../../blocks/compile-notebook';
import { datasetFitDiagnostics } from '../../blocks/shapes/dataset-fit';
import { formatBytes } from '../../blocks/shapes/memory';
import type { DatasetRef } from '../../blocks/format/datasets';
import { hasErrors } from '../../blocks/format/diagnostic';
import type { TrainingCell } from '../../blocks/format/notebook';
import type { WorkspaceHandle } from '../model/BlocklyWorkspace';
import { CodeTabs } from '../model/CodeTabs';
import { lazyBlocklyWorkspace } from '../model/lazy-blockly';
import { DiagnosticsList } from '../model/LayerSummary';
import type { SaveState } from '../lib/autosave';
import { RunPanel } from './RunPanel';
import { TrainedOnData } from './TryModel';
import { valueToDatasetRef, datasetRefToValue, type TrainingCellContext } from './settings';
import './training-cell.css';

// Tall enough that the whole compile-and-fit code shows without scrolling, with a metric or two.
const EDITOR_HEIGHT = 480;

const BlocklyWorkspace = lazyBlocklyWorkspace(EDITOR_HEIGHT);

/**
 * One training cell: which model and which data (the header), the setting blocks on the left
 * and the code they compile to on the right, the checks, then Train and the runs. Only the
 * workspace and the two choices are persisted; the compile (with the model it trains and the
 * data) comes from the notebook's one compiler (blocks/compile-notebook.ts).
 */
export const TrainingCellView = memo(function TrainingCellView(props: {
  notebookId: string;
  cell: TrainingCell;
  compiled: CompiledTraining;
  context: TrainingCellContext;
  onWorkspaceChange: (cellId: string, workspace: Record<string, unknown>) => void;
  onModelChange: (cellId: string, model: string) => void;
  onDatasetChange: (cellId: string, dataset: DatasetRef) => void;
  flushSave: () => Promise<SaveState>;
  /** Locked by the teacher: it can be trained, but its model, data and settings cannot change. */
  readOnly?: boolean;
}) {
  const { cell, context, onWorkspaceChange, readOnly = false } = props;
  const idPrefix = useId();
  const workspaceHandle = useRef<WorkspaceHandle | null>(null);

  const handleWorkspaceChange = useCallback((next: Record<string, unknown>) => onWorkspaceChange(cell.id, next), [cell.id, onWorkspaceChange]);

  const { model, data, result: compiled } = props.compiled;
  const dataset = cell.dataset;

  const resolvedSource = context.resolvedDataset.ok ? context.resolvedDataset.source : null;
  const trainedOn = useMemo(() => (data && resolvedSource ? { info: data.info, source: resolvedSource } : null), [data, resolvedSource]);

  const modelName = context.modelPosition === null ? 'the model' : `the model in cell ${context.modelPosition}`;
  const blockedReason = useMemo(() => {
    if (!context.resolvedModel.ok) return context.resolvedModel.message;
    if (!model || hasErrors(model.diagnostics)) {
      const count = model?.diagnostics.filter((d) => d.severity === 'error').length ?? 0;
      return count > 1 ? `Fix the ${count} problems in ${modelName} first.` : `Fix the problem in ${modelName} first.`;
    }
    if (!model.spec || model.layers.length === 0) return `Add an Input block and some layers to ${modelName} first.`;
    if (!context.resolvedDataset.ok) return context.resolvedDataset.message;
    const [misfit] = data ? datasetFitDiagnostics(model, data.info) : [];
    if (misfit) return `${misfit.message} ${misfit.fix}`;
    if (hasErrors(compiled.diagnostics)) return 'Fix the problems in the training blocks first (see Checks).';
    return null;
  }, [context.resolvedModel, context.resolvedDataset, model, modelName, data, compiled.diagnostics]);

  const code = compiled.code;
  const codeFor = useCallback((language: CodeLanguage) => code[language.id as TrainingLanguage] ?? '', [code]);

  return (
    <div className="training-cell">
      <fieldset className="training-cell__header">
        <legend className="visually-hidden">What to train, on which data</legend>
        <div className="field field--choice">
          <label htmlFor={`${idPrefix}-model`}>Model</label>
          <select id={`${idPrefix}-model`} value={cell.model} disabled={readOnly} onChange={(event) => props.onModelChange(cell.id, event.target.value)}>
            {context.modelChoices.map((choice) => (
              <option key={choice.value} value={choice.value} disabled={choice.value === ''}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--choice">
          <label htmlFor={`${idPrefix}-dataset`}>Dataset</label>
          <select
            id={`${idPrefix}-dataset`}
            value={datasetRefToValue(dataset)}
            disabled={readOnly}
            onChange={(event) => {
              const ref = valueToDatasetRef(event.target.value);
              if (ref) props.onDatasetChange(cell.id, ref);
            }}
          >
            {context.datasetChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>{choice.label}</option>
            ))}
          </select>
        </div>
      </fieldset>
      {!context.resolvedModel.ok && <p className="notice notice--warning">{context.resolvedModel.message}</p>}
      {!context.resolvedDataset.ok && <p className="notice notice--warning">{context.resolvedDataset.message}</p>}

      <div className="model-cell__editors">
        <div className="model-cell__pane">
          <h3 className="pane-title">Training blocks</h3>
          <BlocklyWorkspace
            kind="training"
            initialWorkspace={cell.workspace}
            diagnostics={compiled.diagnostics}
            height={EDITOR_HEIGHT}
            onChange={handleWorkspaceChange}
            readOnly={readOnly}
            onReady={(handle) => {
              workspaceHandle.current = handle;
            }}
          />
        </div>
        <div className="model-cell__pane">
          <h3 className="pane-title">
            Code <span className="pane-title__note">(continues the model&apos;s code)</span>
          </h3>
          <CodeTabs codeFor={codeFor} height={EDITOR_HEIGHT - 44} />
        </div>
      </div>

      <div className="training-cell__checks">
        <h3 className="pane-title">Checks</h3>
        <DiagnosticsList
          diagnostics={compiled.diagnostics}
          okText="No problems with these settings."
          onSelect={(blockId) => workspaceHandle.current?.showBlock(blockId)}
        />
        {compiled.trainingBytes > 0 && (
          <p className="hint training-cell__memory">
            Memory to train with batches of {compiled.training.batchSize}: about {formatBytes(compiled.trainingBytes)}.
          </p>
        )}
      </div>

      <TrainedOnData value={trainedOn}>
        <RunPanel
          notebookId={props.notebookId}
          cellId={cell.id}
          epochs={compiled.training.epochs}
          blockedReason={blockedReason}
          flushSave={props.flushSave}
        />
      </TrainedOnData>
    </div>
  );
});
