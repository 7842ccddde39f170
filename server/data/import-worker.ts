import { parentPort } from 'node:worker_threads';
import { runImportJob, type ImportJob } from './import-jobs';
import type { ImportedImages } from './pictures';
import { UploadProblem } from './upload-files';

/**
 * A thread of the import pool (import-pool.ts): unzips, decodes and resizes, so the web
 * server's own thread keeps answering other students meanwhile.
 */
export type ImportReply = { id: number; ok: true; result: ImportedImages } | { id: number; ok: false; problem: string } | { id: number; ok: false; crash: string };

parentPort!.on('message', async ({ id, job }: { id: number; job: ImportJob }) => {
  try {
    const result = await runImportJob(job);
    const reply: ImportReply = { id, ok: true, result };
    parentPort!.postMessage(reply, transferList(result));
  } catch (error) {
    const reply: ImportReply =
      error instanceof UploadProblem ? { id, ok: false, problem: error.message } : { id, ok: false, crash: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    parentPort!.postMessage(reply);
  }
});

/** The splits' buffers move to the server's thread instead of being copied. A view into a bigger buffer is copied first, so only whole buffers move. */
function transferList(result: ImportedImages): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const own = <T extends Uint8Array | Int32Array>(array: T): T => {
    const whole = array.byteOffset === 0 && array.byteLength === array.buffer.byteLength && !buffers.has(array.buffer as ArrayBuffer);
    const owned = whole ? array : (array.slice() as T);
    buffers.add(owned.buffer as ArrayBuffer);
    return owned;
  };
  for (const table of Object.values(result.splits)) {
    table.pixels = own(table.pixels);
    table.classIndices = own(table.classIndices);
  }
  return [...buffers];
}
