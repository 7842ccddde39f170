/**
 * The training cell's entry point, beside compileCell: its blocks in, everything the cell
 * shows out (the settings, the code in each language, problems on the blocks, the memory a
 * run needs). Never throws. It needs to know what the cell trains (the model cell's compile
 * result) and on what (the dataset), since half of its checks are about how they fit.
 */
import { checkingRows } from './catalog/training';
import { emitTraining, type TrainingLanguage } from './codegen/emit-training';
import { tooDeep, type CompileResult } from './compile';
import { adviseTraining, lossFitProblems } from './shapes/advice';
import { checkTrainingMemory, DEFAULT_MAX_TRAINING_BYTES, estimateTrainingMemory, layersForMemory } from './shapes/memory';
import type { DatasetRef, DatasetShapeInfo } from './format/datasets';
import type { Diagnostic } from './format/diagnostic';
import type { TrainingSpec } from './format/model-spec';
import { trainingFromWorkspace, type SettingSlot, type TrainingConversion } from './workspace/training-from-workspace';

export interface TrainingDataFacts {
  info: DatasetShapeInfo;
  /**
   * The validation rows the data keeps of its own, in words ("15% of its rows", "21 rows"); null
   * when it has none (MNIST); undefined while not known (an upload still loading).
   */
  ownValidation: string | null | undefined;
}

export interface TrainingCompileContext {
  /** The dataset picked in the cell's header. */
  dataset: DatasetRef;
  /** What that dataset is, when it resolves. */
  data?: TrainingDataFacts | null;
  /** The compiled model the cell trains, when it resolves. */
  model?: Pick<CompileResult, 'spec' | 'layers'> | null;
  /** Most memory one run may take; 2 GiB by default, as compileCell. */
  maxTrainingBytes?: number;
}

export interface TrainingCompileResult {
  /** Always complete: settings without a block have their defaults. */
  training: TrainingSpec;
  conversion: TrainingConversion;
  code: Record<TrainingLanguage, string>;
  /** Problems on the training blocks (or, with blockId null, on the cell). */
  diagnostics: Diagnostic[];
  /** Advice that belongs on the model's blocks (shown in the model cell). */
  modelAdvice: Diagnostic[];
  /** Memory a run needs with this batch size; 0 when there is no model to measure. */
  trainingBytes: number;
}

/** Settings that are only noted in the code when they have no block: the others are simply off then. */
const NOTED_DEFAULTS: readonly SettingSlot[] = ['optimizer', 'loss', 'epochs', 'batchSize', 'seed'];

export function compileTrainingCell(workspace: unknown, context: TrainingCompileContext): TrainingCompileResult {
  const deep = tooDeep(workspace);
  // Read as an empty cell (every setting its default), with the reason on the cell.
  const conversion = deep ? { ...trainingFromWorkspace({}), diagnostics: [deep] } : trainingFromWorkspace(workspace);
  const settings = conversion.settings;
  const training: TrainingSpec = { ...settings, dataset: context.dataset };
  const diagnostics = [...conversion.diagnostics];
  const onTrainBlock = conversion.trainBlockId;
  const data = context.data ?? null;
  const hasOwnValidation = data === null || data.ownValidation === undefined ? null : data.ownValidation !== null;

  const splitBlock = conversion.blockOf.validationSplit;
  if (splitBlock && settings.validationSplit && data && checkingRows(settings.validationSplit, hasOwnValidation) === 'own') {
    diagnostics.push({
      blockId: splitBlock,
      severity: 'warning',
      code: 'validation-split-unused',
      message: `${data.info.name} already keeps ${data.ownValidation ?? 'some rows'} apart for validation, so this block is not used: after every epoch the model is checked on those rows, and it trains on all the training rows.`,
      fix: 'Delete this block, or train on data without validation rows of its own (MNIST, or an upload with 0% for validation) to use it.',
    });
  }

  if (data) {
    const lossBlock = conversion.blockOf.loss ?? onTrainBlock;
    diagnostics.push(...lossFitProblems(settings.loss, { classCount: data.info.classes.length, name: data.info.name, classNoun: data.info.classNoun }, lossBlock));
  }

  let modelAdvice: Diagnostic[] = [];
  let trainingBytes = 0;
  const model = context.model;
  if (model?.spec) {
    const advice = adviseTraining(model.spec, model.layers, settings, {
      classCount: data?.info.classes.length,
      lossBlockId: conversion.blockOf.loss ?? onTrainBlock,
    });
    modelAdvice = advice.model;
    diagnostics.push(...advice.training);
    const memory = estimateTrainingMemory(layersForMemory(model.layers, model.spec), settings.batchSize);
    trainingBytes = memory.totalBytes;
    diagnostics.push(
      ...checkTrainingMemory(
        memory,
        { maxTrainingBytes: context.maxTrainingBytes ?? DEFAULT_MAX_TRAINING_BYTES, batchSize: settings.batchSize },
        conversion.blockOf.batchSize ?? onTrainBlock,
      ),
    );
  }

  const defaulted = new Set(NOTED_DEFAULTS.filter((slot) => conversion.blockOf[slot] === undefined));
  const codeContext = {
    defaulted,
    datasetName: data?.info.name,
    hasOwnValidationRows: hasOwnValidation,
    classCount: data?.info.classes.length,
  };
  const code = {
    tfjs: emitTraining('tfjs', settings, codeContext),
    keras: emitTraining('keras', settings, codeContext),
    pytorch: emitTraining('pytorch', settings, codeContext),
  };
  return { training, conversion, code, diagnostics, modelAdvice, trainingBytes };
}
