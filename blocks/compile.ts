/**
 * The one entry point the notebook uses: blocks in, everything a model cell shows out
 * (spec, per-block shapes, code, problems). Never throws: garbage in → diagnostics.
 */
import { emitTfjs } from './codegen/emit-tfjs';
import { checkLimits, inferShapes } from './shapes';
import { addQuickFixes } from './shapes/quick-fixes';
import { checkTrainingMemory, DEFAULT_MAX_TRAINING_BYTES, estimateTrainingMemory, layersForMemory } from './shapes/memory';
import { hasErrors, type Diagnostic } from './format/diagnostic';
import { pointAtUseBlocks } from './workspace/composite';
import { specFromWorkspace } from './workspace/from-workspace';
import { DEFAULT_TRAINING, modelSpecSchema, type ModelSpec } from './format/model-spec';
import type { Dim } from './catalog';
import { measure } from './format/notebook-limits';

/** The most parameters a model may have to be trained on the shared server. */
export const DEFAULT_MAX_PARAMS = 5_000_000;

export interface CompileOptions {
  maxParams?: number;
  /** Most memory one training run may take (weights, gradients, Adam slots, activations); 2 GiB by default. */
  maxTrainingBytes?: number;
  /**
   * Batch size the memory estimate assumes; the default training settings' when left out.
   * null: no memory check here (a model cell on its own; its training cell checks the memory
   * with the batch size it trains with).
   */
  batchSize?: number | null;
  /** Block to show model-wide problems on; compileCell fills it with the model block. */
  rootBlockId?: string | null;
}

export interface CompiledLayer {
  id: string;
  type: string;
  label: string;
  /** Output shape with the batch dimension first (null), or null when it can't be worked out. */
  outputShape: Dim[] | null;
  params: number;
}

export interface CompileResult {
  /** The model to store and train; null while there are errors. */
  spec: ModelSpec | null;
  layers: CompiledLayer[];
  totalParams: number;
  /** Estimated memory to train with `batchSize` examples per batch, in bytes (0 when nothing to build). */
  trainingBytes: number;
  /** TF.js code of the blocks, shown even while there are problems (with a note saying so). */
  code: string;
  diagnostics: Diagnostic[];
}

const NOTHING_TO_SHOW = '// Put an Input block and some layer blocks inside the model block to see their code here.\n';
const HAS_PROBLEMS = "This code won't run yet: fix the problems shown on the blocks first.";

/**
 * For a model on its own: the memory a batch needs is checked by the training cell, which
 * knows its batch size, so a model cell and whatever only needs the spec leave it out.
 */
export const WITHOUT_MEMORY_CHECK = { batchSize: null } as const satisfies CompileOptions;

/**
 * Deeper than any workspace Blockly can hold (and 30 times what a save accepts), but shallow
 * enough for every reader of blocks, some of which recurse, to stay far from the stack's end.
 */
export const MAX_READ_DEPTH = 10_000;

/** A diagnostic when `workspace` nests deeper than MAX_READ_DEPTH (measured without recursion), else null. */
export function tooDeep(workspace: unknown): Diagnostic | null {
  if (measure(workspace, MAX_READ_DEPTH).depth <= MAX_READ_DEPTH) return null;
  return {
    blockId: null,
    severity: 'error',
    code: 'too-deep',
    message: `These blocks are nested more than ${MAX_READ_DEPTH.toLocaleString('en-US')} levels deep, more than Layerbook can read.`,
    fix: 'Take some blocks out of the blocks they sit in, or undo your last change.',
  };
}

export function compileCell(workspaceJson: unknown, opts: Omit<CompileOptions, 'rootBlockId'> = {}): CompileResult {
  try {
    const deep = tooDeep(workspaceJson);
    if (deep) return nothingToBuild([deep]);
    const converted = specFromWorkspace(workspaceJson);
    if (!converted.spec) return nothingToBuild(converted.diagnostics);
    const result = compileChecked(converted.spec, { ...opts, rootBlockId: converted.modelBlockId }, converted.diagnostics);
    if (converted.expanded.size === 0) return result;
    // Layers copied out of a block the student made have no block of their own in the editor.
    const labels = new Map(result.layers.map((l) => [l.id, l.label]));
    return { ...result, diagnostics: pointAtUseBlocks(result.diagnostics, converted.expanded, (id) => labels.get(id) ?? null) };
  } catch (error) {
    return internalFailure(error);
  }
}

/** Same result for a spec from anywhere else (database, import, API). */
export function compileSpec(spec: unknown, opts: CompileOptions = {}): CompileResult {
  try {
    return compileChecked(spec, opts, []);
  } catch (error) {
    return internalFailure(error);
  }
}

function compileChecked(spec: unknown, opts: CompileOptions, earlier: Diagnostic[]): CompileResult {
  // Specs from blocks pass this too: it is what guarantees the stored spec fits the schema.
  const parsed = modelSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return nothingToBuild([
      ...earlier,
      {
        blockId: null,
        severity: 'error',
        code: 'bad-spec',
        message: `This model description is damaged${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'unknown problem'}.`,
        fix: 'Rebuild the model from blocks.',
      },
    ]);
  }
  const valid = parsed.data;
  const trace = inferShapes(valid, { rootBlockId: opts.rootBlockId });
  // The limit error goes on the block that holds the most parameters: that is what to shrink.
  const biggest = trace.layers.reduce<(typeof trace.layers)[number] | null>((a, b) => (a && a.params >= b.params ? a : b), null);
  const batchSize = opts.batchSize === undefined ? DEFAULT_TRAINING.batchSize : opts.batchSize;
  const memory = estimateTrainingMemory(layersForMemory(trace.layers, valid), batchSize ?? DEFAULT_TRAINING.batchSize);
  const paramProblems = checkLimits(trace.totalParams, { maxParams: opts.maxParams ?? DEFAULT_MAX_PARAMS }, biggest?.id ?? opts.rootBlockId ?? null);
  // Too many parameters already explains the memory; a second error for one cause is noise.
  const memoryProblems =
    paramProblems.length > 0 || batchSize === null
      ? []
      : checkTrainingMemory(memory, { maxTrainingBytes: opts.maxTrainingBytes ?? DEFAULT_MAX_TRAINING_BYTES, batchSize }, opts.rootBlockId ?? null);
  const diagnostics = addQuickFixes([...earlier, ...trace.diagnostics, ...paramProblems, ...memoryProblems], valid);
  const failed = hasErrors(diagnostics);
  const code = valid.layers.length === 0 ? NOTHING_TO_SHOW : emitTfjs(valid, failed ? { comments: [HAS_PROBLEMS] } : {});
  return { spec: failed ? null : valid, layers: trace.layers, totalParams: trace.totalParams, trainingBytes: memory.totalBytes, code, diagnostics };
}

function nothingToBuild(diagnostics: Diagnostic[]): CompileResult {
  return { spec: null, layers: [], totalParams: 0, trainingBytes: 0, code: NOTHING_TO_SHOW, diagnostics };
}

/** A bug in Layerbook, not in the student's blocks: say so instead of blaming them. */
function internalFailure(error: unknown): CompileResult {
  return nothingToBuild([
    {
      blockId: null,
      severity: 'error',
      code: 'internal-error',
      message: `Layerbook hit a problem of its own while reading these blocks (${error instanceof Error ? error.message : String(error)}).`,
      fix: 'Undo your last change or reload the page, and tell your teacher.',
    },
  ]);
}
