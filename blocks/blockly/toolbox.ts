import type * as Blockly from 'blockly';
import { CATEGORIES, INITIALIZER_RECIPES, LAYERS, MODEL_COLOUR, type LayerDefinition } from '../catalog';
import { initializerBlockType, DEFINE_BLOCK_TYPE, USE_BLOCK_TYPE, MODEL_BLOCK_TYPE, MODEL_OUTPUT_BLOCK_TYPE, NAME_OUTPUT_BLOCK_TYPE, USE_OUTPUT_BLOCK_TYPE, layerBlockType } from '../format/block-types';
import { BRANCH_BLOCK_TYPES, COMPOSITE_BLOCK_TYPES, INITIALIZER_BLOCK_TYPES, INITIALIZER_COLOUR, MY_BLOCKS_COLOUR } from './definitions';

/** Name of the toolbox callback that fills the "Search results" category (registerToolboxCategoryCallback). */
export const SEARCH_CATEGORY_CALLBACK = 'LAYERBOOK_SEARCH';
/** toolboxitemid of the "Search results" category, for toolbox.getToolboxItemById. */
export const SEARCH_CATEGORY_ID = 'layerbook-search-results';
export const SEARCH_CATEGORY_NAME = 'Search results';
const SEARCH_COLOUR = '#4f46e5';
/** Last category: the blocks that make and use a student's own blocks. */
export const MY_BLOCKS_CATEGORY_NAME = 'My blocks';
/** The blocks that plug into a layer's "… start as" row for a recipe with settings of its own. */
export const INITIALIZERS_CATEGORY_NAME = 'Starting weights';

export interface ToolboxOptions {
  /**
   * Adds a "Search results" category first whose blocks come from the
   * SEARCH_CATEGORY_CALLBACK callback, so a search box outside Blockly can fill it.
   */
  search?: boolean;
}

/** A category toolbox: "Model" first, then one category per catalogue category that has layers. */
export function buildToolbox(options: ToolboxOptions = {}): Blockly.utils.toolbox.ToolboxDefinition {
  const layerCategories = CATEGORIES.map((category) => ({
    kind: 'category',
    name: category.label,
    colour: category.colour,
    contents: [
      // The blocks that make branches sit with the merge layers that join branches again.
      ...(category.key === 'merging' ? BRANCH_BLOCK_TYPES.map((type) => ({ kind: 'block', type })) : []),
      ...LAYERS.filter((l) => l.category === category.key).map((l) => ({ kind: 'block', type: layerBlockType(l.key) })),
    ],
  })).filter((c) => c.contents.length > 0);
  const search = options.search
    ? [{ kind: 'category', name: SEARCH_CATEGORY_NAME, toolboxitemid: SEARCH_CATEGORY_ID, colour: SEARCH_COLOUR, custom: SEARCH_CATEGORY_CALLBACK }]
    : [];
  return {
    kind: 'categoryToolbox',
    contents: [
      ...search,
      { kind: 'category', name: 'Model', colour: MODEL_COLOUR, contents: [{ kind: 'block', type: MODEL_BLOCK_TYPE }] },
      ...layerCategories,
      { kind: 'category', name: INITIALIZERS_CATEGORY_NAME, colour: INITIALIZER_COLOUR, contents: INITIALIZER_BLOCK_TYPES.map((type) => ({ kind: 'block', type })) },
      { kind: 'category', name: MY_BLOCKS_CATEGORY_NAME, colour: MY_BLOCKS_COLOUR, contents: COMPOSITE_BLOCK_TYPES.map((type) => ({ kind: 'block', type })) },
    ],
  };
}

export type FlyoutItem = { kind: 'block'; type: string } | { kind: 'label'; text: string };

