import { WITHOUT_MEMORY_CHECK, compileCell } from '../../blocks/compile';
import type { Cell } from '../../blocks/spec/notebook';
import { trainingFromWorkspace } from '../../blocks/spec/training-from-workspace';

/**
 * The spec stored with a model cell, and the settings stored with a training cell, are always
 * the server's own compile of their workspaces: a client could send anything, and the trainer
 * must only ever see what the blocks say. compileCell returns a null spec while the blocks
 * have errors; training settings are always complete (a setting without a block has its
 * default), and the dataset is the one picked in the cell's header.
 */
export function withCompiledSpecs(cells: readonly Cell[]): Cell[] {
  return cells.map((cell) => {
    if (cell.type === 'training') {
      return { ...cell, training: { ...trainingFromWorkspace(cell.workspace).settings, dataset: cell.training.dataset } };
    }
    if (cell.type !== 'model') return cell;
    // The size limit is a rule for training on this server (checked by run.start), and the
    // memory a run needs depends on its training cell's batch size; neither blanks the stored spec.
    const { spec } = compileCell(cell.workspace, { ...WITHOUT_MEMORY_CHECK, maxParams: Number.POSITIVE_INFINITY });
    return { ...cell, spec };
  });
}
