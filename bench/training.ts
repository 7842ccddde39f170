/**
 * Training throughput of the trainer (server/training) in samples per second, for the two
 * reference networks, on every TF.js backend that loads here, against PyTorch on the same
 * machine. Run alone: `node --import tsx bench/training.ts [wasm cpu …]`.
 */
import { pathToFileURL } from 'node:url';
import { DEFAULT_TRAINING, type ModelSpec } from '../blocks/spec/model-spec';
import { selectBackend, type BackendPreference } from '../server/training/backend';
import { buildModel } from '../server/training/build-model';
import { mnistDataset } from '../server/data/mnist';
import { evenSample, loadMnist } from '../server/training/mnist';
import { referenceCnnSpec, referenceMlpSpec } from '../server/training/reference-models';
import { train } from '../server/training/trainer';

/**
 * PyTorch (CPU) reference, measured once on this machine with the same networks, batch 64
 * and Adam: MLP 784-128-10 and Conv8 → pool → Conv16 → pool → Dense10.
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
const TARGET_SECONDS = 4;

export async function benchTraining(
  backends: BackendPreference[] = ['wasm', 'cpu'],
  log: (line: string) => void = console.log,
): Promise<TrainingBenchResult[]> {
  const mnist = loadMnist();
  const results: TrainingBenchResult[] = [];
  log('backend  model  samples/s  PyTorch ref (this machine)  ratio');
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
        const job = { runId: `bench-${model}`, spec: spec(), training: { ...DEFAULT_TRAINING, epochs: 1, batchSize: 64 } };
        const result = await train(job, { tf, build: buildModel, data, onEvent: () => {}, signal: new AbortController().signal });
        return result.samplesPerSec;
      };
      // A short run first: it warms the backend up and sizes the real run (cpu is ~100× slower than wasm).
      const rough = await measure(192);
      const images = Math.max(192, Math.min(mnist.train.count, Math.round((rough * TARGET_SECONDS) / 64) * 64));
      const samplesPerSec = await measure(images);
      const pytorch = PYTORCH_REFERENCE_SAMPLES_PER_SEC[model];
      const result = { backend: backendName, model, samplesPerSec, pytorchSamplesPerSec: pytorch, ratio: samplesPerSec / pytorch };
      results.push(result);
      log(
        `${backendName.padEnd(7)}  ${model.padEnd(5)}  ${Math.round(samplesPerSec).toString().padStart(9)}  ` +
          `${pytorch.toString().padStart(26)}  ${result.ratio.toFixed(3)}`,
      );
    }
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const requested = process.argv.slice(2) as BackendPreference[];
  await benchTraining(requested.length > 0 ? requested : undefined);
}
