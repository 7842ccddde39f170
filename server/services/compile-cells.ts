import { compileCell } from '../../blocks/compile';
import type { Cell } from '../../blocks/spec/notebook';

/**
 * The spec stored with a model cell is always the server's own compile of its workspace:
 * a client could send any spec, and the trainer must only ever see what the blocks say.
 * compileCell returns a null spec while the blocks have errors.
 */
export function withCompiledSpecs(cells: readonly Cell[]): Cell[] {
  return cells.map((cell) => {
    if (cell.type !== 'model') return cell;
    // The size limit is a rule for training on this server (checked by run.start), not a
    // property of the blocks, so it does not blank the stored spec.
    const { spec } = compileCell(cell.workspace, { maxParams: Number.POSITIVE_INFINITY });
    return { ...cell, spec };
  });
}
