/** `npm run bench`: every benchmark, each printing its figures next to a baseline from the same run. */
import os from 'node:os';
import { benchCompile } from './compile';
import { benchSave } from './save';
import { benchTraining } from './training';

console.log(`Layerbook benchmarks on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
await benchCompile();
await benchSave();
await benchTraining();
process.exit(0);
