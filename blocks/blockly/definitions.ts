/**
 * Blockly JSON block definitions derived from the layer catalogue. Plain data (no Blockly
 * import), so they can be checked in tests and reused by a docs page.
 */
import { CATEGORIES, CUSTOM_INITIALIZER, CUSTOM_INITIALIZER_LABEL, INITIALIZER_RECIPES, LAYERS, MODEL_COLOUR, isInitializerArg, type ArgDefinition, type InitializerRecipe, type LayerDefinition } from '../catalog';
import { argToField } from '../catalog/field-values';
import type { BlockJson } from './block-json';
import { trainingBlockJson } from './training-definitions';
import {
  ADVANCED_INPUT_PREFIX,
  INITIALIZER_CONNECTION,
  initializerBlockType,
  BLOCK_NAME_FIELD,
  BLOCK_SETTINGS_FIELD,
  DEFINE_BLOCK_TYPE,
  DEFINE_LAYERS_INPUT,
  USE_BLOCK_TYPE,
  LAYER_CONNECTION,
  MERGE_WITH_FIELD,
  MODEL_BLOCK_TYPE,
  MODEL_LAYERS_INPUT,
  MODEL_NAME_FIELD,
  MODEL_OUTPUT_BLOCK_TYPE,
  NAME_OUTPUT_BLOCK_TYPE,
  OUTPUT_NAME_FIELD,
  SHOW_ADVANCED_FIELD,
  USE_OUTPUT_BLOCK_TYPE,
  layerBlockType,
} from '../format/block-types';

export { ADVANCED_INPUT_PREFIX };
/** Blockly extension (registered in ./register) that shows advanced rows when the checkbox is ticked. */
export const ADVANCED_EXTENSION = 'layerbook_advanced_toggle';

export function modelBlockJson(): BlockJson {
  return {
    type: MODEL_BLOCK_TYPE,
    message0: 'model %1',
    args0: [{ type: 'field_input', name: MODEL_NAME_FIELD, text: 'my model' }],
    message1: '%1',
    args1: [{ type: 'input_statement', name: MODEL_LAYERS_INPUT, check: LAYER_CONNECTION }],
    colour: MODEL_COLOUR,
    tooltip: 'A neural network. Stack layer blocks inside it: an Input block first, then the layers the data flows through from top to bottom.',
  };
}

export function layerBlockJson(layer: LayerDefinition): BlockJson {
  const colour = CATEGORIES.find((c) => c.key === layer.category)?.colour ?? MODEL_COLOUR;
  const json: BlockJson = {
    type: layerBlockType(layer.key),
    message0: escapeMessage(layer.label),
    previousStatement: LAYER_CONNECTION,
    nextStatement: LAYER_CONNECTION,
    colour,
    tooltip: layer.doc,
  };
  const basic = layer.args.filter((a) => !a.advanced);
  const advanced = layer.args.filter((a) => a.advanced);
  let row = 1;
  if (layer.merge) {
    // The data from the block above is the first input; the others are named here.
    json[`message${row}`] = 'with output of %1';
    json[`args${row}`] = [
      {
        type: 'field_input',
        name: MERGE_WITH_FIELD,
        text: '',
        tooltip: 'The names of the other outputs to combine with the data from above, separated by commas. Give an output a name with a "name this output" block.',
      },
    ];
    row++;
  }
  for (const arg of basic) {
    json[`message${row}`] = `${escapeMessage(arg.label)} %1`;
    json[`args${row}`] = [fieldJson(arg)];
    row++;
  }
  if (advanced.length > 0) {
    json[`message${row}`] = 'more options %1';
    json[`args${row}`] = [{ type: 'field_checkbox', name: SHOW_ADVANCED_FIELD, checked: false, tooltip: 'Show the settings most models leave alone.' }];
    row++;
    for (const arg of advanced) {
      json[`message${row}`] = `${escapeMessage(arg.label)} %1 %2`;
      // A "… start as" row takes a starting-weights block, used when its dropdown reads "custom".
      const input = isInitializerArg(arg)
        ? { type: 'input_value', name: ADVANCED_INPUT_PREFIX + arg.name, check: INITIALIZER_CONNECTION }
        : { type: 'input_dummy', name: ADVANCED_INPUT_PREFIX + arg.name };
      json[`args${row}`] = [fieldJson(arg), input];
      row++;
    }
    json.extensions = [ADVANCED_EXTENSION];
  }
  return json;
}

