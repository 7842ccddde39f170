'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataSource } from '../../blocks/spec/datasets';
import type { TrainingSpec, ModelSpec } from '../../blocks/spec/model-spec';
import type { CellType } from '../../blocks/spec/notebook';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Icon } from '../components/Icons';
import { MarkdownCellView } from '../markdown/MarkdownCell';
import { DataCellView } from '../data/DataCellView';
import { ModelCellView } from '../model/ModelCellView';
import { datasetContextKey, modelDatasetContexts } from '../training/settings';
import { describeApiError } from '../trpc/errors';
import { useTRPC, useTRPCClient } from '../trpc/react';
import type { NotebookData } from '../trpc/types';
import { Autosaver, type SaveState } from './autosave';
import { AddCellButtons, CellFrame } from './CellFrame';
import { SaveIndicator } from './SaveIndicator';
import { applyEdit, newCellId, type NotebookDoc, type NotebookEdit } from './state';

export function NotebookEditor({ id }: { id: string }) {
  const trpc = useTRPC();
  // Fetched once per visit: after that the page's own copy is the truth until it is saved.
  // gcTime 0 drops the copy on leaving, so coming back never starts from an old version.
  const notebook = useQuery({
    ...trpc.notebook.get.queryOptions({ id }),
    staleTime: Infinity,
    gcTime: 0,
  });

  if (notebook.isPending) {
    return (
      <div className="notebook-loading" aria-busy="true">
        <p role="status">Opening notebook…</p>
        <div className="cell cell--skeleton" />
        <div className="cell cell--skeleton cell--skeleton-tall" />
      </div>
    );
  }
  if (notebook.isError) {
    const problem = describeApiError(notebook.error);
    return (
      <div role="alert" className="notice notice--error notice--page">
        <h1>We could not open this notebook</h1>
        <p>
          {problem.code === 'NOT_FOUND' || problem.code === 'BAD_REQUEST'
            ? 'It may have been deleted, or the link is wrong.'
            : problem.message}
        </p>
        <Link className="button" href="/">Back to your notebooks</Link>
      </div>
    );
  }
  return <OpenNotebook key={notebook.data.id} notebook={notebook.data} />;
}

