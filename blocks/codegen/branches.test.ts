import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileCell } from '../compile';
import { inferShapes } from '../shapes';
import type { ModelSpec } from '../format/model-spec';
import { branchingWorkspace } from '../templates/branching';
import { residualBlockWorkspace } from '../templates/residual-block';
import { twoInputsWorkspace } from '../templates/two-inputs';
import { emitKeras } from './emit-keras';
import { exportPytorch } from './emit-pytorch';
import { emitTfjs } from './emit-tfjs';

const specOf = (workspace: unknown): ModelSpec => {
  const result = compileCell(workspace);
  expect(result.diagnostics).toEqual([]);
  return result.spec!;
};

/** Every merge layer once, in a model with two inputs and two outputs. */
const allMerges = () =>
  specOf(
    branchingWorkspace('m', 'all merges', [
      { key: 'input', args: { shape: [6] } },
      { name: 'a' },
      { key: 'input', args: { shape: [6] } },
      { name: 'b' },
      { key: 'add', with: ['a'] },
      { key: 'multiply', with: ['b'] },
      { key: 'average', with: ['a', 'b'] },
      { key: 'maximum', with: ['a'] },
      { key: 'minimum', with: ['b'] },
      { name: 'm' },
      { key: 'dot', args: { axes: -1, normalize: true }, with: ['a'] },
      { key: 'concatenate', with: ['m'] },
      { output: true },
      { use: 'm' },
      { key: 'dense', args: { units: 2 } },
      { output: true },
    ]),
  );

describe('code for models with branches (golden)', () => {
  it('TF.js: tf.model with the merge applied to both branches', () => {
    expect(emitTfjs(specOf(twoInputsWorkspace()))).toBe(
      [
        'const input1 = tf.input({shape: [8]});',
        'const input2 = tf.input({shape: [4]});',
        "const dense1 = tf.layers.dense({units: 16, activation: 'relu'}).apply(input1);",
        "const dense2 = tf.layers.dense({units: 8, activation: 'relu'}).apply(input2);",
        'const concatenate1 = tf.layers.concatenate().apply([dense2, dense1]);',
        'const dense3 = tf.layers.dense({units: 1}).apply(concatenate1);',
        'const model = tf.model({inputs: [input1, input2], outputs: dense3});',
        '',
      ].join('\n'),
    );
  });

  it('Keras: the functional API with keras.Model(inputs, outputs)', () => {
    const code = emitKeras(specOf(residualBlockWorkspace()));
    expect(code).toContain('add_1 = layers.Add()([conv2d_3, conv2d_1])\n');
    expect(code).toContain('model = keras.Model(inputs=inputs_1, outputs=dense_1, name="Residual block (MNIST)")\n');
    const merges = emitKeras(allMerges());
    expect(merges).toContain('dot_1 = layers.Dot(axes=-1, normalize=True)([minimum_1, inputs_1])\n');
    expect(merges).toContain('model = keras.Model(inputs=[inputs_1, inputs_2], outputs=[concatenate_1, dense_1], name="all merges")\n');
  });

  it('PyTorch: forward takes one argument per input and merges in Keras order', () => {
    const { code, unsupported } = exportPytorch(specOf(residualBlockWorkspace()));
    expect(unsupported).toEqual([]);
    expect(code).toContain('    def forward(self, input_1):\n');
    // Both branches are channels-first images already: added as they are.
    expect(code).toContain('        add_1 = conv2d_3 + conv2d_1\n');
    const merges = exportPytorch(allMerges());
    expect(merges.unsupported).toEqual([]);
    expect(merges.code).toContain('    def forward(self, input_1, input_2):\n');
    expect(merges.code).toContain('average_1 = (multiply_1 + input_1 + input_2) / 3\n');
    expect(merges.code).toContain('dot_1 = torch.sum(F.normalize(minimum_1, dim=1) * F.normalize(input_1, dim=1), dim=1, keepdim=True)\n');
    expect(merges.code).toContain('concatenate_1 = torch.cat([dot_1, minimum_1], dim=-1)\n');
    expect(merges.code).toContain('        return concatenate_1, dense_1\n');
  });
});

const PYTHON = '/usr/bin/python3';
const torchImportable = spawnSync(PYTHON, ['-c', 'import torch'], { timeout: 60_000 }).status === 0;
const torchRequired = process.env.LAYERBOOK_TORCH_TEST === '1';

describe.runIf(torchImportable || torchRequired)('PyTorch export of branches runs in PyTorch', () => {
  it.each([
    ['residual block', () => specOf(residualBlockWorkspace())],
    ['two inputs', () => specOf(twoInputsWorkspace())],
    ['every merge, two outputs', allMerges],
  ])('%s: same parameter count and output shapes as the spec', (_name, makeSpec) => {
    const spec = makeSpec();
    const trace = inferShapes(spec);
    const shapeOf = (id: string) => trace.layers.find((l) => l.id === id)!.outputShape!.slice(1);
    const inputs = spec.inputs.map((id) => `torch.rand(2, ${shapeOf(id).join(', ')})`).join(', ');
    const check = `
import json
model.eval()
out = model(${inputs})
outs = out if isinstance(out, tuple) else (out,)
print("RESULT" + json.dumps({"params": sum(p.numel() for p in model.parameters()), "shapes": [list(o.shape) for o in outs]}))
`;
    const run = spawnSync(PYTHON, ['-'], { input: exportPytorch(spec).code + check, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/Error/);
    const result = JSON.parse(run.stdout.split('RESULT')[1]!);
    expect(result.params).toBe(trace.totalParams);
    expect(result.shapes).toEqual(spec.outputs.map((id) => [2, ...shapeOf(id)]));
  });
});
