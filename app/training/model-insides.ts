import { LAYERS } from '../../blocks/catalog';
import { PICTURE_SIZE } from './mnist-drawing';

/**
 * "Look inside your model" (LookInside.tsx): what each layer made of the student's drawing,
 * and the first layer's weights, as grey pictures a student of 14 can read. Pure, so the
 * choices (which layers, which channels, how bright) are tested without a browser or TF.js;
 * trained-model.ts hands over the numbers.
 */

/** Feature maps shown per layer: enough to see that filters differ, few enough to fit a phone. */
export const MAX_MAPS = 16;
/** Numbers shown of a flat layer's output (a Flatten of 784 shows its first 128). */
export const MAX_NUMBERS = 128;
/** Weight pictures shown for the first layer with weights (units of a Dense, filters of a Conv2D). */
export const MAX_WEIGHT_PICTURES = 16;
/** A row of the number strip holds this many squares, so 128 numbers make a compact 32 × 4 block. */
export const STRIP_COLUMNS = 32;

/** One layer's output for one example, without the batch: what trained-model.ts computes. */
export interface LayerOutput {
  /** The Keras class name TF.js reports ("Conv2D", "Dense"). */
  className: string;
  shape: readonly number[];
  values: Float32Array;
}

/** The first weights (the kernel) of a layer, in TF.js's layout. */
export interface LayerKernel {
  className: string;
  shape: readonly number[];
  values: Float32Array;
}

/** A grey picture ready to paint: 0 black … 255 white, row by row. */
export interface GreyImage {
  width: number;
  height: number;
  /** Fewer than width × height when the last row is not full: the rest is left empty (transparent). */
  levels: Uint8ClampedArray;
  /** What a screen reader hears for it, as the picture does not speak for itself. */
  description: string;
}

export type LayerView =
  | { kind: 'maps'; title: string; sentence: string; maps: GreyImage[]; total: number; mapWord: string }
  | { kind: 'numbers'; title: string; sentence: string; strip: GreyImage; shown: number; total: number }
  | { kind: 'answers'; title: string; sentence: string };

/** The words on the student's block for a layer TF.js names by its Keras class: the catalogue's label ("Conv2D", "MaxPooling2D"). */
export function blockLabel(className: string): string {
  return LAYERS.find((layer) => layer.kerasClass === className)?.label ?? className;
}

const CONVOLUTIONS = new Set(['Conv2D', 'SeparableConv2D', 'DepthwiseConv2D', 'Conv2DTranspose']);

/** What the student sees in each kind of layer, in one short sentence. */
export function layerSentence(className: string, kind: LayerView['kind']): string {
  if (kind === 'answers') return 'These are the answers above: one number for each class, how sure your model is of it.';
  if (className === 'Dropout' || className === 'SpatialDropout1D' || className === 'GaussianDropout' || className === 'AlphaDropout') {
    return 'Dropout switches numbers off only while training; when your model answers, it passes everything on unchanged.';
  }
  if (kind === 'maps') {
    if (CONVOLUTIONS.has(className)) return 'Each square is what one filter found in your drawing: bright where it matched.';
    if (className === 'MaxPooling2D') return 'Each square is a map from the layer before, made smaller: each pixel keeps the strongest number of a small patch.';
    if (className === 'AveragePooling2D') return 'Each square is a map from the layer before, made smaller: each pixel is the average of a small patch.';
    return 'Each square is one channel of what this layer passes on: bright where its numbers are big.';
  }
  if (className === 'Flatten') return 'The numbers from before, unrolled into one long list. Each square is one number: bright is big, dark is small.';
  if (className === 'Dense') return 'Each square is one neuron: bright when your drawing makes it fire, dark when it stays quiet.';
  return 'Each square is one number this layer passes on: bright is big, dark is small.';
}

/**
 * Every layer's output as the panel shows it, in the model's order: pictures for image-shaped
 * outputs (height × width × channels), a strip of squares for flat ones, and the last layer as
 * the answers the panel already shows.
 */
