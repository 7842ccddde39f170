import { describe, expect, it } from 'vitest';
import { classifyTrainerError, isProcessFailure, tooMuchMemoryMessage } from './failures';

/** A real WebAssembly trap: a module whose only function runs `unreachable`, as Emscripten's abort() does. */
function webAssemblyTrap(): unknown {
  const bytes = Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: () -> ()
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x07, 0x08, 0x01, 0x04, 0x74, 0x72, 0x61, 0x70, 0x00, 0x00, // export "trap"
    0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b, // code: unreachable, end
  ]);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  try {
    (instance.exports.trap as () => void)();
  } catch (error) {
    return error;
  }
  throw new Error('the trap did not trap');
}

describe('why a run failed', () => {
  it('takes a WebAssembly trap for a broken process, never for the student\'s model', () => {
    const trap = webAssemblyTrap();
    expect(trap).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(isProcessFailure(trap)).toBe(true);
    expect(classifyTrainerError(trap)).toBe('broken');
  });

  it("takes the issue's 'memory access out of bounds', an Emscripten abort and failed allocations for memory running out", () => {
    expect(classifyTrainerError(new WebAssembly.RuntimeError('memory access out of bounds'))).toBe('out-of-memory');
    expect(isProcessFailure(new Error('Aborted(). Build with -sASSERTIONS for more info.'))).toBe(true);
    expect(classifyTrainerError(new RangeError('Array buffer allocation failed'))).toBe('out-of-memory');
    expect(classifyTrainerError(new TypeError("Cannot read properties of undefined (reading 'shape')"))).toBe('broken');
  });

  it("leaves TF.js's complaints about a model to the student", () => {
    expect(isProcessFailure(new Error('Input 0 is incompatible with layer dense_1: expected min_ndim=2, found ndim=1.'))).toBe(false);
    expect(isProcessFailure(new Error('Negative dimension size caused by subtracting 3 from 2'))).toBe(false);
  });

  it('says the model or batch is too big, the limit, and a smaller batch to try', () => {
    expect(tooMuchMemoryMessage(3 * 1024 ** 3, 2048)).toMatch(/^This model or batch is too big: .* more than the 3\.2 GB of memory .*\(try 1024 instead of 2048\)/);
    // With batches of one, only the model can shrink.
    expect(tooMuchMemoryMessage(3 * 1024 ** 3, 1)).toMatch(/stopped\. Make the model smaller: fewer filters/);
  });
});
