/** Everything the editor needs from the block language's Blockly side. */
export { registerLayerBlocks } from './register';
export { buildToolbox } from './toolbox';
export { applyDiagnostics, warningText, WARNING_ID, type WarnableWorkspace } from './warnings';
export { allBlockJson, layerBlockJson, modelBlockJson, type BlockJson } from './definitions';
