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
  /** Set when `fix` is mechanical, so the Problems list can offer a "Fix it" button that does it. */
  quickFix?: QuickFix;
}

/**
 * A change to the blocks that fixes a problem, described as data so the shape checker (no
 * Blockly) can propose it and blocks/blockly/quick-fix.ts can carry it out.
 */
export type QuickFix =
  /** Put a new block of catalogue layer `layer` (with its defaults) right above block `blockId`. */
  | { kind: 'insertBefore'; blockId: string; layer: string }
  /** Set one field of block `blockId` (a catalogue argument name) to `value`. */
  | { kind: 'setField'; blockId: string; field: string; value: string | number | boolean }
  /** Give the Input block `blockId` (or, without it, the model's first Input block) this shape. */
  | { kind: 'setInputShape'; blockId?: string; value: number[] };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
