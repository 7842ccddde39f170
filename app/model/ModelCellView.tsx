'use client';

import { adviseTraining } from '../../blocks/shapes/advice';
import { datasetFitDiagnostics } from '../../blocks/shapes/dataset-fit';
import { sourceInfo } from '../../blocks/spec/datasets';
import type { ModelDatasetContext } from '../training/settings';
import dynamic from 'next/dynamic';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { compileCell, type CompileResult } from '../../blocks/compile';
import { DEFAULT_TRAINING, type ModelSpec, type TrainingSpec } from '../../blocks/spec/model-spec';
import type { ModelCell } from '../../blocks/spec/notebook';
import type { SaveState } from '../notebook/autosave';
import { TrainingPanel } from '../training/TrainingPanel';
import type { WorkspaceHandle } from './BlocklyWorkspace';
import { CodeTabs } from './CodeTabs';
import { KerasFileButtons } from './KerasFileButtons';
import { DiagnosticsList, LayerTable } from './LayerSummary';
import { TemplateMenu } from './TemplateMenu';

const EDITOR_HEIGHT = 520;

const BlocklyWorkspace = dynamic(() => import('./BlocklyWorkspace'), {
  ssr: false,
  loading: () => (
    <div className="editor-placeholder" style={{ height: EDITOR_HEIGHT }}>
      Loading blocks…
    </div>
  ),
});


/**
 * One model cell: blocks on the left, the TF.js code they compile to on the right, the
 * layer table and problems below, then training. The compile result is runtime state of
 * this component; only the workspace, its spec and the training settings are persisted.
 */
export const ModelCellView = memo(function ModelCellView(props: {
  notebookId: string;
  cell: ModelCell;
  onWorkspaceChange: (cellId: string, workspace: Record<string, unknown>, spec: ModelSpec | null) => void;
  onTrainingChange: (cellId: string, training: Partial<TrainingSpec>) => void;
  flushSave: () => Promise<SaveState>;
  /** The Dataset choices and what the current one means; from the notebook, since data cells live outside this cell. */
  dataset: ModelDatasetContext;
}) {
  const { cell, onWorkspaceChange, dataset } = props;
  // The memory a model needs to train grows with the batch size, so it is part of compiling.
  const batchSize = cell.training.batchSize;
  const batchSizeRef = useRef(batchSize);
  const [compiled, setCompiled] = useState<CompileResult>(() => compileCell(cell.workspace, { batchSize }));
  const workspaceHandle = useRef<WorkspaceHandle | null>(null);
  // An imported model replaces the blocks: Blockly reads initialWorkspace once, so remount it.
  const [loaded, setLoaded] = useState<{ version: number; workspace: Record<string, unknown> } | null>(null);

  const latestWorkspace = useRef<Record<string, unknown>>(cell.workspace);

  const handleWorkspaceChange = useCallback(
    (workspace: Record<string, unknown>) => {
      latestWorkspace.current = workspace;
      const result = compileCell(workspace, { batchSize: batchSizeRef.current });
      setCompiled(result);
      onWorkspaceChange(cell.id, workspace, result.spec);
    },
    [cell.id, onWorkspaceChange],
  );

  useEffect(() => {
    if (batchSizeRef.current === batchSize) return;
    batchSizeRef.current = batchSize;
    setCompiled(compileCell(latestWorkspace.current, { batchSize }));
  }, [batchSize]);

  /** Imports and templates replace the blocks: Blockly reads initialWorkspace once, so remount it. */
  const replaceWorkspace = useCallback(
    (workspace: Record<string, unknown>) => {
      handleWorkspaceChange(workspace);
      setLoaded((previous) => ({ version: (previous?.version ?? 0) + 1, workspace }));
    },
    [handleWorkspaceChange],
  );

  // "Learns badly" warnings need the training settings and dataset too; they never block training.
  const classCount = dataset.resolved.ok ? sourceInfo(dataset.resolved.source).classes.length : undefined;
  const diagnostics = useMemo(
    () => (compiled.spec ? [...compiled.diagnostics, ...adviseTraining(compiled.spec, compiled.layers, cell.training, { classCount })] : compiled.diagnostics),
    [compiled, cell.training, classCount],
  );
  const errorCount = compiled.diagnostics.filter((d) => d.severity === 'error').length;
  const modelProblem = useMemo(() => {
    if (errorCount > 0) {
      return errorCount === 1
        ? 'Fix the problem in your model first (see the list above).'
        : `Fix the ${errorCount} problems in your model first (see the list above).`;
    }
    if (!compiled.spec || compiled.layers.length === 0) return 'Add an Input block and some layers to your model first.';
    if (!dataset.resolved.ok) return dataset.resolved.message;
    const [misfit] = datasetFitDiagnostics(compiled, sourceInfo(dataset.resolved.source));
    return misfit ? `${misfit.message} ${misfit.fix}` : null;
  }, [errorCount, compiled, dataset.resolved]);

  return (
    <div className="model-cell">
      <div className="model-cell__editors">
        <div className="model-cell__pane">
          <div className="pane-title-row">
            <h3 className="pane-title">Blocks</h3>
            <TemplateMenu currentWorkspace={() => latestWorkspace.current} onLoad={replaceWorkspace} />
          </div>
          <BlocklyWorkspace
            key={loaded?.version ?? 0}
            initialWorkspace={loaded?.workspace ?? cell.workspace}
            diagnostics={diagnostics}
            height={EDITOR_HEIGHT}
            onChange={handleWorkspaceChange}
            onReady={(handle) => {
              workspaceHandle.current = handle;
            }}
          />
        </div>
        <div className="model-cell__pane">
          <h3 className="pane-title">
            Code <span className="pane-title__note">(made from your blocks)</span>
          </h3>
          <CodeTabs tfjsCode={compiled.code} spec={compiled.spec} height={EDITOR_HEIGHT - 44} />
          <KerasFileButtons
            spec={compiled.spec}
            onImport={replaceWorkspace}
          />
        </div>
      </div>

      <div className="model-cell__summary">
        <div>
          <h3 className="pane-title">Layers and shapes</h3>
          <LayerTable
            layers={compiled.layers}
            totalParams={compiled.totalParams}
            diagnostics={diagnostics}
            training={{ bytes: compiled.trainingBytes, batchSize: DEFAULT_TRAINING.batchSize }}
          />
        </div>
        <div>
          <h3 className="pane-title">Checks</h3>
          <DiagnosticsList
            diagnostics={diagnostics}
            onSelect={(blockId) => workspaceHandle.current?.showBlock(blockId)}
            onFix={(d) => {
              if (d.quickFix) workspaceHandle.current?.applyQuickFix(d.quickFix);
            }}
          />
        </div>
      </div>

      <TrainingPanel
        notebookId={props.notebookId}
        cellId={cell.id}
        training={cell.training}
        datasetChoices={dataset.choices}
        resolvedDataset={dataset.resolved}
        modelProblem={modelProblem}
        onTrainingChange={props.onTrainingChange}
        flushSave={props.flushSave}
      />
    </div>
  );
});
