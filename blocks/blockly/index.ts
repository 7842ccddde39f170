/** Everything the editor needs from the block language's Blockly side. */
export { registerLayerBlocks } from './register';
export {
  buildToolbox,
  searchBlocks,
  SEARCH_CATEGORY_CALLBACK,
  SEARCH_CATEGORY_ID,
  SEARCH_CATEGORY_NAME,
  MY_BLOCKS_CATEGORY_NAME,
  type FlyoutItem,
  type ToolboxOptions,
} from './toolbox';
export { applyDiagnostics, warningText, WARNING_ID, type WarnableWorkspace } from './warnings';
export { allBlockJson, branchBlockJson, BRANCH_BLOCK_TYPES, compositeBlockJson, COMPOSITE_BLOCK_TYPES, layerBlockJson, modelBlockJson } from './definitions';
export type { BlockJson } from './block-json';
export { applyQuickFix } from './quick-fix';
export { buildTrainingToolbox, trainingBlockJson, TRAINING_BLOCK_TYPES, TRAINING_CATEGORY_NAME } from './training-definitions';
