import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { inferShapes } from '../shapes';
import { specFromWorkspace } from '../workspace/from-workspace';
import { SPEC_VERSION, type ModelSpec } from '../format/model-spec';
import { modelWorkspace } from '../templates/build';
import { mnistCnnWorkspace } from '../templates/mnist-cnn';
import { mnistMlpWorkspace } from '../templates/mnist-mlp';
import { emitPytorch, exportPytorch } from './emit-pytorch';

const specOf = (workspace: unknown) => specFromWorkspace(workspace).spec!;

const regularised = () =>
  specOf(
    modelWorkspace('g', 'regularised', [
      { key: 'input', args: { shape: [15, 15, 3] } },
      { key: 'conv2d', args: { filters: 4, kernelSize: [3, 5], strides: 2, padding: 'same', useBias: false } },
      { key: 'batchNormalization', args: { momentum: 0.9 } },
      { key: 'averagePooling2d', args: { poolSize: 2, strides: 1, padding: 'same' } },
      { key: 'maxPooling2d', args: { poolSize: 3, padding: 'same' } },
      { key: 'flatten' },
      { key: 'dropout', args: { rate: 0.25 } },
      { key: 'dense', args: { units: 6, activation: 'hardSigmoid' } },
      { key: 'batchNormalization', args: {} },
      { key: 'activation', args: { activation: 'softmax' } },
    ]),
  );

/** The body of forward(), which is where layout and padding mistakes would show. */
const forwardOf = (code: string) => code.slice(code.indexOf('def forward'), code.indexOf('return x'));

describe('emitPytorch (golden)', () => {
  it('MNIST CNN: permutes to channels-first once and back before Flatten', () => {
    const code = emitPytorch(specOf(mnistCnnWorkspace()));
    expect(code).toContain('self.conv2d_1 = nn.Conv2d(in_channels=1, out_channels=8, kernel_size=(3, 3), stride=(1, 1), dilation=(1, 1), bias=True)');
    expect(code).toContain('self.conv2d_2 = nn.Conv2d(in_channels=8, out_channels=16,');
    expect(code).toContain('self.dense_1 = nn.Linear(in_features=400, out_features=64, bias=True)');
    expect(code).toContain('nn.init.xavier_normal_(self.dense_1.weight)');
    expect(forwardOf(code)).toBe(
      `def forward(self, x):
        x = x.permute(0, 3, 1, 2)  # to N,C,H,W
        x = self.conv2d_1(x)
        x = torch.relu(x)
        x = self.max_pooling2d_1(x)
        x = self.conv2d_2(x)
        x = torch.relu(x)
        x = self.max_pooling2d_2(x)
        x = x.permute(0, 2, 3, 1)  # back to N,H,W,C (Keras order)
        x = torch.flatten(x, start_dim=1)
        x = self.dense_1(x)
        x = torch.relu(x)
        x = self.dense_2(x)
        x = torch.softmax(x, dim=-1)
        `,
    );
  });

  it('MNIST MLP: no permutes for a model without image layers', () => {
    const code = emitPytorch(specOf(mnistMlpWorkspace()));
    expect(code).toContain('class MnistMlp(nn.Module):');
    expect(code).toContain('self.dense_1 = nn.Linear(in_features=784, out_features=128, bias=True)');
    expect(forwardOf(code)).not.toContain('permute');
  });

  it('Dropout, BatchNormalization, pooling and TensorFlow "same" padding', () => {
    const code = emitPytorch(regularised());
    // 15×15 input, kernel 3×5, stride 2: TensorFlow pads 2 rows (1 + 1) and 4 columns (2 + 2).
    expect(forwardOf(code)).toContain('x = F.pad(x, (2, 2, 1, 1))');
    expect(code).toContain('self.batch_normalization_1 = nn.BatchNorm2d(num_features=4, eps=0.001, momentum=0.1, affine=True)');
    expect(code).toContain('self.batch_normalization_2 = nn.BatchNorm1d(num_features=6, eps=0.001, momentum=0.01, affine=True)');
    expect(forwardOf(code)).toContain('x = self.average_pooling2d_1(F.pad(x, (0, 1, 0, 1))) / self.average_pooling2d_1(F.pad(torch.ones_like(x[:, :1]), (0, 1, 0, 1)))');
    expect(forwardOf(code)).toContain('value=float("-inf")');
    expect(code).toContain('self.dropout_1 = nn.Dropout(p=0.25)');
    expect(forwardOf(code)).toContain('x = torch.clamp(0.2 * x + 0.5, 0.0, 1.0)');
  });

  it('marks layers it cannot write instead of leaving them out', () => {
    const spec: ModelSpec = {
      specVersion: SPEC_VERSION,
      kind: 'sequential',
      name: 'seq',
      layers: [
        { id: 'in', type: 'input', args: { shape: [4, 3] }, inputs: [] },
        { id: 'bn', type: 'batchNormalization', args: {}, inputs: ['in'] },
      ],
      inputs: ['in'],
      outputs: ['bn'],
    };
    const result = exportPytorch(spec);
    expect(result.unsupported).toEqual([{ id: 'bn', className: 'BatchNormalization' }]);
    expect(result.code).toContain('raise NotImplementedError("BatchNormalization is not available in PyTorch export yet")');
  });

  it('names the layer inside a wrapper it cannot write', () => {
    const spec: ModelSpec = {
      specVersion: SPEC_VERSION,
      kind: 'sequential',
      name: 'seq',
      layers: [
        { id: 'in', type: 'input', args: { shape: [4, 3] }, inputs: [] },
        { id: 'bi', type: 'bidirectionalGru', args: { units: 2 }, inputs: ['in'] },
      ],
      inputs: ['in'],
      outputs: ['bi'],
    };
    const result = exportPytorch(spec);
    expect(result.unsupported).toEqual([{ id: 'bi', className: 'Bidirectional(GRU)' }]);
    expect(result.code).toContain('raise NotImplementedError("Bidirectional(GRU) is not available in PyTorch export yet")');
  });
});