export function layerViews(outputs: readonly LayerOutput[]): LayerView[] {
  return outputs.map((output, index) => {
    const block = blockLabel(output.className);
    const position = `Layer ${index + 1}: ${block}`;
    if (index === outputs.length - 1) {
      return { kind: 'answers', title: `${position} (your model's answer)`, sentence: layerSentence(output.className, 'answers') };
    }
    if (output.shape.length === 3) {
      const [height, width, channels] = output.shape as [number, number, number];
      const mapWord = CONVOLUTIONS.has(output.className) ? 'Filter' : 'Map';
      const maps = channelMaps(output.values, output.shape, MAX_MAPS);
      const scale = activationRange(maps);
      return {
        kind: 'maps',
        title: `${position}, ${channels} ${channels === 1 ? 'map' : 'maps'} of ${height}×${width}`,
        sentence: layerSentence(output.className, 'maps'),
        total: channels,
        mapWord,
        maps: maps.map((values, channel) => ({
          width,
          height,
          levels: greyLevels(values, scale),
          description: `${mapWord} ${channel + 1}: ${describeStrongest(values, width)}`,
        })),
      };
    }
    const total = output.values.length;
    const shown = output.values.subarray(0, MAX_NUMBERS);
    return {
      kind: 'numbers',
      title: `${position}, ${total} ${total === 1 ? 'number' : 'numbers'}`,
      sentence: layerSentence(output.className, 'numbers'),
      shown: shown.length,
      total,
      strip: numberStrip(shown, total),
    };
  });
}

/**
 * The first `count` channels of a height × width × channels output (TF.js's channels-last
 * layout: a pixel's channels sit side by side), each as its own height × width map.
 */
export function channelMaps(values: Float32Array, shape: readonly number[], count: number): Float32Array[] {
  const [height = 0, width = 0, channels = 0] = shape;
  return Array.from({ length: Math.min(count, channels) }, (_, channel) => {
    const map = new Float32Array(height * width);
    for (let pixel = 0; pixel < map.length; pixel++) map[pixel] = values[pixel * channels + channel]!;
    return map;
  });
}

export interface Range {
  low: number;
  high: number;
}

/**
 * One brightness scale for all of a layer's maps, so a filter that found little looks dark
 * beside one that found a lot; zero is never brighter than black (a ReLU's "nothing" is black).
 */
export function activationRange(arrays: readonly Float32Array[]): Range {
  let low = 0;
  let high = 0;
  for (const values of arrays) {
    for (const value of values) {
      if (value < low) low = value;
      if (value > high) high = value;
    }
  }
  return { low, high };
}

/** Values as grey levels on a range: low is black, high is white; a range of nothing (every value the same) is all black. */
export function greyLevels(values: ArrayLike<number>, { low, high }: Range): Uint8ClampedArray {
  const levels = new Uint8ClampedArray(values.length);
  const span = high - low;
  if (span <= 0) return levels;
  for (let i = 0; i < values.length; i++) levels[i] = Math.round(((values[i]! - low) / span) * 255);
  return levels;
}

/**
 * Weights as grey levels around the middle: zero is mid-grey, the biggest push up white, the
 * biggest hold-back black (scaled by the largest size either way, so the sign is never lost).
 */
export function signedGreyLevels(values: ArrayLike<number>): Uint8ClampedArray {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]!));
  if (largest === 0) return new Uint8ClampedArray(values.length).fill(128);
  return greyLevels(values, { low: -largest, high: largest });
}

/** A flat output as squares in rows of STRIP_COLUMNS (fewer numbers: one row of them), scaled like the maps. */
export function numberStrip(values: Float32Array, total: number): GreyImage {
  const width = Math.min(STRIP_COLUMNS, Math.max(1, values.length));
  const height = Math.ceil(values.length / width);
  const levels = greyLevels(values, activationRange([values]));
  const which = values.length < total ? `The first ${values.length} of ${total} numbers` : `All ${total} numbers`;
  return { width, height, levels, description: `${which}, one square each; ${describeStrongest(values, null)}` };
}

