/**
 * The layer reference page's content, derived from the catalogue so the page can never
 * drift from what the blocks actually accept. Kept apart from the React page so the wording
 * of types, defaults and ranges is unit-tested.
 */
import { CATEGORIES, CUSTOM_INITIALIZER_LABEL, INITIALIZER_RECIPES, LAYERS, isInitializerArg, type ArgDefinition, type LayerDefinition } from '../../blocks/catalog';

export interface ArgumentRow {
  name: string;
  /** What kind of value the block field takes, in plain words. */
  type: string;
  default: string;
  /** Allowed values ("1 to 100,000", "one of: relu, sigmoid…"); "—" when anything of the type goes. */
  range: string;
  doc: string;
  advanced: boolean;
}

export interface LayerEntry {
  key: string;
  /** Page anchor: /layers#dense. */
  anchor: string;
  label: string;
  doc: string;
  kerasClass: string;
  /** "tf.layers.dense", or null for the Input block, which has no factory. */
  tfjsFactory: string | null;
  arguments: ArgumentRow[];
}

export interface CategorySection {
  key: string;
  label: string;
  doc: string;
  colour: string;
  layers: LayerEntry[];
}

const TYPE_WORDS: Record<ArgDefinition['type'], string> = {
  int: 'whole number',
  float: 'number',
  enum: 'choice',
  bool: 'yes / no',
  shape: 'list of whole numbers',
  intOrPair: 'whole number or pair',
  intTuple: 'whole number per axis',
  intList: 'list of whole numbers',
};

const numberFormat = new Intl.NumberFormat('en');

export function layerAnchor(key: string): string {
  return key;
}

export function formatArgType(arg: ArgDefinition): string {
  return TYPE_WORDS[arg.type];
}

export function formatArgDefault(arg: ArgDefinition): string {
  const value = arg.default;
  if (value === null) return 'nullMeans' in arg && arg.nullMeans ? `auto (${arg.nullMeans})` : 'none';
  if (arg.type === 'enum') return arg.options.find((o) => o.value === value)?.label ?? String(value);
  if (arg.type === 'bool') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'number') return numberFormat.format(value);
  return String(value);
}

export function formatArgRange(arg: ArgDefinition): string {
  switch (arg.type) {
    case 'enum':
      // A "… start as" row also takes a recipe with settings of its own, as a block.
      return `one of: ${arg.options.map((o) => o.label).join(', ')}${isInitializerArg(arg) ? `, or ${CUSTOM_INITIALIZER_LABEL} with a block from "Starting weights" (${INITIALIZER_RECIPES.map((r) => r.label).join(', ')})` : ''}`;
    case 'bool':
      return 'yes or no';
    case 'int':
    case 'float':
      return boundsText(arg.min, arg.max, arg.type === 'float' && arg.minExclusive, arg.type === 'float' && arg.maxExclusive);
    case 'intOrPair':
    case 'intTuple':
    case 'intList':
      return `each ${boundsText(arg.min, arg.max, false, false)}`;
    case 'shape':
      return `${arg.minLength === arg.maxLength ? arg.minLength : `${arg.minLength} to ${arg.maxLength}`} numbers, each 1 to ${numberFormat.format(arg.maxDim)}`;
  }
}

function boundsText(min: number | undefined, max: number | undefined, minExclusive = false, maxExclusive = false): string {
  const low = min === undefined ? null : `${minExclusive ? 'more than' : 'at least'} ${numberFormat.format(min)}`;
  const high = max === undefined ? null : `${maxExclusive ? 'less than' : 'at most'} ${numberFormat.format(max)}`;
  if (low && high && !minExclusive && !maxExclusive) return `${numberFormat.format(min!)} to ${numberFormat.format(max!)}`;
  return [low, high].filter(Boolean).join(', ') || '—';
}

export function layerEntry(layer: LayerDefinition): LayerEntry {
  return {
    key: layer.key,
    anchor: layerAnchor(layer.key),
    label: layer.label,
    doc: layer.doc,
    // A wrapper block is one layer inside another: show both, as the code will.
    kerasClass: layer.wraps ? `${layer.kerasClass}(${layer.wraps.inner.kerasClass})` : layer.kerasClass,
    tfjsFactory: layer.tfjsFactory
      ? layer.wraps?.inner.tfjsFactory
        ? `tf.layers.${layer.tfjsFactory}(tf.layers.${layer.wraps.inner.tfjsFactory})`
        : `tf.layers.${layer.tfjsFactory}`
      : null,
    arguments: layer.args.map((arg) => ({
      name: arg.name,
      type: formatArgType(arg),
      default: formatArgDefault(arg),
      range: formatArgRange(arg),
      doc: arg.doc,
      advanced: Boolean(arg.advanced),
    })),
  };
}

/** Every catalogue category that has layers, in toolbox order, each with its layers in toolbox order. */
export function layerReference(layers: readonly LayerDefinition[] = LAYERS): CategorySection[] {
  return CATEGORIES.map((category) => ({
    key: category.key,
    label: category.label,
    doc: category.doc,
    colour: category.colour,
    layers: layers.filter((l) => l.category === category.key).map(layerEntry),
  })).filter((section) => section.layers.length > 0);
}