const MODEL_WORDS = 'model network sequential container';
/** What a student might type for the blocks that build branches (they are not catalogue layers). */
const BRANCH_BLOCK_WORDS: ReadonlyArray<{ type: string; names: string[]; text: string }> = [
  { type: NAME_OUTPUT_BLOCK_TYPE, names: ['nameoutput'], text: 'name this output branch skip shortcut residual merging' },
  { type: USE_OUTPUT_BLOCK_TYPE, names: ['useoutput'], text: 'use output of branch skip shortcut residual merging' },
  { type: MODEL_OUTPUT_BLOCK_TYPE, names: ['modeloutput'], text: 'model output several outputs merging' },
  { type: DEFINE_BLOCK_TYPE, names: ['makeablock', 'myblock'], text: 'make a block my blocks own reusable custom define function conv block residual block' },
  { type: USE_BLOCK_TYPE, names: ['useblock', 'myblock'], text: 'use my blocks own reusable custom function' },
];

/**
 * The blocks matching what a student typed, best match first, as flyout contents (a label
 * saying what was searched, then the blocks). Every word typed must appear in the block's
 * name, Keras or TF.js name, category or description, so "conv 2d" and "lstm" both work.
 */
export function searchBlocks(query: string): FlyoutItem[] {
  const words = normalise(query).split(' ').filter(Boolean);
  if (words.length === 0) return [{ kind: 'label', text: 'Type in "Search blocks" above to find a block.' }];
  const scored: Array<{ type: string; score: number; order: number }> = [];
  const modelScore = matchScore(words, ['model'], MODEL_WORDS);
  if (modelScore > 0) scored.push({ type: MODEL_BLOCK_TYPE, score: modelScore, order: -1 });
  LAYERS.forEach((layer, order) => {
    const score = matchScore(words, layerNames(layer), layerText(layer));
    if (score > 0) scored.push({ type: layerBlockType(layer.key), score, order });
  });
  BRANCH_BLOCK_WORDS.forEach(({ type, names, text }, i) => {
    const score = matchScore(words, names, text);
    if (score > 0) scored.push({ type, score, order: LAYERS.length + i });
  });
  INITIALIZER_RECIPES.forEach((recipe, i) => {
    const names = [recipe.label, recipe.kerasClass, recipe.tfjsFactory].map((n) => normalise(n).replace(/ /g, ''));
    const score = matchScore(words, names, normalise(`${recipe.label} ${recipe.kerasClass} starting weights initializer start ${recipe.doc}`));
    if (score > 0) scored.push({ type: initializerBlockType(recipe.kind), score, order: LAYERS.length + BRANCH_BLOCK_WORDS.length + i });
  });
  if (scored.length === 0) {
    return [{ kind: 'label', text: `No block matches "${query.trim()}". Try a layer name such as Dense, Conv2D or LSTM.` }];
  }
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return [
    { kind: 'label', text: `${scored.length} ${scored.length === 1 ? 'block matches' : 'blocks match'} "${query.trim()}"` },
    ...scored.map((s): FlyoutItem => ({ kind: 'block', type: s.type })),
  ];
}

/** Lower case, and spaces/dashes/underscores dropped between letters and digits, so "Conv 2D" finds conv2d. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[_\-.]+/g, ' ')
    .replace(/([a-z])\s+(\d)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}

function layerNames(layer: LayerDefinition): string[] {
  return [layer.label, layer.key, layer.kerasClass, layer.tfjsFactory ?? ''].map((n) => normalise(n).replace(/ /g, '')).filter(Boolean);
}

function layerText(layer: LayerDefinition): string {
  const category = CATEGORIES.find((c) => c.key === layer.category)?.label ?? '';
  return normalise(`${layer.label} ${layer.kerasClass} ${category} ${layer.doc}`);
}

/** 0 when some word is missing; otherwise higher the closer the words are to the block's name. */
function matchScore(words: readonly string[], names: readonly string[], text: string): number {
  let score = 0;
  for (const word of words) {
    if (names.some((n) => n === word)) score += 100;
    else if (names.some((n) => n.startsWith(word))) score += 50;
    else if (names.some((n) => n.includes(word))) score += 20;
    else if (text.includes(word)) score += 1;
    else return 0;
  }
  return score;
}
