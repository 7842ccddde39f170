import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { BUILT_IN_DATASETS } from '../format/datasets';
import { mnistMlpWorkspace, modelWorkspace } from '../templates';
import { datasetFitDiagnostics } from './dataset-fit';

const flat = (inputs: number, units: number) =>
  compileCell(
    modelWorkspace('flat', 'Flat', [
      { key: 'input', args: { shape: [inputs] } },
      { key: 'dense', args: { units: 8, activation: 'relu' } },
      { key: 'dense', args: { units, activation: 'softmax' } },
    ]),
  );

describe('datasetFitDiagnostics', () => {
  it('accepts a model whose Input holds one example and whose last layer gives one number per class', () => {
    expect(datasetFitDiagnostics(compileCell(mnistMlpWorkspace()), BUILT_IN_DATASETS.mnist)).toEqual([]);
    expect(datasetFitDiagnostics(flat(4, 3), BUILT_IN_DATASETS.iris)).toEqual([]);
  });

  it('points at the Input block with the numbers to type when the shapes differ', () => {
    const compiled = compileCell(mnistMlpWorkspace());
    const [problem] = datasetFitDiagnostics(compiled, BUILT_IN_DATASETS.iris);
    expect(problem).toEqual({
      blockId: compiled.spec!.inputs[0],
      severity: 'error',
      code: 'input-does-not-fit-data',
      message: 'Your Input block says 28×28×1 but the Iris flowers data has 4 numbers per example.',
      fix: 'Set the Input shape to 4.',
    });
  });

  it('fits data to an Input with a size left open ("any"), and still checks the fixed sizes', () => {
    const conv = (shape: (number | null)[]) =>
      compileCell(
        modelWorkspace('open', 'Open', [
          { key: 'input', args: { shape } },
          { key: 'conv2d', args: { filters: 4, kernelSize: 3 } },
          { key: 'globalAveragePooling2d' },
          { key: 'dense', args: { units: 10, activation: 'softmax' } },
        ]),
      );
    expect(datasetFitDiagnostics(conv([null, null, 1]), BUILT_IN_DATASETS.mnist)).toEqual([]);
    const [problem] = datasetFitDiagnostics(conv([null, null, 3]), BUILT_IN_DATASETS.mnist);
    expect(problem).toMatchObject({ code: 'input-does-not-fit-data' });
    expect(problem!.message).toContain('[any, any, 3]');
  });

  it("points at the last layer and names the dataset's class count", () => {
    const compiled = flat(2, 10);
    const problems = datasetFitDiagnostics(compiled, BUILT_IN_DATASETS.spiral);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ blockId: compiled.spec!.outputs[0], code: 'output-does-not-fit-classes' });
    expect(problems[0]!.message).toBe('The last layer gives [10] numbers per example, but Spiral has 2 classes.');
    expect(problems[0]!.fix).toContain('a Dense layer with 2 units');
  });
});
