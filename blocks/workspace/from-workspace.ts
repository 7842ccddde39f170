/**
 * Blockly serialization JSON → ModelSpec, without importing Blockly, so the server can
 * compile saved notebooks too. Reads only; never throws: anything unexpected becomes a
 * diagnostic. Shape and argument problems are left to the shape checker.
 */
import { CUSTOM_INITIALIZER, CUSTOM_INITIALIZER_LABEL, getLayer, initializerRecipe, isInitializerArg, recipeSettings, type ArgDefinition } from '../catalog';
import { fieldToArg } from '../catalog/field-values';
import type { Diagnostic } from '../format/diagnostic';
import { Expander, pointAtUseBlocks, readDefinitions, type BlockDefinition, type ExpandedBlock, type ExpandedOrigin } from './composite';
import {
  ADVANCED_INPUT_PREFIX,
  initializerKindOf,
  DEFINE_BLOCK_TYPE,
  USE_BLOCK_TYPE,
  MERGE_WITH_FIELD,
  MODEL_BLOCK_TYPE,
  MODEL_LAYERS_INPUT,
  MODEL_NAME_FIELD,
  MODEL_OUTPUT_BLOCK_TYPE,
  NAME_OUTPUT_BLOCK_TYPE,
  OUTPUT_NAME_FIELD,
  USE_OUTPUT_BLOCK_TYPE,
  layerKeyOf,
  type BlockState,
} from '../format/block-types';
import { SPEC_VERSION, type LayerNode, type ModelSpec } from '../format/model-spec';

export interface WorkspaceConversion {
  /** Null only when there is no model block to read at all. */
  spec: ModelSpec | null;
  /** Id of the model block, so model-wide problems can be shown on it. */
  modelBlockId: string | null;
  diagnostics: Diagnostic[];
  /**
   * Layers copied out of blocks the student made ("use conv block"), by layer id: problems the
   * shape checker finds on them belong on the use block (see pointAtUseBlocks).
   */
  expanded: ReadonlyMap<string, ExpandedOrigin>;
}

/** The most layers modelSpecSchema accepts. */
const MAX_LAYERS = 2000;
const DEFAULT_MODEL_NAME = 'model';

export function specFromWorkspace(workspace: unknown): WorkspaceConversion {
  const diagnostics: Diagnostic[] = [];
  const topBlocks = readTopBlocks(workspace);
  if (topBlocks === null) {
    diagnostics.push({
      blockId: null,
      severity: 'error',
      code: 'unreadable-workspace',
      message: "The saved blocks of this cell couldn't be read.",
      fix: 'Reload the page. If it keeps happening, start a new model cell.',
    });
    return { spec: null, modelBlockId: null, diagnostics, expanded: new Map() };
  }

  const models = topBlocks.filter((b) => b.type === MODEL_BLOCK_TYPE);
  const definitions = readDefinitions(topBlocks, stackBlocks, diagnostics);
  for (const stray of topBlocks.filter((b) => b.type !== MODEL_BLOCK_TYPE && b.type !== DEFINE_BLOCK_TYPE)) {
    const hasMore = isBlock(stray.next?.block);
    diagnostics.push({
      blockId: blockIdOf(stray),
      severity: 'warning',
      code: 'stray-block',
      message: `This ${blockLabel(stray)} block is not inside the model block, so it is ignored${hasMore ? ', together with the blocks stuck below it' : ''}.`,
      fix: 'Drag it into the model block if you want it in your model, or delete it.',
    });
  }
  if (models.length === 0) {
    diagnostics.push({
      blockId: null,
      severity: 'error',
      code: 'no-model-block',
      message: 'There is no model block, so there is nothing to build.',
      fix: 'Drag a "model" block from the Model category onto the workspace and put your layer blocks inside it.',
    });
    return { spec: null, modelBlockId: null, diagnostics, expanded: new Map() };
  }
  for (const extra of models.slice(1)) {
    diagnostics.push({
      blockId: blockIdOf(extra),
      severity: 'error',
      code: 'extra-model-block',
      message: `There are ${models.length} model blocks, but one cell can hold only one model.`,
      fix: 'Delete the extra model block, or move its layers into the first one.',
    });
  }

  const model = models[0]!;
  const modelBlockId = blockIdOf(model);
  const stackDiagnostics: Diagnostic[] = [];
  const graph = readLayerStack(model, definitions, stackDiagnostics);
  const labels = new Map(graph.layers.map((l) => [l.id, getLayer(l.type)?.label ?? null]));
  diagnostics.push(...pointAtUseBlocks(stackDiagnostics, graph.expanded, (id) => labels.get(id) ?? null));
  const spec: ModelSpec = {
    specVersion: SPEC_VERSION,
    kind: isChain(graph) ? 'sequential' : 'functional',
    name: readModelName(model),
    layers: graph.layers,
    inputs: graph.layers.filter((l) => l.type === 'input').map((l) => l.id),
    outputs: graph.outputs,
  };
  return { spec, modelBlockId, diagnostics, expanded: graph.expanded };
}

