import type * as Blockly from 'blockly';
import { CATEGORIES, LAYERS, MODEL_COLOUR } from '../catalog';
import { MODEL_BLOCK_TYPE, layerBlockType } from '../spec/block-types';

/** A category toolbox: "Model" first, then one category per catalogue category that has layers. */
export function buildToolbox(): Blockly.utils.toolbox.ToolboxDefinition {
  const layerCategories = CATEGORIES.map((category) => ({
    kind: 'category',
    name: category.label,
    colour: category.colour,
    contents: LAYERS.filter((l) => l.category === category.key).map((l) => ({ kind: 'block', type: layerBlockType(l.key) })),
  })).filter((c) => c.contents.length > 0);
  return {
    kind: 'categoryToolbox',
    contents: [{ kind: 'category', name: 'Model', colour: MODEL_COLOUR, contents: [{ kind: 'block', type: MODEL_BLOCK_TYPE }] }, ...layerCategories],
  };
}