/**
 * Blocks that make branches (functional models). They snap into the layer stack like layers:
 * reading top to bottom stays the way data flows, and names replace wires, which a stack of
 * blocks can't draw.
 */
export function branchBlockJson(): BlockJson[] {
  const colour = CATEGORIES.find((c) => c.key === 'merging')?.colour ?? MODEL_COLOUR;
  const stackable = { previousStatement: LAYER_CONNECTION, nextStatement: LAYER_CONNECTION, colour };
  return [
    {
      type: NAME_OUTPUT_BLOCK_TYPE,
      message0: 'name this output %1',
      args0: [{ type: 'field_input', name: OUTPUT_NAME_FIELD, text: 'skip' }],
      ...stackable,
      tooltip: 'Gives the output of the block above a name, so a "use output of" block or a merge block further down can use it again. The data also goes on to the next block as usual.',
    },
    {
      type: USE_OUTPUT_BLOCK_TYPE,
      message0: 'use output of %1',
      args0: [{ type: 'field_input', name: OUTPUT_NAME_FIELD, text: 'skip' }],
      ...stackable,
      tooltip: 'Starts a new branch: the blocks below get the output named here instead of the output of the block above.',
    },
    {
      type: MODEL_OUTPUT_BLOCK_TYPE,
      message0: 'model output',
      ...stackable,
      tooltip: 'Makes the output of the block above one of the answers the model gives. Without this block, the last block is the output.',
    },
  ];
}

export const BRANCH_BLOCK_TYPES: readonly string[] = [NAME_OUTPUT_BLOCK_TYPE, USE_OUTPUT_BLOCK_TYPE, MODEL_OUTPUT_BLOCK_TYPE];

/** Colour of the "My blocks" category and its blocks. */
export const MY_BLOCKS_COLOUR = '#be185d';

/**
 * Blocks a student makes: "make a block called …" holds layers outside the model (a hat block,
 * like a Scratch "define" block), "use …" snaps into a stack where those layers should go.
 */
export function compositeBlockJson(): BlockJson[] {
  return [
    {
      type: DEFINE_BLOCK_TYPE,
      message0: 'make a block called %1',
      args0: [{ type: 'field_input', name: BLOCK_NAME_FIELD, text: 'conv block' }],
      message1: 'with settings %1',
      args1: [
        {
          type: 'field_input',
          name: BLOCK_SETTINGS_FIELD,
          text: '',
          tooltip: 'Settings that each "use" block can change, separated by commas, for example "filters, kernelSize". Each one changes that setting on every layer inside that has it.',
        },
      ],
      message2: '%1',
      args2: [{ type: 'input_statement', name: DEFINE_LAYERS_INPUT, check: LAYER_CONNECTION }],
      colour: MY_BLOCKS_COLOUR,
      tooltip: 'Makes your own block out of the layer blocks inside it. Put it next to the model, not inside, then use it in the model with a "use" block, as often as you like.',
    },
    {
      type: USE_BLOCK_TYPE,
      message0: 'use %1 with %2',
      args0: [
        { type: 'field_input', name: BLOCK_NAME_FIELD, text: 'conv block' },
        { type: 'field_input', name: BLOCK_SETTINGS_FIELD, text: '', tooltip: 'Values for the block\'s settings, for example "filters=32, kernelSize=3". Settings left out keep the values inside the block.' },
      ],
      previousStatement: LAYER_CONNECTION,
      nextStatement: LAYER_CONNECTION,
      colour: MY_BLOCKS_COLOUR,
      tooltip: 'Puts a copy of the layers of a block you made here. The name must be the name of a "make a block called" block.',
    },
  ];
}

