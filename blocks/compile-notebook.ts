/**
 * Everything derived from a notebook's cells, computed in one place: each model cell's
 * compile (spec, shapes, code, problems) and each training cell's (settings, code, problems,
 * memory), with what its Model and Dataset choices resolve to. Cells store only what the
 * student made (blocks/format/notebook.ts); this is how the rest is worked out.
 *
 * The browser keeps one memoised compiler per open notebook (createNotebookCompiler), so an
 * edit recompiles only the cell it changed and the cells that read it; the server calls
 * compileNotebook once per Train press (server/services/runs.ts). Pure and never throws.
 */
import { compileCell, DEFAULT_MAX_PARAMS, WITHOUT_MEMORY_CHECK, type CompileResult } from './compile';
import { compileTrainingCell, type TrainingCompileResult, type TrainingDataFacts } from './compile-training';
import { resolveDataset, resolveModel, type Cell, type ResolvedDataset, type ResolvedModel } from './format/notebook';
import type { Diagnostic } from './format/diagnostic';
import { ownValidationWords, sourceInfo, type DataSource } from './format/datasets';

export interface CompiledTraining {
  resolvedModel: ResolvedModel;
  resolvedDataset: ResolvedDataset;
  /** The compile of the model cell it trains; null when that does not resolve. */
  model: CompileResult | null;
  /** What its dataset is; null when that does not resolve. */
  data: TrainingDataFacts | null;
  result: TrainingCompileResult;
}

export interface CompiledNotebook {
  models: ReadonlyMap<string, CompileResult>;
  trainings: ReadonlyMap<string, CompiledTraining>;
  /**
   * "Runs but learns badly" advice for each model's blocks, from the first training cell that
   * trains it (it depends on that cell's loss and data); absent for a model nothing trains.
   */
  modelAdvice: ReadonlyMap<string, readonly Diagnostic[]>;
}

export interface NotebookCompileOptions {
  /** Largest model that may train (the server's LAYERBOOK_MAX_PARAMS); DEFAULT_MAX_PARAMS by default. */
  maxParams?: number;
  /**
   * What a dataset is. Built-in sets are known here; for an upload, how many validation rows
   * it keeps is known only to the server, so callers that know it pass it in.
   */
  dataFacts?: (source: DataSource) => TrainingDataFacts;
  /** Compile only this training cell and the model it trains (what a Train press needs). */
  only?: string;
}

/** The functions that do the work; tests pass counting wrappers. */
export interface Compilers {
  compileModel: (workspace: unknown, maxParams: number) => CompileResult;
  compileTraining: typeof compileTrainingCell;
}

export const DEFAULT_COMPILERS: Compilers = {
  // Memory depends on the batch size, which the training cell knows: it checks the memory.
  compileModel: (workspace, maxParams) => compileCell(workspace, { ...WITHOUT_MEMORY_CHECK, maxParams }),
  compileTraining: compileTrainingCell,
};

export function defaultDataFacts(source: DataSource): TrainingDataFacts {
  return { info: sourceInfo(source), ownValidation: ownValidationWords(source) };
}

/** Compiles the notebook from scratch (the server, once per Train press). */
export function compileNotebook(cells: readonly Cell[], options: NotebookCompileOptions = {}, compilers: Compilers = DEFAULT_COMPILERS): CompiledNotebook {
  return createNotebookCompiler(compilers)(cells, options);
}

/**
 * A compileNotebook that remembers its last results: a model cell is compiled again only when
 * its workspace changed (cells are immutable, so "changed" is a new object), a training cell
 * only when its workspace, dataset, the data it names or the model compile it reads changed.
 */
export function createNotebookCompiler(compilers: Compilers = DEFAULT_COMPILERS): (cells: readonly Cell[], options?: NotebookCompileOptions) => CompiledNotebook {
  let models = new Map<string, { workspace: unknown; maxParams: number; result: CompileResult }>();
  let trainings = new Map<string, { key: unknown[]; dataKey: string; compiled: CompiledTraining }>();

  return (cells, options = {}) => {
    const maxParams = options.maxParams ?? DEFAULT_MAX_PARAMS;
    const dataFacts = options.dataFacts ?? defaultDataFacts;
    const nextModels = new Map<string, { workspace: unknown; maxParams: number; result: CompileResult }>();
    const nextTrainings = new Map<string, { key: unknown[]; dataKey: string; compiled: CompiledTraining }>();

    const modelResult = (id: string, workspace: unknown): CompileResult => {
      const known = nextModels.get(id) ?? models.get(id);
      const entry =
        known && known.workspace === workspace && known.maxParams === maxParams
          ? known
          : { workspace, maxParams, result: compilers.compileModel(workspace, maxParams) };
      nextModels.set(id, entry);
      return entry.result;
    };

    const only = options.only === undefined ? null : cells.find((c) => c.id === options.only && c.type === 'training');
    const compiledModels = new Map<string, CompileResult>();
    if (!only) {
      for (const cell of cells) if (cell.type === 'model') compiledModels.set(cell.id, modelResult(cell.id, cell.workspace));
    }

    const compiledTrainings = new Map<string, CompiledTraining>();
    const modelAdvice = new Map<string, readonly Diagnostic[]>();
    for (const cell of only ? [only] : cells) {
      if (cell.type !== 'training') continue;
      const resolvedModel = resolveModel(cells, cell.id, cell.model);
      const resolvedDataset = resolveDataset(cells, cell.id, cell.dataset);
      const model = resolvedModel.ok ? modelResult(resolvedModel.cell.id, resolvedModel.cell.workspace) : null;
      if (resolvedModel.ok) compiledModels.set(resolvedModel.cell.id, model!);
      const data = resolvedDataset.ok ? dataFacts(resolvedDataset.source) : null;
      // Same key, same object: a view that gets it unchanged need not render again.
      const dataKey = JSON.stringify([cell.dataset, resolvedDataset, data, resolvedModel.ok ? null : resolvedModel.message]);
      const key = [cell.workspace, model, resolvedModel.ok ? resolvedModel.cell : null];
      const known = trainings.get(cell.id);
      const entry =
        known && known.dataKey === dataKey && known.key.every((part, i) => part === key[i])
          ? known
          : {
              key,
              dataKey,
              compiled: { resolvedModel, resolvedDataset, model, data, result: compilers.compileTraining(cell.workspace, { dataset: cell.dataset, data, model }) },
            };
      nextTrainings.set(cell.id, entry);
      compiledTrainings.set(cell.id, entry.compiled);
      if (resolvedModel.ok && !modelAdvice.has(cell.model)) modelAdvice.set(cell.model, entry.compiled.result.modelAdvice);
    }

    models = nextModels;
    trainings = nextTrainings;
    return { models: compiledModels, trainings: compiledTrainings, modelAdvice };
  };
}
