/**
 * Training throughput of the trainer (server/training) in samples per second, for the two
 * reference networks, on every TF.js backend that loads here, against PyTorch on the same
 * machine: measured in the same run when python3 can import torch (bench/pytorch_reference.py),
 * else the figures recorded below. Run alone: `npm run bench -- training`, or
 * `node --import tsx bench/training.ts [wasm cpu …]` for chosen backends.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtInSource } from '../blocks/format/datasets';
import { DEFAULT_TRAINING, type ModelSpec } from '../blocks/format/model-spec';
import { selectBackend, type BackendPreference } from '../server/training/backend';
import { buildModel } from '../server/training/build-model';
import { mnistDataset } from '../server/data/mnist';
import { evenSample, loadMnist } from '../server/data/mnist-digits';
import { referenceCnnSpec, referenceMlpSpec } from '../server/training/reference-models';
import { train } from '../server/training/trainer';

/**
 * PyTorch (CPU) reference, measured once on this 2-core machine with the same networks,
 * batch 64 and Adam: MLP 784-128-10 and Conv8 → pool → Conv16 → pool → Dense10. Used when
 * torch is not installed, so that the ratio can still be printed.
 */
export const PYTORCH_REFERENCE_SAMPLES_PER_SEC = { mlp: 27_000, cnn: 12_000 } as const;

export interface TrainingBenchResult {
  backend: string;
  model: 'mlp' | 'cnn';
  samplesPerSec: number;
  pytorchSamplesPerSec: number;
  /** samplesPerSec / PyTorch's: 1 means as fast as PyTorch on this machine. */
  ratio: number;
}

const MODELS: { model: 'mlp' | 'cnn'; spec: () => ModelSpec }[] = [
  { model: 'mlp', spec: referenceMlpSpec },
  { model: 'cnn', spec: referenceCnnSpec },
];

/** About this many seconds of training per measurement, judged from a short first try. */
const TARGET_SECONDS = 3;
/** Measurements per backend and model; the best counts, since other work on the machine only ever slows a run down. */
const REPEATS = 2;

export interface PytorchFigures {
  mlp: number;
  cnn: number;
  /** Where the figures come from, for the printout. */
  source: string;
}

/**
 * PyTorch measured now by bench/pytorch_reference.py, when a python3 here has torch; null
 * otherwise. Printed beside the recorded reference but not used for the verdict: Debian's
 * python3-torch (the one apt installs here) is built with generic BLAS and ran the MLP at
 * ~4,000 samples/s, 7× below the recorded pip-installed PyTorch, so judging against it would
 * flatter TF.js.
 */
export function pytorchMeasuredNow(): PytorchFigures | null {
  const script = fileURLToPath(new URL('./pytorch_reference.py', import.meta.url));
  // Debian's python first (apt-get install python3-torch), as the code generator's PyTorch check does.
  for (const python of ['/usr/bin/python3', 'python3']) {
    const run = spawnSync(python, [script], { encoding: 'utf8', timeout: 120_000 });
    try {
      const measured = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as { mlp: number; cnn: number; threads: number; torch: string };
      if (measured.mlp > 0 && measured.cnn > 0) {
        return { mlp: measured.mlp, cnn: measured.cnn, source: `PyTorch ${measured.torch} measured now (${python}, ${measured.threads} threads)` };
      }
    } catch {
      // This python has no torch: try the next.
    }
  }
  return null;
}

/** "within 2× of PyTorch (0.62×)" or "2.4× slower than PyTorch". */
export function comparedWithPytorch(ratio: number): string {
  return ratio >= 0.5 ? `within 2× of PyTorch (${ratio.toFixed(2)}× its speed)` : `${(1 / ratio).toFixed(1)}× slower than PyTorch`;
}

export async function benchTraining(
  backends: BackendPreference[] = ['wasm', 'cpu'],
  log: (line: string) => void = console.log,
  measuredNow: PytorchFigures | null = pytorchMeasuredNow(),
): Promise<TrainingBenchResult[]> {
  const mnist = loadMnist();
  const results: TrainingBenchResult[] = [];
  const reference = PYTORCH_REFERENCE_SAMPLES_PER_SEC;
  log(`PyTorch reference (recorded on this machine): MLP ${reference.mlp}, CNN ${reference.cnn} samples/s.`);
  if (measuredNow) {
    log(`${measuredNow.source}: MLP ${Math.round(measuredNow.mlp)}, CNN ${Math.round(measuredNow.cnn)} samples/s (shown only; the verdicts use the reference).`);
  }
  log('backend  model  samples/s  PyTorch  compared with PyTorch');
  for (const preference of backends) {
    let backendName: string;
    let tf;
    try {
      ({ tf, name: backendName } = await selectBackend(preference));
    } catch (error) {
      log(`${preference.padEnd(7)}  not available: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const { model, spec } of MODELS) {
      const measure = async (images: number) => {
        const data = mnistDataset({ train: evenSample(mnist.train, images), test: evenSample(mnist.test, 64) });
        const job = { runId: `bench-${model}`, spec: spec(), dataset: builtInSource('mnist'), training: { ...DEFAULT_TRAINING, epochs: 1, batchSize: 64 } };
        const result = await train(job, { tf, build: buildModel, data, onEvent: () => {}, signal: new AbortController().signal });
        return result.samplesPerSec;
      };
      // A short run first: it warms the backend up and sizes the real run (cpu is ~100× slower than wasm).
      const rough = await measure(192);
      const images = Math.max(192, Math.min(mnist.train.count, Math.round((rough * TARGET_SECONDS) / 64) * 64));
      let samplesPerSec = 0;
      // One run where even the shortest one is long (the cpu backend): a second would only add minutes.
      const repeats = rough * TARGET_SECONDS >= 192 ? REPEATS : 1;
      for (let i = 0; i < repeats; i++) samplesPerSec = Math.max(samplesPerSec, await measure(images));
      const pytorch = reference[model];
      const result = { backend: backendName, model, samplesPerSec, pytorchSamplesPerSec: pytorch, ratio: samplesPerSec / pytorch };
      results.push(result);
      log(
        `${backendName.padEnd(7)}  ${model.padEnd(5)}  ${Math.round(samplesPerSec).toString().padStart(9)}  ` +
          `${Math.round(pytorch).toString().padStart(7)}  ${comparedWithPytorch(result.ratio)}`,
      );
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const requested = process.argv.slice(2) as BackendPreference[];
  await benchTraining(requested.length > 0 ? requested : undefined);
  process.exit(0);
}
