/**
 * Writes a model workspace in exactly the form Blockly saves it (every field present), so a
 * template loaded into the editor and saved again comes back unchanged.
 */
import { getLayer } from '../catalog';
import { layerFields } from '../catalog/field-values';
import {
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
  return block;
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
