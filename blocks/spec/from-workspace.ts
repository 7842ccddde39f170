/**
 * Blockly serialization JSON → ModelSpec, without importing Blockly, so the server can
 * compile saved notebooks too. Reads only; never throws: anything unexpected becomes a
 * diagnostic. Shape and argument problems are left to the shape checker.
 */
import { getLayer } from '../catalog';
import { fieldToArg } from '../catalog/field-values';
import type { Diagnostic } from './diagnostic';
import { MODEL_BLOCK_TYPE, MODEL_LAYERS_INPUT, MODEL_NAME_FIELD, layerKeyOf, type BlockState } from './block-types';
import { SPEC_VERSION, type LayerNode, type ModelSpec } from './model-spec';

export interface WorkspaceConversion {
  /** Null only when there is no model block to read at all. */
  spec: ModelSpec | null;
  /** Id of the model block, so model-wide problems can be shown on it. */
  modelBlockId: string | null;
  diagnostics: Diagnostic[];
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
    return { spec: null, modelBlockId: null, diagnostics };
  }

  const models = topBlocks.filter((b) => b.type === MODEL_BLOCK_TYPE);
  for (const stray of topBlocks.filter((b) => b.type !== MODEL_BLOCK_TYPE)) {
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
    return { spec: null, modelBlockId: null, diagnostics };
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
  const layers = readLayerChain(model, diagnostics);
  const inputIds = layers.filter((l) => l.type === 'input').map((l) => l.id);
  const last = layers[layers.length - 1];
  const spec: ModelSpec = {
    specVersion: SPEC_VERSION,
    kind: 'sequential',
    name: readModelName(model),
    layers,
    inputs: inputIds,
    outputs: last ? [last.id] : [],
  };
  return { spec, modelBlockId, diagnostics };
}

function readTopBlocks(workspace: unknown): BlockState[] | null {
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

/** Follows the vertical stack inside the model block; each layer feeds the next one. */
function readLayerChain(model: BlockState, diagnostics: Diagnostic[]): LayerNode[] {
  const layers: LayerNode[] = [];
  const seenIds = new Set<string>();
  // A hand-edited (or hostile) object could loop back on itself; Blockly JSON never does.
  const visited = new Set<BlockState>();
  let block = model.inputs?.[MODEL_LAYERS_INPUT]?.block;
  let previousId: string | null = null;
  while (isBlock(block) && !visited.has(block)) {
    visited.add(block);
    const current: BlockState = block;
    block = current.next?.block;
    if (isDisabled(current)) continue;
    if (layers.length >= MAX_LAYERS) {
      diagnostics.push({
        blockId: blockIdOf(current),
        severity: 'error',
        code: 'too-many-blocks',
        message: `This model has more than ${MAX_LAYERS} layer blocks, which is more than Layerbook can handle.`,
        fix: 'Remove some layer blocks.',
      });
      break;
    }
    const id = blockIdOf(current);
    const key = layerKeyOf(current.type);
    const layer = key === null ? undefined : getLayer(key);
    if (id === null || seenIds.has(id)) {
      diagnostics.push({
        blockId: null,
        severity: 'error',
        code: 'bad-block-id',
        message: `A ${blockLabel(current)} block in the model has a missing or repeated id, so problems can't be shown on it.`,
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
        message: `Layerbook doesn't know the block "${current.type}", so it can't be part of a model.`,
        fix: 'Delete this block, or replace it with a layer block from the toolbox.',
      });
      continue;
    }
    const args: Record<string, unknown> = {};
    for (const arg of layer.args) {
      const raw = current.fields?.[arg.name];
      // A block saved before an argument existed has no field for it: the default applies.
      if (raw !== undefined) args[arg.name] = fieldToArg(arg, raw);
    }
    layers.push({ id, type: layer.key, args, inputs: previousId === null ? [] : [previousId] });
    previousId = id;
  }
  return layers;
}

function isDisabled(block: BlockState): boolean {
  return block.enabled === false || (Array.isArray(block.disabledReasons) && block.disabledReasons.length > 0);
}

function blockIdOf(block: BlockState): string | null {
  return typeof block.id === 'string' && block.id.length > 0 && block.id.length <= 200 ? block.id : null;
}

/** "Dense" for layer_dense; the raw type otherwise. */
function blockLabel(block: BlockState): string {
  const key = layerKeyOf(block.type);
  return (key !== null && getLayer(key)?.label) || block.type;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlock(value: unknown): value is BlockState {
  return isRecord(value) && typeof value.type === 'string';
}
