/**
 * The layer catalogue. Adding a layer = one new file made with defineLayer() plus one line
 * in LAYERS; blocks, toolbox, validation, code and shape checks all follow from it.
 */
import type { LayerDefinition } from './define';
import { activation } from './activation';
import { averagePooling2d } from './average-pooling2d';
import { batchNormalization } from './batch-normalization';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { dropout } from './dropout';
import { flatten } from './flatten';
import { input } from './input';
import { maxPooling2d } from './max-pooling2d';
import { reshape } from './reshape';

/** In toolbox order within each category. */
export const LAYERS: readonly LayerDefinition[] = [
  input,
  dense,
  activation,
  conv2d,
  maxPooling2d,
  averagePooling2d,
  flatten,
  reshape,
  batchNormalization,
  dropout,
];

const byKey = new Map(LAYERS.map((layer) => [layer.key, layer]));

/** The catalogue entry for a spec layer type, or undefined when Layerbook doesn't know it. */
export function getLayer(key: string): LayerDefinition | undefined {
  return byKey.get(key);
}

export { CATEGORIES, MODEL_COLOUR, type Category, type CategoryKey } from './categories';
export { ACTIVATIONS, INITIALIZERS, PADDINGS } from './enums';
export type { ArgDefinition, ArgType, EnumOption, IntOrPair, LayerDefinition, LayerProblem, ResolvedArgs, Shape, Dim } from './define';
