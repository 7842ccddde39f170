/**
 * Why a run failed, said explicitly, because it decides what happens to the training process:
 * a run that fails on the student's input leaves the process as it was and it takes the next
 * job; any other failure (memory ran out, a WebAssembly abort, an unexpected exception) may
 * have left TF.js or its WebAssembly heap broken, so the process is replaced before it takes
 * another job. Issue 8: one process that hit "memory access out of bounds" failed every
 * following run of every student until it was killed by hand.
 */
import { formatBytes } from '../../blocks/shapes/memory';
import type { FailureCause } from './protocol';

export type { FailureCause };

/** The wording of WebAssembly and V8 when memory runs out, and of an Emscripten abort. */
const OUT_OF_MEMORY =
  /memory access out of bounds|Cannot enlarge memory|out of memory|Array buffer allocation failed|could not allocate|Invalid typed array length|Invalid array buffer length|WebAssembly\.Memory\(\): could not/i;

/** True for an error that means the process, not the student's input, went wrong. */
export function isProcessFailure(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  if (error instanceof RangeError && OUT_OF_MEMORY.test(error.message)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return OUT_OF_MEMORY.test(message) || /^Aborted\(/.test(message);
}

/** What a failure in the trainer (not a TrainingInputError or a cancel) was. */
export function classifyTrainerError(error: unknown): Exclude<FailureCause, 'input'> {
  const message = error instanceof Error ? error.message : String(error);
  return OUT_OF_MEMORY.test(message) ? 'out-of-memory' : 'broken';
}

/** V8's last words when a process runs past its heap limit (--max-old-space-size), on stderr. */
export const HEAP_LIMIT_WORDS = /JavaScript heap out of memory|Reached heap limit|Fatal process out of memory/;

/**
 * What the student reads when their run needed more memory than a training process may use.
 * Says what to lower, with the batch size they chose.
 */
export function tooMuchMemoryMessage(capBytes: number, batchSize: number): string {
  const smaller = 'make the model smaller: fewer filters or units, or a pooling layer earlier so the pictures shrink sooner';
  const what =
    batchSize > 1 ? `Use a smaller batch size (try ${Math.floor(batchSize / 2)} instead of ${batchSize}), or ${smaller}` : `${smaller[0]!.toUpperCase()}${smaller.slice(1)}`;
  return (
    `This model or batch is too big: training it needed more than the ${formatBytes(capBytes)} of memory ` +
    `a training process may use on this server, so the run was stopped. ${what}. Then press Train again.`
  );
}

export const WORKER_CRASHED_MESSAGE =
  'The training process stopped unexpectedly, so this run could not finish. ' +
  'Try again; if it keeps happening, make the model smaller (fewer or smaller layers).';

export const SERVER_STOPPED_MESSAGE = 'The server was stopped before this run finished. Train the model again.';

export function timeLimitMessage(seconds: number): string {
  const limit = seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`;
  return (
    `This run was stopped because training may take at most ${limit} on this server. ` +
    'Train for fewer epochs, or make the model smaller (fewer or smaller layers), and press Train again.'
  );
}

export const WEIGHTS_MISSING_MESSAGE = 'Training finished but the trained weights were lost on the way. Train the model again.';

/** Kept with the run (runs.notes) when it carries on from its checkpoint after losing its machine. */
export function resumedNote(nextEpoch: number): string {
  return `A training computer stopped, so the run carried on from epoch ${nextEpoch} on another one.`;
}
