'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { createNotebookCompiler, defaultDataFacts } from '../../blocks/compile-notebook';
import { ownValidationWords, sourceInfo, type DataSource, type DatasetRef } from '../../blocks/format/datasets';
import { resolveDataset, type Cell, type CellType } from '../../blocks/format/notebook';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Icon } from '../components/Icons';
import { MarkdownCellView } from '../markdown/MarkdownCell';
import { DataCellView } from '../data/DataCellView';
import { ModelCellView } from '../model/ModelCellView';
import { contextKey, trainingContexts } from '../training/settings';
import { TrainingCellView } from '../training/TrainingCellView';
import { describeApiError, retryAfterMs } from '../trpc/errors';
import { useTRPC, useTRPCClient } from '../trpc/react';
import type { NotebookData } from '../trpc/types';
import { Autosaver, type SaveState } from '../lib/autosave';
import { AddCellButtons, CellFrame } from './CellFrame';
import { CellFeedback, commentsOnCell, ReturnedFeedbackBanner, useBlockNotes, useReturnedFeedback } from '../review/ReturnedFeedback';
import { SaveIndicator } from './SaveIndicator';
import { applyEdit, changesLockedCell, newCellId, type NotebookDoc, type NotebookEdit } from './state';
import { AssignmentBar, type NotebookAssignment } from '../assignments/AssignmentBar';
import { MakeAssignmentButton } from '../assignments/MakeAssignment';
import { putBackLockedCells, type PutBackCell } from '../../blocks/locked-cells';
import { PutBackNotice } from './PutBackNotice';

/** How often a student's copy asks for its assignment again (the due date and goals a teacher may change). */
const ASSIGNMENT_REFRESH_MS = 60_000;