/**
 * The strongest value and where it is, for a screen reader: "strongest 0.84 at row 5, column
 * 12" for a map, "strongest: number 17 (2.31)" for a list; "all 0" when nothing fired.
 */
export function describeStrongest(values: Float32Array, width: number | null): string {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  const value = values[best] ?? 0;
  if (values.every((v) => v === value)) return `all ${formatValue(value)}`;
  if (width === null) return `strongest: number ${best + 1} (${formatValue(value)})`;
  return `strongest ${formatValue(value)} at row ${Math.floor(best / width) + 1}, column ${(best % width) + 1}`;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

export interface WeightPictures {
  block: string;
  /** "Unit" for a Dense layer's neurons, "Filter" for a convolution's. */
  pictureWord: string;
  /** How many units or filters the layer has (at most MAX_WEIGHT_PICTURES are shown). */
  total: number;
  pictures: GreyImage[];
}

/**
 * The first layer's weights as pictures, or null when they are not a picture: a Dense layer on
 * the 784 pixels of the drawing gives each unit a 28×28 picture (its weight for each pixel), a
 * convolution each filter a small one (its kernel, on the first input channel).
 */
export function weightPictures(kernel: LayerKernel): WeightPictures | null {
  const block = blockLabel(kernel.className);
  if (kernel.className === 'Dense' && kernel.shape.length === 2 && kernel.shape[0] === PICTURE_SIZE * PICTURE_SIZE) {
    const units = kernel.shape[1]!;
    return {
      block,
      pictureWord: 'Unit',
      total: units,
      pictures: denseUnitWeights(kernel.values, units, MAX_WEIGHT_PICTURES).map((weights, unit) =>
        signedPicture(weights, PICTURE_SIZE, PICTURE_SIZE, `Unit ${unit + 1}`),
      ),
    };
  }
  if (CONVOLUTIONS.has(kernel.className) && kernel.shape.length === 4 && kernel.className !== 'Conv2DTranspose') {
    const [height, width, , filters] = kernel.shape as [number, number, number, number];
    return {
      block,
      pictureWord: 'Filter',
      total: filters,
      pictures: convFilterWeights(kernel.values, kernel.shape, MAX_WEIGHT_PICTURES).map((weights, filter) =>
        signedPicture(weights, width, height, `Filter ${filter + 1}`),
      ),
    };
  }
  return null;
}

/** Each of the first `count` units' weights from a Dense kernel (inputs × units, row by row: one input's weights for every unit side by side). */
export function denseUnitWeights(values: Float32Array, units: number, count: number): Float32Array[] {
  const inputs = values.length / units;
  return Array.from({ length: Math.min(count, units) }, (_, unit) => {
    const weights = new Float32Array(inputs);
    for (let input = 0; input < inputs; input++) weights[input] = values[input * units + unit]!;
    return weights;
  });
}

/** Each of the first `count` filters of a convolution kernel (height × width × input channels × filters), on the first input channel. */
export function convFilterWeights(values: Float32Array, shape: readonly number[], count: number): Float32Array[] {
  const [height = 0, width = 0, inputChannels = 0, filters = 0] = shape;
  return Array.from({ length: Math.min(count, filters) }, (_, filter) => {
    const weights = new Float32Array(height * width);
    for (let pixel = 0; pixel < weights.length; pixel++) weights[pixel] = values[pixel * inputChannels * filters + filter]!;
    return weights;
  });
}

function signedPicture(weights: Float32Array, width: number, height: number, name: string): GreyImage {
  const strongest = describeStrongest(weights, width).replace('strongest', 'strongest push');
  return { width, height, levels: signedGreyLevels(weights), description: `${name}'s weights: ${strongest}` };
}
