/**
 * Compile latency: what a student waits for after every block edit (workspace JSON → spec
 * → shapes + diagnostics → code). Baseline: a structured clone of the same workspace JSON,
 * the least any per-edit work on it could cost.
 */
import { pathToFileURL } from 'node:url';
import { compileCell } from '../blocks/compile';
import { modelWorkspace, type TemplateLayer } from '../blocks/templates/build';
import { heading, median, ms, percentile, ratio, timeIt } from './stats';

function denseStack(layerCount: number): unknown {
  const layers: TemplateLayer[] = [{ key: 'input', args: { shape: [32] } }];
  for (let i = 1; i < layerCount - 1; i++) layers.push({ key: 'dense', args: { units: 32, activation: 'relu' } });
  layers.push({ key: 'dense', args: { units: 10, activation: 'softmax' } });
  return modelWorkspace(`bench-${layerCount}`, `Stack of ${layerCount}`, layers);
}

export async function benchCompile(): Promise<void> {
  heading('Compile latency (blocks JSON → spec → shapes → code → diagnostics)');
  for (const layerCount of [10, 100]) {
    const workspace = denseStack(layerCount);
    const check = compileCell(workspace);
    if (check.diagnostics.some((d) => d.severity === 'error')) throw new Error(`bench stack of ${layerCount} does not compile`);
    const iterations = layerCount === 10 ? 2000 : 500;
    const compile = await timeIt(() => compileCell(workspace), iterations);
    const baseline = await timeIt(() => structuredClone(workspace), iterations);
    console.log(
      `${String(layerCount).padStart(3)} layers: median ${ms(median(compile))}, p95 ${ms(percentile(compile, 95))}` +
        `  (baseline structuredClone median ${ms(median(baseline))}; compile = ${ratio(median(compile), median(baseline))})`,
    );
  }
  // A model far over the parameter limit is refused by arithmetic alone, never by making its weights.
  const huge = modelWorkspace('bench-huge', 'A billion parameters', [
    { key: 'input', args: { shape: [1000, 1000, 1] } },
    { key: 'flatten' },
    { key: 'dense', args: { units: 1000 } },
  ]);
  if (!compileCell(huge).diagnostics.some((d) => d.code === 'too-many-params')) throw new Error('the billion-parameter bench model was not refused');
  const refusal = await timeIt(() => compileCell(huge), 200);
  console.log(`refusing a 10^9-parameter model: median ${ms(median(refusal))}, p95 ${ms(percentile(refusal, 95))}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchCompile();
