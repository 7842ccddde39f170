/**
 * Writes a model workspace in exactly the form Blockly saves it (every field present), so a
 * template loaded into the editor and saved again comes back unchanged.
 */
import { getLayer, initializerRecipe, isInitializerArg } from '../catalog';
import type { InitializerSettings } from '../format/initializer';
import { isInitializerSettings } from '../format/initializer';
import { layerFields } from '../catalog/field-values';
import {
  ADVANCED_INPUT_PREFIX,
  initializerBlockType,
  MODEL_BLOCK_TYPE,
  MODEL_LAYERS_INPUT,
  MODEL_NAME_FIELD,
  SHOW_ADVANCED_FIELD,
  layerBlockType,
  type BlockState,
  type WorkspaceState,
} from '../format/block-types';

export interface TemplateLayer {
  key: string;
  args?: Readonly<Record<string, unknown>>;
}

/** One layer block as Blockly saves it (no `next`); `extraFields` come first, as merge blocks show their "with" box first. */
export function layerBlockState(
  id: string,
  key: string,
  args: Readonly<Record<string, unknown>> = {},
  templateName = id,
  extraFields: Readonly<Record<string, unknown>> = {},
): BlockState {
  const layer = getLayer(key);
  if (!layer) throw new Error(`Template "${templateName}" uses unknown layer "${key}".`);
  const values = layerFields(layer, args);
  // Same field order as the block shows them: basic arguments, the toggle, advanced ones.
  const fields: Record<string, unknown> = { ...extraFields };
  for (const arg of layer.args.filter((a) => !a.advanced)) fields[arg.name] = values[arg.name];
  if (layer.args.some((a) => a.advanced)) fields[SHOW_ADVANCED_FIELD] = false;
  for (const arg of layer.args.filter((a) => a.advanced)) fields[arg.name] = values[arg.name];
  const block: BlockState = { type: layerBlockType(key), id };
  // Blockly leaves "fields" out for blocks that have none.
  if (Object.keys(fields).length > 0) block.fields = fields;
  // A starting-weights recipe with settings is a block in the row's input (its dropdown reads "custom").
  const inputs: NonNullable<BlockState['inputs']> = {};
  for (const arg of layer.args) {
    const value = args[arg.name];
    if (isInitializerArg(arg) && isInitializerSettings(value)) inputs[ADVANCED_INPUT_PREFIX + arg.name] = { block: initializerBlockState(`${id}-${arg.name}`, value) };
  }
  if (Object.keys(inputs).length > 0) block.inputs = inputs;
  return block;
}

/** A starting-weights block ("variance scaling scale 0.5 …") as Blockly saves it. */
export function initializerBlockState(id: string, settings: InitializerSettings): BlockState {
  const recipe = initializerRecipe(settings.kind);
  if (!recipe) throw new Error(`There is no starting-weights block for "${settings.kind}".`);
  const given = settings as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const setting of recipe.settings) fields[setting.name] = given[setting.name] ?? setting.default;
  return { type: initializerBlockType(recipe.kind), id, fields };
}

/** The model block around a stack of blocks, as Blockly saves a workspace holding only it. */
export function modelBlockWorkspace(idPrefix: string, name: string, chain: BlockState | undefined): WorkspaceState {
  const model: BlockState = {
    type: MODEL_BLOCK_TYPE,
    id: `${idPrefix}-model`,
    x: 40,
    y: 40,
    fields: { [MODEL_NAME_FIELD]: name },
  };
  if (chain) model.inputs = { [MODEL_LAYERS_INPUT]: { block: chain } };
  return { blocks: { languageVersion: 0, blocks: [model] } };
}

export function modelWorkspace(idPrefix: string, name: string, layers: readonly TemplateLayer[]): WorkspaceState {
  let chain: BlockState | undefined;
  // Built bottom-up because each block holds the one below it in `next`.
  for (let i = layers.length - 1; i >= 0; i--) {
    const { key, args } = layers[i]!;
    const block = layerBlockState(`${idPrefix}-${i + 1}-${key}`, key, args, idPrefix);
    if (chain) block.next = { block: chain };
    chain = block;
  }
  return modelBlockWorkspace(idPrefix, name, chain);
}
