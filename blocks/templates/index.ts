export { mnistCnnWorkspace } from './mnist-cnn';
export { mnistMlpWorkspace } from './mnist-mlp';
export { modelWorkspace, type TemplateLayer } from './build';