export function NotebookEditor({ id }: { id: string }) {
  const trpc = useTRPC();
  // Fetched once per visit: after that the page's own copy is the truth until it is saved.
  // gcTime 0 drops the copy on leaving, so coming back never starts from an old version.
  const notebook = useQuery({
    ...trpc.notebook.get.queryOptions({ id }),
    staleTime: Infinity,
    gcTime: 0,
  });
  // A student's copy of an assignment: locked cells, goals, handing in (null for any other notebook).
  // Asked again now and then on a copy: the teacher may move the due date while the student works.
  const assignment = useQuery({
    ...trpc.assignment.forNotebook.queryOptions({ notebookId: id }),
    staleTime: Infinity,
    gcTime: 0,
    refetchInterval: (query) => (query.state.data ? ASSIGNMENT_REFRESH_MS : false),
  });

  if (notebook.isPending || (notebook.isSuccess && assignment.isPending)) {
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
  return <OpenNotebook key={notebook.data.id} notebook={notebook.data} assignment={assignment.data ?? null} />;
}

/** The uploads the notebook's training cells train on: their validation rows are counted on the server. */
function uploadIdsOf(cells: readonly Cell[]): string[] {
  const ids = new Set<string>();
  for (const cell of cells) {
    if (cell.type !== 'training') continue;
    const data = resolveDataset(cells, cell.id, cell.dataset);
    if (data.ok && data.source.kind === 'upload') ids.add(data.source.datasetId);
  }
  return [...ids].sort();
}

function OpenNotebook({ notebook, assignment }: { notebook: NotebookData; assignment: NotebookAssignment | null }) {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  // A teacher's returned feedback, when this is the student's copy of an assignment.
  const feedback = useReturnedFeedback(notebook.id);
  const blockNotes = useBlockNotes(feedback);
  const [doc, setDoc] = useState<NotebookDoc>(() => ({ title: notebook.title, cells: notebook.cells }));
  const docRef = useRef(doc);
  const [saveState, setSaveState] = useState<SaveState>({ status: 'saved', message: null });
  const saverRef = useRef<Autosaver<NotebookDoc> | null>(null);
  const [editingIds, setEditingIds] = useState<ReadonlySet<string>>(() => new Set());
  const [deleteId, setDeleteId] = useState<string | null>(null);
  const [justAddedId, setJustAddedId] = useState<string | null>(null);
  // Which cells the teacher locked, as the assignment was last read: it is asked again every
  // minute, after a hand-in and after a refused save, so a cell the teacher locks meanwhile
  // turns read-only here too (its blocks are drawn again, read-only, since Blockly reads it once).
  const lockedKey = (assignment?.lockedCellIds ?? []).join('\n');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const locked = useMemo<ReadonlySet<string>>(() => new Set(assignment?.lockedCellIds ?? []), [lockedKey]);
  // Cells put back as the teacher wrote them, for the notice; `putBackRound` redraws their blocks
  // (Blockly reads a workspace once).
  const [putBack, setPutBack] = useState<readonly PutBackCell[]>([]);
  const [putBackRound, setPutBackRound] = useState(0);

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
        // A copy's save refused for a locked cell: the teacher may have locked it since the page
        // last asked, so ask now and show it locked.
        if (problem.code === 'BAD_REQUEST') void queryClient.invalidateQueries({ queryKey: trpc.assignment.forNotebook.queryKey({ notebookId: notebook.id }) });
        return { conflict: problem.code === 'CONFLICT', message: problem.message, retryAfterMs: retryAfterMs(error) };
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

  // A cell the student changed and the teacher has locked since: the server refuses every save
  // until it is as the teacher wrote it, so it is put back (every other cell kept) and the
  // rest of their work saves again.
  const teacherCellsKey = JSON.stringify(assignment?.lockedCells ?? []);
  useEffect(() => {
    const teacherCells = assignment?.lockedCells ?? [];
    if (teacherCells.length === 0) return;
    const result = putBackLockedCells(docRef.current.cells, teacherCells);
    if (result.putBack.length === 0) return;
    const next = { ...docRef.current, cells: result.cells };
    docRef.current = next;
    setDoc(next);
    saverRef.current?.edit(next);
    setEditingIds((ids) => new Set([...ids].filter((cellId) => !result.putBack.some((p) => p.mine.id === cellId))));
    setPutBack(result.putBack);
    setPutBackRound((round) => round + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [teacherCellsKey]);

  useEffect(() => {
    document.title = `${doc.title.trim() || 'Untitled notebook'} · Layerbook`;
  }, [doc.title]);

  const edit = useCallback((change: NotebookEdit) => {
    if (changesLockedCell(change, locked)) return;
    const next = applyEdit(docRef.current, change);
    if (next === docRef.current) return;
    docRef.current = next;
    setDoc(next);
    saverRef.current?.edit(next);
  }, [locked]);

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
    (cellId: string, workspace: Record<string, unknown>) => edit({ type: 'setWorkspace', id: cellId, workspace }),
    [edit],
  );
  const onTrainingModelChange = useCallback((cellId: string, model: string) => edit({ type: 'setTrainingModel', id: cellId, model }), [edit]);
  const onTrainingDatasetChange = useCallback((cellId: string, dataset: DatasetRef) => edit({ type: 'setTrainingDataset', id: cellId, dataset }), [edit]);

  const cells = doc.cells;
  // How many validation rows each upload keeps is known only to the server.
  const uploadIds = useMemo(() => uploadIdsOf(cells), [cells]);
  const uploads = useQueries({ queries: uploadIds.map((datasetId) => trpc.dataset.get.queryOptions({ id: datasetId })) });
  const validationSizes = uploadIds.map((datasetId, i) => `${datasetId}:${uploads[i]?.data?.validationSize ?? ''}`).join(',');
  // The notebook's one compile: each edit recompiles only the cells it changed (cells are
  // immutable), and every view reads its results from here.
  const [compileCells] = useState(createNotebookCompiler);
  /* eslint-disable react-hooks/exhaustive-deps */
  const compiled = useMemo(() => {
    const sizes = new Map(uploadIds.map((datasetId, i) => [datasetId, uploads[i]?.data?.validationSize]));
    return compileCells(cells, {
      dataFacts: (source) =>
        source.kind === 'upload' ? { info: sourceInfo(source), ownValidation: ownValidationWords(source, sizes.get(source.datasetId)) } : defaultDataFacts(source),
    });
  }, [cells, validationSizes]);
  const modelNames = useMemo(() => new Map([...compiled.models].map(([id, result]) => [id, result.spec?.name ?? null])), [compiled]);
  // Keyed on what the training headers depend on, so typing in a cell does not re-render every other cell.
  const key = contextKey(cells, modelNames);
  const headerContexts = useMemo(() => trainingContexts(cells, modelNames), [key]);
  /* eslint-enable react-hooks/exhaustive-deps */
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
        {assignment === null && <MakeAssignmentButton notebookId={notebook.id} title={doc.title} cells={cells} flushSave={flushSave} />}
      </div>

      {assignment && <AssignmentBar notebookId={notebook.id} assignment={assignment} cells={cells} flushSave={flushSave} />}

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
          <p>Add a text cell to explain your idea, or a model cell to build a network (it comes with a training cell to train it).</p>
        </div>
      )}

      {putBack.length > 0 && <PutBackNotice putBack={putBack} saveState={saveState} onClose={() => setPutBack([])} />}

      <ReturnedFeedbackBanner feedback={feedback} cellIds={cells.map((c) => c.id)} />

      <ol className="cells" aria-label="Cells">
        {cells.map((cell, index) => {
          const comments = commentsOnCell(feedback, cell.id);
          return (
            <li key={cell.id} className="cells__item" data-cell-id={cell.id}>
              <CellFrame
                index={index}
                count={cells.length}
                kind={cell.type}
                onMove={(by) => edit({ type: 'moveCell', id: cell.id, by })}
                onDelete={() => setDeleteId(cell.id)}
                locked={locked.has(cell.id)}
                feedback={
                  comments.length > 0 && (
                    <CellFeedback
                      comments={comments}
                      blockLabel={(blockId) => (cell.type === 'model' ? compiled.models.get(cell.id)?.layers.find((l) => l.id === blockId)?.label : undefined)}
                    />
                  )
                }
                actions={
                  cell.type === 'markdown' && !locked.has(cell.id) ? (
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
                    editing={editingIds.has(cell.id) && !locked.has(cell.id)}
                    onEditingChange={(editing) => !locked.has(cell.id) && setEditing(cell.id, editing)}
                    onChange={(source) => edit({ type: 'setMarkdown', id: cell.id, source })}
                  />
                ) : cell.type === 'data' ? (
                  locked.has(cell.id) ? (
                    <fieldset disabled className="locked-fieldset">
                      <legend className="visually-hidden">Locked by your teacher</legend>
                      <DataCellView cell={cell} onSourceChange={onDataSourceChange} />
                    </fieldset>
                  ) : (
                    <DataCellView cell={cell} onSourceChange={onDataSourceChange} />
                  )
                ) : cell.type === 'model' ? (
                  <ModelCellView key={locked.has(cell.id) ? `locked-${putBackRound}` : 'open'} cell={cell} compiled={compiled.models.get(cell.id)!} advice={compiled.modelAdvice.get(cell.id)} onWorkspaceChange={onWorkspaceChange} readOnly={locked.has(cell.id)} blockNotes={blockNotes(cell.id)} />
                ) : (
                  <TrainingCellView
                    key={locked.has(cell.id) ? `locked-${putBackRound}` : 'open'}
                    notebookId={notebook.id}
                    cell={cell}
                    compiled={compiled.trainings.get(cell.id)!}
                    context={headerContexts.get(cell.id)!}
                    onWorkspaceChange={onWorkspaceChange}
                    onModelChange={onTrainingModelChange}
                    onDatasetChange={onTrainingDatasetChange}
                    flushSave={flushSave}
                    readOnly={locked.has(cell.id)}
                  />
                )}
              </CellFrame>
              {index < cells.length - 1 && <AddCellButtons between index={index + 1} onAdd={addCell} />}
            </li>
          );
        })}
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
