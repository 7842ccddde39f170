/** `npm run bench`: every benchmark, each printing its figures next to a baseline from the same run. */
import os from 'node:os';
import { benchCompile } from './compile';
import { benchQueue } from './queue';
import { benchSave } from './save';
import { heading } from './stats';
import { benchTraining } from './training';

console.log(`Layerbook benchmarks on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
await benchCompile();
await benchSave();

heading('Training throughput (batch 64, Adam; baseline: the pure-JS cpu backend in this run)');
const training = await benchTraining();
for (const model of ['mlp', 'cnn'] as const) {
  const cpu = training.find((r) => r.backend === 'cpu' && r.model === model);
  for (const result of training.filter((r) => r.model === model && r.backend !== 'cpu')) {
    const vsCpu = cpu ? `${(result.samplesPerSec / cpu.samplesPerSec).toFixed(0)}× the cpu backend` : 'no cpu baseline';
    const vsTorch = result.ratio >= 0.5 ? 'within 2× of PyTorch' : `${(1 / result.ratio).toFixed(1)}× slower than PyTorch`;
    console.log(`${result.backend} ${model}: ${vsCpu}; ${vsTorch} (reference measured on this machine)`);
  }
}

await benchQueue({
  latencyRuns: Number(process.env.BENCH_LATENCY_RUNS ?? 10),
  concurrentJobs: Number(process.env.BENCH_CONCURRENT_JOBS ?? 30),
});
process.exit(0);