interface LayerGraph {
  layers: LayerNode[];
  outputs: string[];
  expanded: ReadonlyMap<string, ExpandedOrigin>;
}

function isChain({ layers, outputs }: LayerGraph): boolean {
  return isPlainChain(layers, outputs);
}

/** One Input, then each layer feeding the next, the last one the output: tf.sequential can build it. */
export function isPlainChain(layers: readonly LayerNode[], outputs: readonly string[]): boolean {
  const inputCount = layers.filter((l) => l.type === 'input').length;
  return (
    inputCount <= 1 &&
    (layers.length === 0 || layers[0]!.type === 'input' || inputCount === 0) &&
    layers.every((l, i) => (i === 0 ? l.inputs.length === 0 : l.inputs.length === 1 && l.inputs[0] === layers[i - 1]!.id)) &&
    (layers.length === 0 ? outputs.length === 0 : outputs.length === 1 && outputs[0] === layers[layers.length - 1]!.id)
  );
}

export function readTopBlocks(workspace: unknown): BlockState[] | null {
  if (!isRecord(workspace)) return null;
  // Blockly saves an empty workspace as {} (no "blocks" key at all).
  if (workspace.blocks === undefined) return [];
  if (!isRecord(workspace.blocks)) return null;
  const list = workspace.blocks.blocks;
  if (list === undefined) return [];
  if (!Array.isArray(list)) return null;
  return list.filter(isBlock);
}

function readModelName(model: BlockState): string {
  const raw = model.fields?.[MODEL_NAME_FIELD];
  const name = typeof raw === 'string' ? raw.trim().slice(0, 200) : '';
  return name === '' ? DEFAULT_MODEL_NAME : name;
}

/** A name a student gave to an output, and where. */
interface NamedOutput {
  /** As the student wrote it. */
  name: string;
  nodeId: string;
  blockId: string | null;
  used: boolean;
}

/**
 * Follows the vertical stack inside the model block. Each layer feeds the next one, except
 * where branching blocks say otherwise: "name this output" remembers the data at that point,
 * "use output of" continues from a remembered output, merge blocks also take the outputs named
 * in their "with" box, and "model output" marks outputs. Names must be given above where they
 * are used, which is also what keeps the graph free of loops.
 */
