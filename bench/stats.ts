import { readFileSync } from 'node:fs';
/** Small helpers so every benchmark reports the same way: median, tail, and a ratio to its baseline. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** Times `fn` `iterations` times after `warmup` untimed calls; milliseconds per call. */
export async function timeIt(fn: () => unknown, iterations: number, warmup = Math.ceil(iterations / 10)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

export function ms(value: number): string {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(2)} ms`;
}

export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(1)}×`;
}

export function heading(title: string): void {
  console.log(`\n== ${title}`);
}

/**
 * CPU time of the calling thread so far, from Linux's per-thread counters (/proc/thread-self);
 * NaN elsewhere. Unlike latency it hardly moves with what else the machine runs.
 */
export function thisThreadCpuMs(): number {
  try {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 per second).
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
