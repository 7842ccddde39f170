'use client';

import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { CodeLanguage } from '../../blocks/codegen/languages';
import type { CompileResult } from '../../blocks/compile';
import type { Diagnostic } from '../../blocks/format/diagnostic';
import type { ModelCell } from '../../blocks/format/notebook';
import type { WorkspaceHandle } from './BlocklyWorkspace';
import type { BlockNote } from './teacher-note-icon';
import { CodeTabs } from './CodeTabs';
import { KerasFileButtons } from './KerasFileButtons';
import { lazyBlocklyWorkspace } from './lazy-blockly';
import { DiagnosticsList, LayerTable } from './LayerSummary';
import { TemplateMenu } from './TemplateMenu';

const EDITOR_HEIGHT = 520;

const BlocklyWorkspace = lazyBlocklyWorkspace(EDITOR_HEIGHT);


/**
 * One model cell: blocks on the left, the TF.js code they compile to on the right, the
 * layer table and problems below. Training is the training cell's job. Only the workspace is
 * persisted; its compile comes from the notebook's one compiler (blocks/compile-notebook.ts).
 */
export const ModelCellView = memo(function ModelCellView(props: {
  cell: ModelCell;
  compiled: CompileResult;
  /** "Learns badly" advice on this model's blocks from the training cell that trains it; none without one. */
  advice?: readonly Diagnostic[];
  onWorkspaceChange: (cellId: string, workspace: Record<string, unknown>) => void;
  /** Locked by the teacher: the blocks and code are shown, nothing can change them. */
  readOnly?: boolean;
  /** The teacher's returned comments on blocks of this cell, shown at their blocks. */
  blockNotes?: readonly BlockNote[];
}) {
  const { cell, compiled, advice, onWorkspaceChange, readOnly = false } = props;
  const workspaceHandle = useRef<WorkspaceHandle | null>(null);
  // An imported model replaces the blocks: Blockly reads initialWorkspace once, so remount it.
  const [loaded, setLoaded] = useState<{ version: number; workspace: Record<string, unknown> } | null>(null);

  const latestWorkspace = useRef<Record<string, unknown>>(cell.workspace);

  const handleWorkspaceChange = useCallback(
    (workspace: Record<string, unknown>) => {
      latestWorkspace.current = workspace;
      onWorkspaceChange(cell.id, workspace);
    },
    [cell.id, onWorkspaceChange],
  );

  /** Imports and templates replace the blocks: Blockly reads initialWorkspace once, so remount it. */
  const replaceWorkspace = useCallback(
    (workspace: Record<string, unknown>) => {
      handleWorkspaceChange(workspace);
      setLoaded((previous) => ({ version: (previous?.version ?? 0) + 1, workspace }));
    },
    [handleWorkspaceChange],
  );

  // "Learns badly" warnings about this model's last block need the loss and data of the training
  // cell below; the ones fixed by another loss show in that cell. They never block training.
  const diagnostics = useMemo(
    () => (compiled.spec && advice && advice.length > 0 ? [...compiled.diagnostics, ...advice] : compiled.diagnostics),
    [compiled, advice],
  );
  const spec = compiled.spec;
  const tfjsCode = compiled.code;
  const codeFor = useCallback(
    (language: CodeLanguage) => {
      if (language.id === 'tfjs') return tfjsCode;
      if (!spec) return `# Fix the problems shown on the blocks first; then the ${language.label} code appears here.\n`;
      return language.emit(spec);
    },
    [spec, tfjsCode],
  );

  return (
    <div className="model-cell">
      <div className="model-cell__editors">
        <div className="model-cell__pane">
          <div className="pane-title-row">
            <h3 className="pane-title">Blocks</h3>
            {!readOnly && <TemplateMenu currentWorkspace={() => latestWorkspace.current} onLoad={replaceWorkspace} />}
          </div>
          <BlocklyWorkspace
            key={loaded?.version ?? 0}
            initialWorkspace={loaded?.workspace ?? cell.workspace}
            diagnostics={diagnostics}
            height={EDITOR_HEIGHT}
            onChange={handleWorkspaceChange}
            readOnly={readOnly}
            blockNotes={props.blockNotes}
            onReady={(handle) => {
              workspaceHandle.current = handle;
            }}
          />
        </div>
        <div className="model-cell__pane">
          <h3 className="pane-title">
            Code <span className="pane-title__note">(made from your blocks)</span>
          </h3>
          <CodeTabs codeFor={codeFor} height={EDITOR_HEIGHT - 44} />
          {!readOnly && (
            <KerasFileButtons
              spec={compiled.spec}
              onImport={replaceWorkspace}
            />
          )}
        </div>
      </div>

      <div className="model-cell__summary">
        <div>
          <h3 className="pane-title">Layers and shapes</h3>
          <LayerTable layers={compiled.layers} totalParams={compiled.totalParams} diagnostics={diagnostics} />
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
    </div>
  );
});