function OpenNotebook({ notebook }: { notebook: NotebookData }) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  const [doc, setDoc] = useState<NotebookDoc>(() => ({ title: notebook.title, cells: notebook.cells }));
  const docRef = useRef(doc);
  const [saveState, setSaveState] = useState<SaveState>({ status: 'saved', message: null });
  const saverRef = useRef<Autosaver<NotebookDoc> | null>(null);
  const [editingIds, setEditingIds] = useState<ReadonlySet<string>>(() => new Set());
  const [deleteId, setDeleteId] = useState<string | null>(null);
  const [justAddedId, setJustAddedId] = useState<string | null>(null);

  useEffect(() => {
    const saver = new Autosaver<NotebookDoc>({
      version: notebook.version,
      save: async (content, version) => {
        const saved = await trpcClient.notebook.save.mutate({ id: notebook.id, version, title: content.title, cells: content.cells });
        // The home page's cached list would otherwise show the old title for a few seconds.
        void queryClient.invalidateQueries({ queryKey: trpc.notebook.list.queryKey() });
        return saved;
      },
      describeError: (error) => {
        const problem = describeApiError(error);
        return { conflict: problem.code === 'CONFLICT', message: problem.message };
      },
      onState: setSaveState,
    });
    saverRef.current = saver;
    const warnBeforeLeaving = (event: BeforeUnloadEvent) => {
      if (saver.hasUnsavedChanges()) event.preventDefault();
    };
    window.addEventListener('beforeunload', warnBeforeLeaving);
    return () => {
      window.removeEventListener('beforeunload', warnBeforeLeaving);
      // Leaving the page inside the app: keep what was typed in the last moments.
      void saver.flush().finally(() => saver.dispose());
    };
  }, [notebook.id, notebook.version, trpc, trpcClient, queryClient]);

  useEffect(() => {
    document.title = `${doc.title.trim() || 'Untitled notebook'} · Layerbook`;
  }, [doc.title]);

  const edit = useCallback((change: NotebookEdit) => {
    const next = applyEdit(docRef.current, change);
    if (next === docRef.current) return;
    docRef.current = next;
    setDoc(next);
    saverRef.current?.edit(next);
  }, []);

  const flushSave = useCallback(
    async (): Promise<SaveState> => saverRef.current?.flush() ?? { status: 'saved', message: null },
    [],
  );

  const setEditing = useCallback((cellId: string, editing: boolean) => {
    setEditingIds((ids) => {
      const next = new Set(ids);
      if (editing) next.add(cellId);
      else next.delete(cellId);
      return next;
    });
  }, []);

  const addCell = useCallback(
    (cellType: CellType, index: number) => {
      const cellId = newCellId();
      edit({ type: 'addCell', cellType, id: cellId, index });
      if (cellType === 'markdown') setEditing(cellId, true);
      setJustAddedId(cellId);
    },
    [edit, setEditing],
  );

  useEffect(() => {
    if (!justAddedId) return;
    document.querySelector(`[data-cell-id="${CSS.escape(justAddedId)}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }, [justAddedId]);

  const onDataSourceChange = useCallback((cellId: string, source: DataSource) => edit({ type: 'setDataSource', id: cellId, source }), [edit]);

  const onWorkspaceChange = useCallback(
    (cellId: string, workspace: Record<string, unknown>, spec: ModelSpec | null) =>
      edit({ type: 'setWorkspace', id: cellId, workspace, spec }),
    [edit],
  );
  const onTrainingChange = useCallback(
    (cellId: string, training: Partial<TrainingSpec>) => edit({ type: 'setTraining', id: cellId, training }),
    [edit],
  );

  const cells = doc.cells;
  // Keyed on what the Dataset settings depend on, so typing in a cell does not re-render every model cell.
  const contextKey = datasetContextKey(cells);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const datasetContexts = useMemo(() => modelDatasetContexts(cells), [contextKey]);
  return (
    <div className="notebook">
      <div className="notebook__head">
        <Link href="/" className="back-link">
          <span aria-hidden="true">←</span> All notebooks
        </Link>
        <div className="notebook__title-row">
          <input
            className="notebook__title"
            aria-label="Notebook title"
            value={doc.title}
            placeholder="Untitled notebook"
            maxLength={200}
            onChange={(event) => edit({ type: 'setTitle', title: event.target.value })}
          />
          <SaveIndicator state={saveState} />
        </div>
      </div>

      {saveState.status === 'conflict' && (
        <div role="alert" className="notice notice--error notice--sticky">
          <p>
            <strong>Your changes are not being saved.</strong> {saveState.message}
          </p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload notebook
          </button>
        </div>
      )}

      {cells.length === 0 && (
        <div className="empty-state">
          <h2>This notebook is empty</h2>
          <p>Add a text cell to explain your idea, or a model cell to build a network.</p>
        </div>
      )}

      <ol className="cells" aria-label="Cells">
        {cells.map((cell, index) => (
          <li key={cell.id} className="cells__item" data-cell-id={cell.id}>
            <CellFrame
              index={index}
              count={cells.length}
              kind={cell.type}
              onMove={(by) => edit({ type: 'moveCell', id: cell.id, by })}
              onDelete={() => setDeleteId(cell.id)}
              actions={
                cell.type === 'markdown' ? (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setEditing(cell.id, !editingIds.has(cell.id))}
                  >
                    <Icon name={editingIds.has(cell.id) ? 'check' : 'edit'} size={15} />
                    {editingIds.has(cell.id) ? 'Done' : 'Edit'}
                  </button>
                ) : null
              }
            >
              {cell.type === 'markdown' ? (
                <MarkdownCellView
                  source={cell.source}
                  editing={editingIds.has(cell.id)}
                  onEditingChange={(editing) => setEditing(cell.id, editing)}
                  onChange={(source) => edit({ type: 'setMarkdown', id: cell.id, source })}
                />
              ) : cell.type === 'data' ? (
                <DataCellView cell={cell} onSourceChange={onDataSourceChange} />
              ) : (
                <ModelCellView
                  notebookId={notebook.id}
                  cell={cell}
                  onWorkspaceChange={onWorkspaceChange}
                  onTrainingChange={onTrainingChange}
                  flushSave={flushSave}
                  dataset={datasetContexts.get(cell.id)!}
                />
              )}
            </CellFrame>
            {index < cells.length - 1 && <AddCellButtons between index={index + 1} onAdd={addCell} />}
          </li>
        ))}
      </ol>

      <AddCellButtons index={cells.length} onAdd={addCell} />

      <ConfirmDialog
        open={deleteId !== null}
        title="Delete this cell?"
        confirmLabel="Yes, delete it"
        cancelLabel="Keep it"
        danger
        onConfirm={() => {
          if (deleteId) edit({ type: 'deleteCell', id: deleteId });
          setDeleteId(null);
        }}
        onCancel={() => setDeleteId(null)}
      >
        <p>Its text or blocks will be removed from the notebook. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}