/**
 * Runs the exported code in real PyTorch. Debian's python (/usr/bin/python3), not a pyenv
 * one: `apt-get install python3-torch`. LAYERBOOK_TORCH_TEST=1 makes a missing torch a failure.
 */
const PYTHON = '/usr/bin/python3';
const torchImportable = spawnSync(PYTHON, ['-c', 'import torch'], { timeout: 60_000 }).status === 0;
const torchRequired = process.env.LAYERBOOK_TORCH_TEST === '1';

describe.runIf(torchImportable || torchRequired)('PyTorch export runs in PyTorch', () => {
  it.each([
    ['MNIST CNN', () => specOf(mnistCnnWorkspace())],
    ['MNIST MLP', () => specOf(mnistMlpWorkspace())],
    ['regularised', regularised],
  ])('%s: same parameter count and output shape as the spec', (_name, makeSpec) => {
    expect(torchImportable, `${PYTHON} can't import torch: apt-get install python3-torch`).toBe(true);
    const spec = makeSpec();
    const trace = inferShapes(spec);
    const inputShape = trace.layers[0]!.outputShape!.slice(1);
    const check = `
import json
model.eval()
params = sum(p.numel() for p in model.parameters())
stats = sum(b.numel() for n, b in model.named_buffers() if not n.endswith("num_batches_tracked"))
out = model(torch.rand(2, ${inputShape.join(', ')}))
print("RESULT" + json.dumps({"params": params + stats, "shape": list(out.shape)}))
`;
    const run = spawnSync(PYTHON, ['-'], { input: emitPytorch(spec) + check, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/Error/);
    const result = JSON.parse(run.stdout.split('RESULT')[1]!);
    expect(result.params).toBe(trace.totalParams);
    expect(result.shape).toEqual([2, ...trace.layers[trace.layers.length - 1]!.outputShape!.slice(1)]);
  });

  it('starts weights with recipes that have settings as Keras would (variance scaling, orthogonal, identity, constant, ranges)', () => {
    expect(torchImportable, `${PYTHON} can't import torch: apt-get install python3-torch`).toBe(true);
    const dense = (units: number, kernelInitializer: unknown, biasInitializer: unknown = 'zeros') => ({ key: 'dense', args: { units, kernelInitializer, biasInitializer } });
    const spec = specOf(
      modelWorkspace('i', 'recipes', [
        { key: 'input', args: { shape: [400] } },
        dense(300, { kind: 'varianceScaling', scale: 0.5, mode: 'fan_in', distribution: 'uniform' }, { kind: 'constant', value: 0.3 }),
        dense(300, { kind: 'varianceScaling', scale: 3, mode: 'fan_avg', distribution: 'truncated_normal' }, { kind: 'randomUniform', minval: -0.2, maxval: 0.3 }),
        dense(300, { kind: 'orthogonal', gain: 2 }, { kind: 'randomNormal', mean: 0.1, stddev: 0.02 }),
        dense(300, { kind: 'identity', gain: 0.5 }),
        dense(200, { kind: 'truncatedNormal', mean: 0.2, stddev: 0.03 }),
        dense(300, { kind: 'varianceScaling', scale: 2, mode: 'fan_out', distribution: 'untruncated_normal' }),
      ]),
    );
    const check = `
import json
w = [model.dense_1, model.dense_2, model.dense_3, model.dense_4, model.dense_5, model.dense_6]
print("RESULT" + json.dumps({
  "vsUniformMax": w[0].weight.abs().max().item(), "vsUniformLimit": (3 * 0.5 / 400) ** 0.5,
  "constant": w[0].bias.unique().tolist(),
  "vsNormalStd": w[1].weight.std().item(), "vsNormalWanted": (3 / 300) ** 0.5,
  "uniformRange": [w[1].bias.min().item(), w[1].bias.max().item()],
  "orthogonal": (w[2].weight @ w[2].weight.T - 4 * torch.eye(300)).abs().max().item(),
  "normalMean": w[2].bias.mean().item(),
  "identity": (w[3].weight - 0.5 * torch.eye(300)).abs().max().item(),
  "truncatedRange": [w[4].weight.min().item(), w[4].weight.max().item()],
  "untruncatedStd": w[5].weight.std().item() / (2 / 300) ** 0.5,
  "untruncatedFarthest": w[5].weight.abs().max().item() / (2 / 300) ** 0.5,
}))
`;
    const run = spawnSync(PYTHON, ['-'], { input: emitPytorch(spec) + check, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).not.toMatch(/Error/);
    const r = JSON.parse(run.stdout.split('RESULT')[1]!);
    expect(r.vsUniformMax).toBeLessThanOrEqual(r.vsUniformLimit);
    expect(r.vsUniformMax).toBeGreaterThan(r.vsUniformLimit * 0.95);
    expect(r.constant).toEqual([expect.closeTo(0.3, 6)]);
    expect(r.vsNormalStd).toBeCloseTo(r.vsNormalWanted, 2);
    expect(r.uniformRange[0]).toBeGreaterThanOrEqual(-0.2);
    expect(r.uniformRange[1]).toBeLessThanOrEqual(0.3);
    expect(r.orthogonal).toBeLessThan(1e-3);
    expect(r.normalMean).toBeCloseTo(0.1, 2);
    expect(r.identity).toBe(0);
    expect(r.truncatedRange[0]).toBeGreaterThanOrEqual(0.2 - 0.06 - 1e-6);
    expect(r.truncatedRange[1]).toBeLessThanOrEqual(0.2 + 0.06 + 1e-6);
    expect(r.untruncatedStd).toBeCloseTo(1, 1);
    expect(r.untruncatedFarthest).toBeGreaterThan(3);
  });
});