export const COMPOSITE_BLOCK_TYPES: readonly string[] = [DEFINE_BLOCK_TYPE, USE_BLOCK_TYPE];

/** Colour of the starting-weights blocks (the "Starting weights" toolbox category). */
export const INITIALIZER_COLOUR = '#0f766e';

/**
 * A starting-weights block: "variance scaling scale [1] divided by [inputs] drawn from [...]",
 * plugged into a layer's "… start as" row.
 */
export function initializerBlockJson(recipe: InitializerRecipe): BlockJson {
  const json: BlockJson = {
    type: initializerBlockType(recipe.kind),
    message0: escapeMessage(recipe.label),
    output: INITIALIZER_CONNECTION,
    colour: INITIALIZER_COLOUR,
    tooltip: `${recipe.doc} Plug it into a layer's "… start as" row and pick "${CUSTOM_INITIALIZER_LABEL}" there.`,
  };
  recipe.settings.forEach((setting, i) => {
    json[`message${i + 1}`] = `${escapeMessage(setting.label)} %1`;
    json[`args${i + 1}`] = [
      setting.type === 'enum'
        ? { type: 'field_dropdown', name: setting.name, tooltip: setting.doc, options: (setting.options ?? []).map((o) => [o.label, o.value]) }
        : { type: 'field_number', name: setting.name, tooltip: setting.doc, value: setting.default },
    ];
  });
  // "random uniform from -0.05 to 0.05" reads as one line; variance scaling needs a row per setting.
  json.inputsInline = recipe.settings.length <= 2;
  return json;
}

export const INITIALIZER_BLOCK_TYPES: readonly string[] = INITIALIZER_RECIPES.map((r) => initializerBlockType(r.kind));

export function allBlockJson(): BlockJson[] {
  return [
    modelBlockJson(),
    ...LAYERS.map(layerBlockJson),
    ...branchBlockJson(),
    ...compositeBlockJson(),
    ...INITIALIZER_RECIPES.map(initializerBlockJson),
    ...trainingBlockJson(),
  ];
}

function fieldJson(arg: ArgDefinition): Record<string, unknown> {
  const common = { name: arg.name, tooltip: arg.doc };
  switch (arg.type) {
    case 'int':
    case 'float':
      // Blockly number fields can't be empty, so a number that may be "auto" is typed as text.
      if (arg.nullMeans !== undefined) return { type: 'field_input', ...common, text: String(argToField(arg, arg.default)) };
      if (arg.type === 'int') return { type: 'field_number', ...common, value: arg.default, min: arg.min, max: arg.max, precision: 1 };
      return { type: 'field_number', ...common, value: arg.default, min: arg.min, max: arg.max };
    case 'bool':
      return { type: 'field_checkbox', ...common, checked: arg.default };
    case 'enum': {
      // A Blockly dropdown starts on its first option, so the default goes first.
      const ordered = [...arg.options].sort((a, b) => Number(b.value === arg.default) - Number(a.value === arg.default));
      const options = ordered.map((o) => [o.label, o.value]);
      if (isInitializerArg(arg)) options.push([CUSTOM_INITIALIZER_LABEL, CUSTOM_INITIALIZER]);
      return { type: 'field_dropdown', ...common, options };
    }
    case 'shape':
    case 'intOrPair':
    case 'intTuple':
    case 'intList':
      return { type: 'field_input', ...common, text: String(argToField(arg, arg.default)) };
  }
}

/** Blockly reads %1 as a placeholder; a literal % is written %%. */
function escapeMessage(text: string): string {
  return text.replace(/%/g, '%%');
}
