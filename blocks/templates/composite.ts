/**
 * Writes workspaces with blocks the student made ("make a block called …" next to the model,
 * "use …" blocks in the model) in the form Blockly saves them.
 */
import {
  BLOCK_NAME_FIELD,
  BLOCK_SETTINGS_FIELD,
  DEFINE_BLOCK_TYPE,
  DEFINE_LAYERS_INPUT,
  MODEL_LAYERS_INPUT,
  USE_BLOCK_TYPE,
  type BlockState,
  type WorkspaceState,
} from '../format/block-types';
import { branchingWorkspace, stepBlock, type BranchStep } from './branching';

export interface BlockDefinitionTemplate {
  name: string;
  /** Setting names the "use" blocks may set. */
  settings: readonly string[];
  steps: readonly BranchStep[];
}

export type CompositeStep = BranchStep | { use: string; settings?: Readonly<Record<string, string | number>>; block: true };

/**
 * The model (ids like branchingWorkspace's) followed by one "make a block" block per definition,
 * to its right. Blocks inside definition `d` get ids `<idPrefix>-def<d>-<position>-…`.
 */
export function compositeWorkspace(idPrefix: string, name: string, definitions: readonly BlockDefinitionTemplate[], steps: readonly CompositeStep[]): WorkspaceState {
  const workspace = branchingWorkspace(idPrefix, name, []);
  const model = workspace.blocks!.blocks[0]!;
  const chain = chainOf(idPrefix, steps);
  if (chain) model.inputs = { [MODEL_LAYERS_INPUT]: { block: chain } };
  definitions.forEach((definition, d) => {
    const define: BlockState = {
      type: DEFINE_BLOCK_TYPE,
      id: `${idPrefix}-def${d + 1}`,
      x: 480,
      y: 40 + d * 320,
      fields: { [BLOCK_NAME_FIELD]: definition.name, [BLOCK_SETTINGS_FIELD]: definition.settings.join(', ') },
    };
    const body = chainOf(`${idPrefix}-def${d + 1}`, definition.steps);
    if (body) define.inputs = { [DEFINE_LAYERS_INPUT]: { block: body } };
    workspace.blocks!.blocks.push(define);
  });
  return workspace;
}

function chainOf(idPrefix: string, steps: readonly CompositeStep[]): BlockState | undefined {
  let chain: BlockState | undefined;
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const block = 'block' in step ? useBlock(`${idPrefix}-${i + 1}-block`, step.use, step.settings ?? {}) : stepBlock(idPrefix, i + 1, step);
    if (chain) block.next = { block: chain };
    chain = block;
  }
  return chain;
}

function useBlock(id: string, name: string, settings: Readonly<Record<string, string | number>>): BlockState {
  const text = Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return { type: USE_BLOCK_TYPE, id, fields: { [BLOCK_NAME_FIELD]: name, [BLOCK_SETTINGS_FIELD]: text } };
}
