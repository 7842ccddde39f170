import type { ModelSpec } from '../../blocks/format/model-spec';
import { specFromWorkspace } from '../../blocks/workspace/from-workspace';
import { mnistMlpWorkspace, modelWorkspace } from '../../blocks/templates';

/**
 * The two networks the training benchmark compares with PyTorch on this machine, also used
 * by the trainer's tests: MLP 784-128-10, and the small CNN Conv8 → pool → Conv16 → pool →
 * Dense10 (the CNN template adds a Dense 64, so it is spelled out here).
 */
export function referenceMlpSpec(): ModelSpec {
  return specOf(mnistMlpWorkspace());
}

export function referenceCnnSpec(): ModelSpec {
  return specOf(
    modelWorkspace('reference-cnn', 'Small CNN', [
      { key: 'input', args: { shape: [28, 28, 1] } },
      { key: 'conv2d', args: { filters: 8, kernelSize: 3, activation: 'relu' } },
      { key: 'maxPooling2d', args: { poolSize: 2 } },
      { key: 'conv2d', args: { filters: 16, kernelSize: 3, activation: 'relu' } },
      { key: 'maxPooling2d', args: { poolSize: 2 } },
      { key: 'flatten' },
      { key: 'dense', args: { units: 10, activation: 'softmax' } },
    ]),
  );
}

function specOf(workspace: unknown): ModelSpec {
  const { spec, diagnostics } = specFromWorkspace(workspace);
  if (!spec) throw new Error(`Reference model did not convert: ${diagnostics.map((d) => d.message).join(' ')}`);
  return spec;
}
