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

/**
 * Branching blocks (functional models). They sit in the layer stack like layers but are not
 * layers: "name this output" gives the data at that point a name, "use output of" continues
 * from a named output instead of the block above, "model output" marks the data at that point
 * as one of the model's outputs. Merge layer blocks list the names they combine in a field.
 */
export const NAME_OUTPUT_BLOCK_TYPE = 'name_output';
export const USE_OUTPUT_BLOCK_TYPE = 'use_output';
export const MODEL_OUTPUT_BLOCK_TYPE = 'model_output';
/** The name field of name_output and use_output. */
export const OUTPUT_NAME_FIELD = 'NAME';
/** On merge layer blocks: names of the other outputs combined with the data from above, separated by commas. */
export const MERGE_WITH_FIELD = 'WITH';

/**
 * Rows of a layer's advanced arguments sit in inputs named with this prefix and the argument
 * name, so they can be hidden; a "… start as" row's input holds a starting-weights block.
 */
export const ADVANCED_INPUT_PREFIX = 'ADVANCED_';

/**
 * Starting-weights blocks ("variance scaling scale 0.5 …"): value blocks plugged into a layer's
 * "… start as" row when its dropdown reads "custom". One block type per recipe kind.
 */
export const INITIALIZER_CONNECTION = 'initializer';
const INITIALIZER_PREFIX = 'initializer_';

export function initializerBlockType(kind: string): string {
  return INITIALIZER_PREFIX + kind;
}

/** "initializer_constant" → "constant"; null for other blocks. */
export function initializerKindOf(blockType: string): string | null {
  return blockType.startsWith(INITIALIZER_PREFIX) ? blockType.slice(INITIALIZER_PREFIX.length) : null;
}

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

/**
 * Blocks a student makes themselves (composite blocks). "make a block called [conv block] with
 * settings [filters]" is a hat block outside the model holding a stack of layer blocks; "use
 * [conv block] with [filters=32]" snaps into a stack like a layer and stands for a copy of those
 * layers, with each listed setting changed on every layer inside that has it.
 */
export const DEFINE_BLOCK_TYPE = 'define_block';
export const USE_BLOCK_TYPE = 'use_block';
/** The block's name, on both define_block and use_block. */
export const BLOCK_NAME_FIELD = 'NAME';
/** define_block: setting names separated by commas; use_block: name=value pairs separated by commas. */
export const BLOCK_SETTINGS_FIELD = 'SETTINGS';
/** The statement input of define_block holding its layers. */
export const DEFINE_LAYERS_INPUT = 'LAYERS';
