import { describe, expect, it } from 'vitest';
import { memoryCapFlags, residentBytes, watchMemory } from './memory-watch';

describe('memory cap of a training process', () => {
  it('gives the JavaScript heap half the cap and WebAssembly memory all of it, never past what wasm32 can address', () => {
    expect(memoryCapFlags(3 * 1024 ** 3)).toEqual(['--max-old-space-size=1536', '--wasm-max-mem-pages=49152']);
    expect(memoryCapFlags(16 * 1024 ** 3)).toEqual(['--max-old-space-size=8192', '--wasm-max-mem-pages=65536']);
    // A tiny cap still leaves Node a heap it can start with.
    expect(memoryCapFlags(100 * 1024 ** 2)[0]).toBe('--max-old-space-size=256');
  });

  it("reads a process's resident memory, and none of a process that is gone", async () => {
    // Generous bounds: this test process holds at least Node itself and less than any machine's memory.
    const own = await residentBytes(process.pid);
    expect(own).toBeGreaterThan(10 * 1024 ** 2);
    expect(own).toBeLessThan(1024 ** 4);
    expect(await residentBytes(2 ** 22 + 12345)).toBeNull();
  });

  it('calls once when the process passes its cap, with the figure read', async () => {
    const heard: number[] = [];
    await new Promise<void>((resolve) => {
      watchMemory(process.pid, 1024, 10, (bytes) => {
        heard.push(bytes);
        setTimeout(resolve, 100);
      });
    });
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBeGreaterThan(1024);
  });

  it('stays quiet under the cap and after it is stopped', async () => {
    let calls = 0;
    const stop = watchMemory(process.pid, 1024 ** 4, 10, () => calls++);
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();
    const stopped = watchMemory(process.pid, 1024, 10, () => calls++);
    stopped();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(0);
  });
});