function readLayerStack(model: BlockState, definitions: ReadonlyMap<string, BlockDefinition>, diagnostics: Diagnostic[]): LayerGraph {
  const layers: LayerNode[] = [];
  const seenIds = new Set<string>();
  const expander = new Expander(definitions, diagnostics, MAX_LAYERS + 1);
  // Blocks the student made are replaced by copies of their blocks; names given inside one copy
  // are only seen inside that copy (its `scope`), so using a block twice doesn't repeat a name.
  const items: ExpandedBlock[] = expander.expand(stackBlocks(model.inputs?.[MODEL_LAYERS_INPUT]?.block), '', '', []);
  // Every name given anywhere in the stack, so using one too early reads as a loop, not a typo.
  const namedSomewhere = new Set(items.filter((i) => i.block.type === NAME_OUTPUT_BLOCK_TYPE).map((i) => nameKey(readOutputName(i.block), i.scope)));
  const names = new Map<string, NamedOutput>();
  const marked: string[] = [];
  // Outputs that were named or marked: a new branch may start after them without losing them.
  const kept = new Set<string>();
  let current: string | null = null;

  const resolve = (name: string, block: BlockState, scope: string): string | null => {
    const found = names.get(nameKey(name, scope));
    if (found) {
      found.used = true;
      return found.nodeId;
    }
    diagnostics.push(unknownName(name, block, namedSomewhere.has(nameKey(name, scope)), namedList(names, scope)));
    return null;
  };

  for (const { block, scope } of items) {
    if (isDisabled(block)) continue;
    if (block.type === NAME_OUTPUT_BLOCK_TYPE) {
      const name = readOutputName(block);
      if (current === null) {
        diagnostics.push(branchProblem(block, 'nothing-to-name', `There is no layer above this "name this output" block, so there is nothing to name.`, 'Put it below the layer whose output you want to name.'));
      } else if (name === '') {
        diagnostics.push(branchProblem(block, 'empty-name', 'This "name this output" block has no name.', 'Type a short name into it, for example "skip".'));
      } else if (names.has(nameKey(name, scope))) {
        diagnostics.push(
          branchProblem(block, 'duplicate-name', `The name "${name}" is already given to another output above, so Layerbook can't tell which one you mean.`, 'Pick a different name here, so every name points at one output.'),
        );
      } else {
        names.set(nameKey(name, scope), { name, nodeId: current, blockId: blockIdOf(block), used: false });
        kept.add(current);
      }
      continue;
    }
    if (block.type === USE_OUTPUT_BLOCK_TYPE) {
      const name = readOutputName(block);
      if (name === '') {
        diagnostics.push(branchProblem(block, 'empty-name', 'This "use output of" block has no name.', 'Type the name of an output given above, for example "skip".'));
        current = null;
      } else {
        current = resolve(name, block, scope);
      }
      continue;
    }
    if (block.type === MODEL_OUTPUT_BLOCK_TYPE) {
      if (current === null) {
        diagnostics.push(branchProblem(block, 'nothing-to-output', 'There is no layer above this "model output" block, so there is nothing to give out.', 'Put it below the layer whose output the model should give out.'));
      } else {
        if (!marked.includes(current)) marked.push(current);
        kept.add(current);
      }
      continue;
    }

    if (layers.length >= MAX_LAYERS) {
      diagnostics.push({
        blockId: blockIdOf(block),
        severity: 'error',
        code: 'too-many-blocks',
        message: `This model has more than ${MAX_LAYERS} layer blocks, which is more than Layerbook can handle.`,
        fix: 'Remove some layer blocks.',
      });
      break;
    }
    const id = blockIdOf(block);
    const key = layerKeyOf(block.type);
    const layer = key === null ? undefined : getLayer(key);
    if (id === null || seenIds.has(id)) {
      diagnostics.push({
        blockId: null,
        severity: 'error',
        code: 'bad-block-id',
        message: `A ${blockLabel(block)} block in the model has a missing or repeated id, so problems can't be shown on it.`,
        fix: 'Delete that block and drag in a new one.',
      });
      continue;
    }
    seenIds.add(id);
    if (!layer) {
      diagnostics.push({
        blockId: id,
        severity: 'error',
        code: 'unknown-block',
        message: `Layerbook doesn't know the block "${block.type}", so it can't be part of a model.`,
        fix: 'Delete this block, or replace it with a layer block from the toolbox.',
      });
      continue;
    }
    const args: Record<string, unknown> = {};
    for (const arg of layer.args) {
      const raw = block.fields?.[arg.name];
      // A block saved before an argument existed has no field for it: the default applies.
      if (raw !== undefined) args[arg.name] = fieldToArg(arg, raw);
      if (isInitializerArg(arg)) {
        // In a copy of a made block, a use block's setting may pick a named choice for that copy
        // alone: the block in the definition is still used by the others, so no warning there.
        const settings = readInitializerInput(block, arg, raw, scope === '' ? diagnostics : []);
        if (settings) args[arg.name] = settings;
      }
    }
    let inputs: string[];
    if (layer.isInput) {
      // An Input straight below a layer would throw that layer's work away: the shape checker
      // reports it as misplaced. After a named or marked output it starts a new branch.
      inputs = current !== null && !kept.has(current) ? [current] : [];
    } else if (layer.merge) {
      const others = readNameList(block.fields?.[MERGE_WITH_FIELD]).map((name) => resolve(name, block, scope));
      inputs = [...(current === null ? [] : [current]), ...others.filter((o): o is string => o !== null)];
    } else {
      inputs = current === null ? [] : [current];
    }
    layers.push({ id, type: layer.key, args, inputs });
    current = id;
  }

  if (expander.full && !diagnostics.some((d) => d.code === 'too-many-blocks')) {
    // The blocks the student made were copied so often that the copies alone are too many.
    diagnostics.push({
      blockId: blockIdOf(model),
      severity: 'error',
      code: 'too-many-blocks',
      message: `With all the "use" blocks copied in, this model has more than ${MAX_LAYERS} blocks, which is more than Layerbook can handle.`,
      fix: 'Use your blocks fewer times, or put fewer layers inside them.',
    });
  }
  for (const [, named] of names) {
    if (named.used) continue;
    diagnostics.push({
      blockId: named.blockId,
      severity: 'warning',
      code: 'unused-name',
      message: 'Nothing uses this name, so naming this output changes nothing.',
      fix: 'Type the name into a merge block\'s "with" box or a "use output of" block, or delete this block.',
    });
  }
  const outputs = marked.length > 0 ? marked : current !== null ? [current] : [];
  return { layers, outputs, expanded: expander.origins };
}

/**
 * The starting-weights block in a "… start as" row, as spec settings, when the row's dropdown
 * reads "custom". Without a block the value stays "custom", which the argument check explains.
 */
