/**
 * Writes workspaces with branches (functional models) in the form Blockly saves them: layer
 * blocks plus "name this output", "use output of" and "model output" blocks in one stack.
 */
import { getLayer } from '../catalog';
import {
  MERGE_WITH_FIELD,
  MODEL_OUTPUT_BLOCK_TYPE,
  NAME_OUTPUT_BLOCK_TYPE,
  OUTPUT_NAME_FIELD,
  USE_OUTPUT_BLOCK_TYPE,
  type BlockState,
  type WorkspaceState,
} from '../format/block-types';
import type { ModelSpec } from '../format/model-spec';
import { layerBlockState, modelBlockWorkspace, type TemplateLayer } from './build';

export type BranchStep =
  /** A layer; merge layers list the names they combine with the data from above in `with`. */
  | (TemplateLayer & { with?: readonly string[] })
  /** Names the output of the block above. */
  | { name: string }
  /** Continues from a named output instead of the block above. */
  | { use: string }
  /** Marks the output of the block above as a model output. */
  | { output: true };

/** Block ids are `<idPrefix>-<position>-<layer key or name/use/output>`, like modelWorkspace's. */
export function branchingWorkspace(idPrefix: string, name: string, steps: readonly BranchStep[]): WorkspaceState {
  let chain: BlockState | undefined;
  for (let i = steps.length - 1; i >= 0; i--) {
    const block = stepBlock(idPrefix, i + 1, steps[i]!);
    if (chain) block.next = { block: chain };
    chain = block;
  }
  return modelBlockWorkspace(idPrefix, name, chain);
}

export function stepBlock(idPrefix: string, position: number, step: BranchStep): BlockState {
  if ('name' in step) return { type: NAME_OUTPUT_BLOCK_TYPE, id: `${idPrefix}-${position}-name`, fields: { [OUTPUT_NAME_FIELD]: step.name } };
  if ('use' in step) return { type: USE_OUTPUT_BLOCK_TYPE, id: `${idPrefix}-${position}-use`, fields: { [OUTPUT_NAME_FIELD]: step.use } };
  if ('output' in step) return { type: MODEL_OUTPUT_BLOCK_TYPE, id: `${idPrefix}-${position}-output` };
  const isMerge = getLayer(step.key)?.merge !== undefined;
  const extra = isMerge ? { [MERGE_WITH_FIELD]: (step.with ?? []).join(', ') } : {};
  return layerBlockState(`${idPrefix}-${position}-${step.key}`, step.key, step.args, idPrefix, extra);
}

/**
 * The blocks for any model graph (an imported Keras model): layers in spec order, a "use output
 * of" where a layer doesn't read the one above it, a "name this output" on every output used
 * further away, "model output" marks unless the last block is the only output. Names are the
 * layer ids (Keras layer names), made unique regardless of capitals.
 */
export function branchStepsOf(spec: ModelSpec): BranchStep[] {
  const position = new Map(spec.layers.map((l, i) => [l.id, i]));
  const needsName = new Set<string>();
  for (const [i, node] of spec.layers.entries()) {
    node.inputs.forEach((source, k) => {
      if (k > 0 || position.get(source) !== i - 1) needsName.add(source);
    });
  }
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const nameOf = (id: string) => {
    let name = names.get(id);
    if (name !== undefined) return name;
    const base = id.replace(/,/g, '_').trim().slice(0, 80) || 'output';
    name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    taken.add(name.toLowerCase());
    names.set(id, name);
    return name;
  };
  const last = spec.layers[spec.layers.length - 1]?.id;
  const markOutputs = !(spec.outputs.length === 1 && spec.outputs[0] === last);
  const steps: BranchStep[] = [];
  let previous: string | null = null;
  for (const node of spec.layers) {
    const [first, ...others] = node.inputs;
    if (first !== undefined && first !== previous) steps.push({ use: nameOf(first) });
    steps.push(others.length > 0 ? { key: node.type, args: node.args, with: others.map(nameOf) } : { key: node.type, args: node.args });
    if (needsName.has(node.id)) steps.push({ name: nameOf(node.id) });
    if (markOutputs && spec.outputs.includes(node.id)) steps.push({ output: true });
    previous = node.id;
  }
  return steps;
}
