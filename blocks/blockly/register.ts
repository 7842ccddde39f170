/** Defines the model block, one block per catalogue layer and the training blocks in a Blockly instance. */
import type * as BlocklyModule from 'blockly';
import { ADVANCED_INPUT_PREFIX, SHOW_ADVANCED_FIELD } from '../format/block-types';
import { ADVANCED_EXTENSION, allBlockJson } from './definitions';

type Blockly = typeof BlocklyModule;

const registered = new WeakSet<object>();

/** Safe to call more than once (hot reload, several editors): registers only the first time. */
export function registerLayerBlocks(blockly: Blockly): void {
  if (registered.has(blockly)) return;
  registered.add(blockly);
  if (!blockly.Extensions.isRegistered(ADVANCED_EXTENSION)) {
    blockly.Extensions.register(ADVANCED_EXTENSION, function (this: BlocklyModule.Block) {
      const block = this;
      const show = (visible: boolean) => {
        for (const input of block.inputList) if (input.name.startsWith(ADVANCED_INPUT_PREFIX)) input.setVisible(visible);
        if (block instanceof blockly.BlockSvg && block.rendered) void block.queueRender();
      };
      const toggle = block.getField(SHOW_ADVANCED_FIELD);
      if (!toggle) return;
      toggle.setValidator((value: unknown) => {
        show(value === true || value === 'TRUE');
        return undefined;
      });
      show(toggle.getValue() === true || toggle.getValue() === 'TRUE');
    });
  }
  blockly.common.defineBlocksWithJsonArray(allBlockJson());
}
