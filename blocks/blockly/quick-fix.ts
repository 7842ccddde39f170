/** Carries out a diagnostic's quickFix on a Blockly workspace ("Fix it" in the Problems list). */
import type * as BlocklyModule from 'blockly';
import { argToField } from '../catalog/field-values';
import { getLayer } from '../catalog';
import { layerBlockType, layerKeyOf } from '../format/block-types';
import type { QuickFix } from '../format/diagnostic';

type Blockly = typeof BlocklyModule;

/**
 * Changes the blocks as `fix` says, as one undoable step. Returns false (and changes
 * nothing) when the blocks it names are gone, e.g. the student already fixed it by hand.
 */
export function applyQuickFix(blockly: Blockly, workspace: BlocklyModule.Workspace, fix: QuickFix): boolean {
  const group = blockly.Events.getGroup();
  if (!group) blockly.Events.setGroup(true);
  try {
    switch (fix.kind) {
      case 'insertBefore':
        return insertBefore(blockly, workspace, fix.blockId, fix.layer);
      case 'setField':
        return setField(workspace, fix.blockId, fix.field, fix.value);
      case 'setInputShape':
        return setInputShape(workspace, fix.blockId, fix.value);
      default:
        return false;
    }
  } finally {
    if (!group) blockly.Events.setGroup(false);
  }
}

function insertBefore(blockly: Blockly, workspace: BlocklyModule.Workspace, blockId: string, layerKey: string): boolean {
  const below = workspace.getBlockById(blockId);
  if (!below?.previousConnection || !getLayer(layerKey)) return false;
  // append() makes a rendered block on a visible workspace and a plain one headless.
  const inserted = blockly.serialization.blocks.append({ type: layerBlockType(layerKey) }, workspace);
  const above = below.previousConnection.targetConnection;
  if (above) {
    below.previousConnection.disconnect();
    above.connect(inserted.previousConnection!);
  } else {
    const { x, y } = below.getRelativeToSurfaceXY();
    inserted.moveBy(x, y);
  }
  inserted.nextConnection!.connect(below.previousConnection);
  return true;
}

function setField(workspace: BlocklyModule.Workspace, blockId: string, field: string, value: string | number | boolean): boolean {
  const block = workspace.getBlockById(blockId);
  if (!block?.getField(field)) return false;
  const layer = getLayer(layerKeyOf(block.type) ?? '');
  const arg = layer?.args.find((a) => a.name === field);
  block.setFieldValue(arg ? argToField(arg, value) : value, field);
  return true;
}

function setInputShape(workspace: BlocklyModule.Workspace, blockId: string | undefined, shape: readonly number[]): boolean {
  const inputType = layerBlockType('input');
  const block = blockId ? workspace.getBlockById(blockId) : workspace.getAllBlocks(true).find((b) => b.type === inputType);
  if (!block || block.type !== inputType) return false;
  return setField(workspace, block.id, 'shape', shape.join(','));
}
