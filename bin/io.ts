/** Where a command writes: the real terminal, or a test's buffers. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
