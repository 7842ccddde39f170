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
} from './toolbox';
export { applyDiagnostics, WARNING_ID, type WarnableWorkspace } from './warnings';
export { BRANCH_BLOCK_TYPES, COMPOSITE_BLOCK_TYPES } from './definitions';
export { applyQuickFix } from './quick-fix';
export { buildTrainingToolbox, TRAINING_BLOCK_TYPES } from './training-definitions';
