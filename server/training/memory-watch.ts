/**
 * The memory cap of a training process (issue 8: one model grew a process to 4 GB, past
 * what WebAssembly can address, and broke it for every student after). Three fences:
 * V8's heap limit and WebAssembly's memory limit, set when the process starts, make
 * allocations past the cap fail inside the process; the watch here, from the parent, reads
 * the process's resident memory and stops it past the cap, which also catches memory
 * neither limit sees (TensorFlow's native allocations, typed arrays). It reads /proc on
 * Linux and `ps` elsewhere (macOS), so the cap holds on every machine a school runs.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** A process's resident memory in bytes, or null where it cannot be read (the process is gone, nothing here to read it with). */
export type MemoryReader = (pid: number) => Promise<number | null>;

/** VmRSS from /proc/<pid>/status (Linux): every page the process holds, WebAssembly memory and native allocations included. */
export async function residentBytesFromProc(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

let psMissing = false;

/**
 * RSS as `ps -o rss= -p <pid>` prints it (in KiB on macOS, the BSDs and Linux alike), for
 * machines without /proc. Read from outside the process rather than have the process report
 * its own process.memoryUsage() over IPC: a training process grows fastest inside one
 * synchronous batch of TF.js kernels, when its event loop can send nothing, and a process too
 * busy or too broken to report would pass for a quiet one. Like /proc, ps counts every
 * resident page, WebAssembly memory and native allocations included (on macOS not the pages
 * the system has compressed, so under memory pressure it reads low; the limits inside the
 * process still hold). The price is one short-lived `ps` per read.
 */
export function residentBytesFromPs(pid: number): Promise<number | null> {
  if (psMissing) return Promise.resolve(null);
  return new Promise((resolve) => {
    // The watch waits for each read before the next, so a ps that hung would blind it for good.
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], { timeout: 5_000 }, (error, stdout) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        // Said once, and not tried again: no machine grows a ps while the server runs.
        psMissing = true;
        console.warn('[training] this machine has neither /proc nor ps, so the memory of training processes is not watched; only their heap and WebAssembly limits apply.');
      }
      // ps exits with an error for a process that is gone.
      const kib = error ? NaN : Number.parseInt(stdout.trim(), 10);
      resolve(Number.isFinite(kib) ? kib * 1024 : null);
    });
  });
}

/** The reader this machine has: /proc where it exists (Linux), ps elsewhere (macOS). */
export const residentBytes: MemoryReader = existsSync('/proc/self/status') ? residentBytesFromProc : residentBytesFromPs;

/**
 * Reads the process's resident memory every `everyMs` (with `read`, this machine's reader
 * unless told) and calls `onOver` once, with the figure, when it passes capBytes. Returns
 * the function that stops watching.
 */
export function watchMemory(pid: number, capBytes: number, everyMs: number, onOver: (bytes: number) => void, read: MemoryReader = residentBytes): () => void {
  let stopped = false;
  let reading = false;
  const timer = setInterval(() => {
    if (reading) return;
    reading = true;
    void read(pid).then((bytes) => {
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
