/**
 * The memory cap of a training process (issue 8: one model grew a process to 4 GB, past
 * what WebAssembly can address, and broke it for every student after). Three fences:
 * V8's heap limit and WebAssembly's memory limit, set when the process starts, make
 * allocations past the cap fail inside the process; the watch here, from the parent, reads
 * the process's resident memory and stops it past the cap, which also catches memory
 * neither limit sees (TensorFlow's native allocations, typed arrays).
 */
import { readFile } from 'node:fs/promises';

/** 3 GiB: the 2 GiB a run may need by the estimate (blocks/shapes/memory.ts), plus Node, TF.js and a loaded dataset (about 300 MB with MNIST). */
export const DEFAULT_TRAINING_MEMORY_BYTES = 3 * 1024 ** 3;
const WASM_PAGE_BYTES = 64 * 1024;
/** WebAssembly memory (wasm32) cannot pass 4 GiB whatever the flag says. */
const MAX_WASM_PAGES = 65_536;

/**
 * Node flags for a training process that may use capBytes: the JavaScript heap gets half
 * (TF.js keeps tensors outside it, in typed arrays or WebAssembly memory), WebAssembly memory
 * all of it, so a model too big for the cap fails there ("memory access out of bounds")
 * instead of at 4 GiB.
 */
export function memoryCapFlags(capBytes: number): string[] {
  const heapMb = Math.max(256, Math.floor(capBytes / 2 / 1024 ** 2));
  const wasmPages = Math.min(MAX_WASM_PAGES, Math.max(1, Math.floor(capBytes / WASM_PAGE_BYTES)));
  return [`--max-old-space-size=${heapMb}`, `--wasm-max-mem-pages=${wasmPages}`];
}

/** Resident memory of a process in bytes (VmRSS), or null where /proc cannot tell (not Linux, process gone). */
export async function residentBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Reads the process's resident memory every `everyMs` and calls `onOver` once, with the
 * figure, when it passes capBytes. Returns the function that stops watching.
 */
export function watchMemory(pid: number, capBytes: number, everyMs: number, onOver: (bytes: number) => void): () => void {
  let stopped = false;
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    void residentBytes(pid).then((bytes) => {
      reading = false;
      if (stopped || bytes === null || bytes <= capBytes) return;
      stop();
      onOver(bytes);
    });
  }, everyMs);
  timer.unref();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
