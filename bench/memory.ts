/**
 * Calibration of the training memory estimate (blocks/shapes/memory.ts) against what training
 * really takes on the wasm backend: each case runs in a fresh process, which builds the model,
 * trains two batches of random data with the trainer's settings (Adam, categorical
 * crossentropy, accuracy) and reports how far its peak resident memory (VmHWM) rose above
 * the memory it held once the model was built. Prints estimate vs measured and their ratio.
 * Run alone: `npm run bench -- memory`, or `node --import tsx bench/memory.ts [case names]`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileCell } from '../blocks/compile';
import { modelWorkspace } from '../blocks/templates';
import { DEFAULT_TRAINING } from '../blocks/format/model-spec';
import { specFromWorkspace } from '../blocks/workspace/from-workspace';
import { formatBytes } from '../blocks/shapes/memory';

type Blocks = Parameters<typeof modelWorkspace>[2];

export interface MemoryCase {
  name: string;
  blocks: Blocks;
  batchSize: number;
}

const MNIST_INPUT = { key: 'input', args: { shape: [28, 28, 1] } } as const;
const softmax10 = { key: 'dense', args: { units: 10, activation: 'softmax' } } as const;

/** MLPs and CNNs at the batch sizes students pick, up to the issue's Conv2D 128 at batch 2048. */
export const MEMORY_CASES: MemoryCase[] = [
  { name: 'mlp-784-128-10 b256', batchSize: 256, blocks: [{ key: 'input', args: { shape: [784] } }, { key: 'dense', args: { units: 128, activation: 'relu' } }, softmax10] },
  { name: 'mlp-784-1024x2-10 b1024', batchSize: 1024, blocks: [{ key: 'input', args: { shape: [784] } }, { key: 'dense', args: { units: 1024, activation: 'relu' } }, { key: 'dense', args: { units: 1024, activation: 'relu' } }, softmax10] },
  { name: 'cnn-small b64', batchSize: 64, blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 8, kernelSize: 3, activation: 'relu' } }, { key: 'maxPooling2d', args: { poolSize: 2 } }, { key: 'conv2d', args: { filters: 16, kernelSize: 3, activation: 'relu' } }, { key: 'maxPooling2d', args: { poolSize: 2 } }, { key: 'flatten' }, softmax10] },
  { name: 'cnn-small b1024', batchSize: 1024, blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 8, kernelSize: 3, activation: 'relu' } }, { key: 'maxPooling2d', args: { poolSize: 2 } }, { key: 'conv2d', args: { filters: 16, kernelSize: 3, activation: 'relu' } }, { key: 'maxPooling2d', args: { poolSize: 2 } }, { key: 'flatten' }, softmax10] },
  { name: 'conv32-same b256', batchSize: 256, blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } }, { key: 'flatten' }, softmax10] },
  { name: 'conv128-same b128', batchSize: 128, blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 128, kernelSize: 3, padding: 'same' } }, { key: 'flatten' }, softmax10] },
  { name: 'conv128-same b512', batchSize: 512, blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 128, kernelSize: 3, padding: 'same' } }, { key: 'flatten' }, softmax10] },
  { name: 'conv64-pool-conv64 b512', batchSize: 512, blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 64, kernelSize: 3, activation: 'relu' } }, { key: 'maxPooling2d', args: { poolSize: 2 } }, { key: 'conv2d', args: { filters: 64, kernelSize: 3, activation: 'relu' } }, { key: 'flatten' }, softmax10] },
];

/** The issue's model at batch 2048: measured on request only (it needs about 4 GB). */
export const ISSUE_CASE: MemoryCase = {
  name: 'conv128-same b2048 (issue 8)',
  batchSize: 2048,
  blocks: [MNIST_INPUT, { key: 'conv2d', args: { filters: 128, kernelSize: 3, padding: 'same' } }, { key: 'flatten' }, softmax10],
};

function workspaceOf(c: MemoryCase): unknown {
  return modelWorkspace('bench', c.name, c.blocks);
}

export function estimateOf(c: MemoryCase): number {
  return compileCell(workspaceOf(c), { batchSize: c.batchSize, maxTrainingBytes: Number.MAX_SAFE_INTEGER }).trainingBytes;
}

function statusBytes(field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** In the child: builds and trains one case, printing the peak growth in bytes. */
async function measureHere(c: MemoryCase): Promise<void> {
  const { selectBackend } = await import('../server/training/backend');
  const { buildModel } = await import('../server/training/build-model');
  const { makeOptimizer } = await import('../server/training/trainer');
  const { tf } = await selectBackend('wasm');
  const { spec } = specFromWorkspace(workspaceOf(c));
  const model = buildModel(tf, spec!);
  const training = { ...DEFAULT_TRAINING, batchSize: c.batchSize, optimizer: 'adam' as const };
  model.compile({ optimizer: makeOptimizer(tf, training), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const size = inputShape.reduce((a, b) => a * b, 1);
  // The dataset is held by the trainer before any of this; the batch's own copy is part of the step.
  const features = Float32Array.from({ length: size * c.batchSize }, () => Math.random());
  const labels = new Float32Array(10 * c.batchSize).map((_, i) => (i % 10 === 0 ? 1 : 0));
  const before = statusBytes('VmRSS');
  for (let step = 0; step < 2; step++) {
    const xs = tf.tensor(features, [c.batchSize, ...inputShape]);
    const ys = tf.tensor(labels, [c.batchSize, 10]);
    await model.trainOnBatch(xs, ys);
    tf.dispose([xs, ys]);
  }
  process.stdout.write(`${JSON.stringify({ peakBytes: statusBytes('VmHWM') - before })}\n`);
}

export interface MemoryMeasurement {
  name: string;
  estimateBytes: number;
  measuredBytes: number;
  ratio: number;
}

export function benchMemory(cases: MemoryCase[] = MEMORY_CASES): MemoryMeasurement[] {
  const self = fileURLToPath(import.meta.url);
  const results: MemoryMeasurement[] = [];
  for (const c of cases) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--measure', c.name], { encoding: 'utf8', env: { ...process.env, LAYERBOOK_WASM_THREADS: '1' } });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let measuredBytes = NaN;
    try {
      measuredBytes = (JSON.parse(line) as { peakBytes: number }).peakBytes;
    } catch {
      console.error(`${c.name}: the measuring process failed (${child.status ?? child.signal}): ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    const estimateBytes = estimateOf(c);
    const result = { name: c.name, estimateBytes, measuredBytes, ratio: estimateBytes / measuredBytes };
    results.push(result);
    console.log(`${c.name.padEnd(30)} estimate ${formatBytes(estimateBytes).padStart(9)}   measured ${formatBytes(measuredBytes).padStart(9)}   estimate/measured ${result.ratio.toFixed(2)}`);
  }
  return results;
}

const allCases = [...MEMORY_CASES, ISSUE_CASE];
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') {
    void measureHere(allCases.find((c) => c.name === args[1])!);
  } else {
    const named = args.length > 0 ? allCases.filter((c) => args.some((a) => c.name.startsWith(a))) : MEMORY_CASES;
    benchMemory(named);
  }
}
