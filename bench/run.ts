/**
 * `npm run bench`: every benchmark, each printing its figures next to a baseline from the same
 * run. `npm run bench -- training queue` runs only the ones named (compile, save, training, queue, memory).
 */
import os from 'node:os';
import { benchCompile } from './compile';
import { benchMemory } from './memory';
import { benchQueue } from './queue';
import { benchSave } from './save';
import { heading } from './stats';
import { benchTraining, comparedWithPytorch } from './training';

const BENCHMARKS = ['compile', 'save', 'training', 'queue', 'memory'] as const;
const requested = process.argv.slice(2).map((name) => name.toLowerCase());
const unknown = requested.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark "${unknown.join('", "')}". Name any of: ${BENCHMARKS.join(', ')} (or none for all).`);
  process.exit(2);
}
const selected = (name: (typeof BENCHMARKS)[number]) => requested.length === 0 || requested.includes(name);

console.log(`Layerbook benchmarks on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
if (selected('compile')) await benchCompile();
if (selected('save')) await benchSave();

if (selected('training')) {
  heading('Training throughput (batch 64, Adam; baselines: PyTorch on this machine, and the pure-JS cpu backend in this run)');
  const training = await benchTraining();
  for (const model of ['mlp', 'cnn'] as const) {
    const cpu = training.find((r) => r.backend === 'cpu' && r.model === model);
    for (const result of training.filter((r) => r.model === model && r.backend !== 'cpu')) {
      const vsCpu = cpu ? `${(result.samplesPerSec / cpu.samplesPerSec).toFixed(0)}× the cpu backend` : 'no cpu baseline';
      console.log(`${result.backend} ${model}: ${vsCpu}; ${comparedWithPytorch(result.ratio)}`);
    }
  }
}

if (selected('queue')) {
  await benchQueue({
    latencyRuns: Number(process.env.BENCH_LATENCY_RUNS ?? 10),
    concurrentJobs: Number(process.env.BENCH_CONCURRENT_JOBS ?? 30),
  });
}
if (selected('memory')) {
  heading('Training memory: the estimate (blocks/shapes/memory.ts) against the peak measured on wasm; within 1.5× is the target');
  const results = benchMemory();
  const worst = Math.max(...results.map((r) => Math.max(r.ratio, 1 / r.ratio)));
  console.log(`Furthest from the measured peak: ${worst.toFixed(2)}× (target: at most 1.5×)`);
}
process.exit(0);
