/**
 * How big a notebook may be. Checked on the raw JSON of a save, before the schema parses it
 * and before anything compiles it, so an oversized or absurdly deep notebook costs the server
 * one bounded walk, never a recursion that overflows the stack. Pure and iterative.
 *
 * The defaults leave a wide margin above the largest notebooks Layerbook makes itself (the
 * seed and every template; see README "Notebook limits" and notebook-limits.test.ts).
 */
export interface NotebookLimits {
  /** Cells in one notebook. */
  maxCells: number;
  /** Bytes of one cell's JSON (its blocks, or its text). */
  maxCellBytes: number;
  /** How deeply a workspace's JSON may nest (each block inside another adds about three levels). */
  maxWorkspaceDepth: number;
  /** Blocks in one workspace. */
  maxWorkspaceBlocks: number;
}

export const DEFAULT_NOTEBOOK_LIMITS: NotebookLimits = {
  maxCells: 200,
  maxCellBytes: 128 * 1024,
  maxWorkspaceDepth: 300,
  maxWorkspaceBlocks: 500,
};

const CELL_NAMES: Record<string, string> = {
  markdown: 'text cell',
  data: 'data cell',
  model: 'model cell',
  training: 'training cell',
};

/**
 * The first limit `cells` (a save's raw, unparsed input) passes, as a sentence naming the cell
 * by its position and type, the limit, and what to do; null when it keeps within all of them.
 * Input that is not a list of objects is left to the schema, which explains it.
 */
export function notebookLimitProblem(cells: unknown, limits: NotebookLimits = DEFAULT_NOTEBOOK_LIMITS): string | null {
  if (!Array.isArray(cells)) return null;
  if (cells.length > limits.maxCells) {
    return `This notebook has ${cells.length} cells; a notebook may have at most ${limits.maxCells}. Delete cells you no longer need, or start a new notebook for the next part.`;
  }
  for (const [index, cell] of cells.entries()) {
    if (typeof cell !== 'object' || cell === null) continue;
    const type = (cell as { type?: unknown }).type;
    const name = `Cell ${index + 1} (${typeof type === 'string' && type in CELL_NAMES ? `a ${CELL_NAMES[type]}` : 'a cell'})`;
    // Depth first: it also bounds the stringify below, which recurses.
    const shape = measure(cell, limits.maxWorkspaceDepth);
    // The cell itself has a string `type` too; only the blocks in it count.
    const blocks = shape.blocks - 1;
    if (shape.depth > limits.maxWorkspaceDepth) {
      return `${name} has blocks nested more than ${limits.maxWorkspaceDepth} levels deep, more than a notebook may hold. Take some blocks out of the blocks they sit in, or split the model into two cells.`;
    }
    if (blocks > limits.maxWorkspaceBlocks) {
      return `${name} has ${blocks} blocks; a cell may have at most ${limits.maxWorkspaceBlocks}. Delete blocks you do not use, or split the model into two cells.`;
    }
    const bytes = utf8Length(JSON.stringify(cell));
    if (bytes > limits.maxCellBytes) {
      return `${name} holds ${formatKb(bytes)}; a cell may hold at most ${formatKb(limits.maxCellBytes)}. Delete blocks or text you do not use, or split it into two cells.`;
    }
  }
  return null;
}

/**
 * The nesting depth of `value` (stopping once it passes `maxDepth`) and how many Blockly
 * blocks it holds (objects with a string `type`, as Blockly saves each block). Iterative, so
 * a 100,000-level chain costs a loop, not the stack.
 */
export function measure(value: unknown, maxDepth: number): { depth: number; blocks: number } {
  let depth = 0;
  let blocks = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, level] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (level > depth) depth = level;
    if (depth > maxDepth) return { depth, blocks };
    if (!Array.isArray(item) && typeof (item as { type?: unknown }).type === 'string') blocks++;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, level + 1]);
    }
  }
  return { depth, blocks };
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

function formatKb(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB`;
}
