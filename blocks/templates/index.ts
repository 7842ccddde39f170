export { mnistCnnWorkspace } from './mnist-cnn';
export { mnistMlpWorkspace } from './mnist-mlp';
export { lenet5Workspace } from './lenet5';
export { STARTER_TEMPLATES, workspaceHasBlocks, type StarterTemplate } from './starters';
export { modelWorkspace } from './build';
export { residualBlockWorkspace } from './residual-block';
