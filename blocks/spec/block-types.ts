/**
 * Names shared by the Blockly block definitions (blocks/blockly) and the code that reads
 * saved workspaces without Blockly (./from-workspace). Changing one of these breaks saved
 * notebooks: add a migration instead.
 */
export const MODEL_BLOCK_TYPE = 'model';
export const MODEL_NAME_FIELD = 'NAME';
export const MODEL_LAYERS_INPUT = 'LAYERS';
/** Connection check so only layer blocks snap into a model and onto each other. */
export const LAYER_CONNECTION = 'layer';
/** Checkbox on layers that have advanced arguments; not an argument itself. */
export const SHOW_ADVANCED_FIELD = 'SHOW_ADVANCED';

const LAYER_PREFIX = 'layer_';

export function layerBlockType(layerKey: string): string {
  return LAYER_PREFIX + layerKey;
}

/** "layer_dense" → "dense"; null for blocks that are not layer blocks. */
export function layerKeyOf(blockType: string): string | null {
  return blockType.startsWith(LAYER_PREFIX) ? blockType.slice(LAYER_PREFIX.length) : null;
}

/** The part of Blockly's block serialization (serialization.blocks.State) this project uses. */
export interface BlockState {
  type: string;
  id?: string;
  x?: number;
  y?: number;
  enabled?: boolean;
  disabledReasons?: string[];
  fields?: Record<string, unknown>;
  inputs?: Record<string, { block?: BlockState; shadow?: BlockState }>;
  next?: { block?: BlockState; shadow?: BlockState };
  [other: string]: unknown;
}

/** What Blockly.serialization.workspaces.save returns, as far as this project reads it. */
export interface WorkspaceState {
  blocks?: { languageVersion: number; blocks: BlockState[] };
  [other: string]: unknown;
}
