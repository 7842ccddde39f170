/** One block's definition in Blockly's JSON form (`Blockly.defineBlocksWithJsonArray`). */
export type BlockJson = Record<string, unknown> & { type: string };
