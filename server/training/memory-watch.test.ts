import { describe, expect, it } from 'vitest';
import { memoryCapFlags, residentBytes, residentBytesFromPs, watchMemory, type MemoryReader } from './memory-watch';

/** Waits, without a deadline of its own (the test's timeout is the limit), until condition holds. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('memory cap of a training process', () => {
  it('gives the JavaScript heap half the cap and WebAssembly memory all of it, never past what wasm32 can address', () => {
    expect(memoryCapFlags(3 * 1024 ** 3)).toEqual(['--max-old-space-size=1536', '--wasm-max-mem-pages=49152']);
    expect(memoryCapFlags(16 * 1024 ** 3)).toEqual(['--max-old-space-size=8192', '--wasm-max-mem-pages=65536']);
    // A tiny cap still leaves Node a heap it can start with.
    expect(memoryCapFlags(100 * 1024 ** 2)[0]).toBe('--max-old-space-size=256');
  });

  // The first is /proc on Linux (ps on macOS); the second is the path a machine without /proc takes.
  describe.each([
    ["this machine's reader", residentBytes],
    ['the ps reader', residentBytesFromPs],
  ])('%s', (_name, read) => {
    it("reads a process's resident memory, and none of a process that is gone", async () => {
      // Generous bounds: this test process holds at least Node itself and less than any machine's memory.
      const own = await read(process.pid);
      expect(own).toBeGreaterThan(10 * 1024 ** 2);
      expect(own).toBeLessThan(1024 ** 4);
      expect(await read(2 ** 22 + 12345)).toBeNull();
    });

    it('makes the watch call once when the process passes its cap, with the figure read', async () => {
      const heard: number[] = [];
      await new Promise<void>((resolve) => {
        watchMemory(
          process.pid,
          1024,
          10,
          (bytes) => {
            heard.push(bytes);
            setTimeout(resolve, 100);
          },
          read,
        );
      });
      expect(heard).toHaveLength(1);
      expect(heard[0]).toBeGreaterThan(10 * 1024 ** 2);
    });
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

  it('acts on what the reader it is given says: nothing while it cannot tell or the process is under the cap, once when it passes', async () => {
    const figures = [null, 500, null, 900, 1500, 2000];
    let reads = 0;
    const read: MemoryReader = async () => figures[Math.min(reads++, figures.length - 1)]!;
    const heard: number[] = [];
    watchMemory(4242, 1000, 1, (bytes) => heard.push(bytes), read);
    await until(() => heard.length > 0);
    // It has stopped reading: one call, and no reads after it.
    const readsWhenHeard = reads;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual([1500]);
    expect(reads).toBe(readsWhenHeard);
  });
});