function readInitializerInput(block: BlockState, arg: ArgDefinition, raw: unknown, diagnostics: Diagnostic[]): Record<string, unknown> | null {
  const plugged = block.inputs?.[ADVANCED_INPUT_PREFIX + arg.name]?.block;
  const recipe = isBlock(plugged) && !isDisabled(plugged) ? initializerRecipe(initializerKindOf(plugged.type) ?? '') : undefined;
  if (raw !== CUSTOM_INITIALIZER) {
    if (recipe) {
      diagnostics.push({
        blockId: blockIdOf(plugged!),
        severity: 'warning',
        code: 'unused-initializer-block',
        message: `This ${recipe.label} block is ignored: the "${arg.label}" dropdown beside it doesn't say "${CUSTOM_INITIALIZER_LABEL}".`,
        fix: `Pick "${CUSTOM_INITIALIZER_LABEL}" in that dropdown to use this block, or remove the block.`,
      });
    }
    return null;
  }
  if (!recipe) return null;
  const fields = plugged!.fields ?? {};
  const given: Record<string, unknown> = {};
  for (const setting of recipe.settings) {
    const value = fields[setting.name];
    given[setting.name] = setting.type === 'float' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return recipeSettings(recipe, given);
}

/** The blocks of a vertical stack, top to bottom. */
export function stackBlocks(first: unknown): BlockState[] {
  const list: BlockState[] = [];
  // A hand-edited (or hostile) object could loop back on itself; Blockly JSON never does.
  const visited = new Set<BlockState>();
  let block = first;
  while (isBlock(block) && !visited.has(block)) {
    visited.add(block);
    list.push(block);
    block = block.next?.block;
  }
  return list;
}

function readOutputName(block: BlockState): string {
  const raw = block.fields?.[OUTPUT_NAME_FIELD];
  return typeof raw === 'string' ? raw.trim().slice(0, 100) : '';
}

/** "a, b" → ["a", "b"]. */
function readNameList(raw: unknown): string[] {
  if (typeof raw !== 'string') return [];
  return raw
    .split(',')
    .map((n) => n.trim().slice(0, 100))
    .filter((n) => n !== '')
    .slice(0, 64);
}

/** Names match whatever the capitals: "Skip" and "skip" are the same name to a student. */
function nameKey(name: string, scope: string): string {
  return `${scope}\u0000${name.toLowerCase()}`;
}

/** The names given so far in this scope, for a "use one of these" fix; null when there are none. */
function namedList(names: Map<string, NamedOutput>, scope: string): string | null {
  const inScope = [...names.entries()].filter(([key]) => key.startsWith(`${scope}\u0000`)).map(([, n]) => `"${n.name}"`);
  return inScope.length > 0 ? inScope.join(', ') : null;
}

function unknownName(name: string, block: BlockState, namedBelow: boolean, known: string | null): Diagnostic {
  if (namedBelow) {
    return branchProblem(
      block,
      'name-loop',
      `The output "${name}" is named further down, below this block. Data only flows downwards, so using it here would make a loop.`,
      `Move this block below the "name this output ${name}" block, or name an output above this block instead.`,
    );
  }
  return branchProblem(
    block,
    'unknown-name',
    `No output above this block is called "${name}".`,
    known === null
      ? 'First give an output a name: put a "name this output" block below a layer, then use that name here.'
      : `Use one of the names given above: ${known}. Check the spelling too.`,
  );
}

function branchProblem(block: BlockState, code: string, message: string, fix: string): Diagnostic {
  return { blockId: blockIdOf(block), severity: 'error', code, message, fix };
}

export function isDisabled(block: BlockState): boolean {
  return block.enabled === false || (Array.isArray(block.disabledReasons) && block.disabledReasons.length > 0);
}

export function blockIdOf(block: BlockState): string | null {
  return typeof block.id === 'string' && block.id.length > 0 && block.id.length <= 200 ? block.id : null;
}

const BRANCH_BLOCK_LABELS: Readonly<Record<string, string>> = {
  [NAME_OUTPUT_BLOCK_TYPE]: '"name this output"',
  [USE_OUTPUT_BLOCK_TYPE]: '"use output of"',
  [MODEL_OUTPUT_BLOCK_TYPE]: '"model output"',
  [USE_BLOCK_TYPE]: '"use"',
};

/** "Dense" for layer_dense, "name this output" for name_output; the raw type otherwise. */
function blockLabel(block: BlockState): string {
  const key = layerKeyOf(block.type);
  return (key !== null && getLayer(key)?.label) || BRANCH_BLOCK_LABELS[block.type] || block.type;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isBlock(value: unknown): value is BlockState {
  return isRecord(value) && typeof value.type === 'string';
}
