/**
 * A problem found while turning blocks into a model, shown on the block it names. `message`
 * says what was found and why it fails; `fix` says what to do. Both are written for a
 * 14-year-old and name the block ("this Dense block").
 */
export interface Diagnostic {
  /** The block (= layer node id) the problem belongs to; null when no block can be named. */
  blockId: string | null;
  severity: 'error' | 'warning';
  /** Stable machine-readable kind, e.g. "needs-flat-input"; tests and the UI key on it. */
  code: string;
  message: string;
  fix: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
