import { describe, expect, it } from 'vitest';
import {
  MAX_MAPS, MAX_NUMBERS, MAX_WEIGHT_PICTURES, activationRange, blockLabel, channelMaps, convFilterWeights, denseUnitWeights,
  describeStrongest, greyLevels, layerViews, numberStrip, signedGreyLevels, weightPictures, type LayerOutput,
} from './model-insides';

const output = (className: string, shape: number[], fill: (i: number) => number = () => 0): LayerOutput => ({
  className,
  shape,
  values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => fill(i)),
});

describe('which layers "Look inside" shows, and how', () => {
  it('names each layer by the words on its block, in the model\'s order', () => {
    expect(blockLabel('Conv2D')).toBe('Conv2D');
    expect(blockLabel('MaxPooling2D')).toBe('MaxPooling2D');
    expect(blockLabel('Dense')).toBe('Dense');
    // A class the catalogue does not know is still named, as TF.js names it.
    expect(blockLabel('SomethingNew')).toBe('SomethingNew');
    const views = layerViews([output('Conv2D', [26, 26, 32]), output('MaxPooling2D', [13, 13, 32]), output('Flatten', [5408]), output('Dense', [10])]);
    expect(views.map((v) => [v.kind, v.title])).toEqual([
      ['maps', 'Layer 1: Conv2D, 32 maps of 26×26'],
      ['maps', 'Layer 2: MaxPooling2D, 32 maps of 13×13'],
      ['numbers', 'Layer 3: Flatten, 5408 numbers'],
      ['answers', "Layer 4: Dense (your model's answer)"],
    ]);
  });

  it('shows at most the first 16 maps of a layer, each labelled, and says in a sentence what the squares are', () => {
    const [conv, pool] = layerViews([output('Conv2D', [4, 4, 32]), output('MaxPooling2D', [2, 2, 3]), output('Dense', [2])]);
    if (conv?.kind !== 'maps' || pool?.kind !== 'maps') throw new Error('expected maps');
    expect(conv.maps).toHaveLength(MAX_MAPS);
    expect(conv.total).toBe(32);
    expect(conv.maps[0]!.description).toBe('Filter 1: all 0');
    expect(conv.sentence).toBe('Each square is what one filter found in your drawing: bright where it matched.');
    expect(pool.maps.map((m) => m.description.split(':')[0])).toEqual(['Map 1', 'Map 2', 'Map 3']);
    expect(pool.sentence).toMatch(/made smaller/);
  });

  it('shows at most 128 numbers of a flat layer and says how many there are', () => {
    const [flat, dense] = layerViews([output('Flatten', [784], (i) => i), output('Dense', [10], (i) => i), output('Dense', [10])]);
    if (flat?.kind !== 'numbers' || dense?.kind !== 'numbers') throw new Error('expected numbers');
    expect(flat.total).toBe(784);
    expect(flat.strip.width * flat.strip.height).toBe(MAX_NUMBERS);
    expect(flat.strip.description).toBe('The first 128 of 784 numbers, one square each; strongest: number 128 (127)');
    expect([dense.strip.width, dense.strip.height]).toEqual([10, 1]);
    expect(dense.strip.description).toMatch(/^All 10 numbers/);
    expect(dense.sentence).toMatch(/^Each square is one neuron/);
  });

  it('leaves the rest of a last row that is not full empty, not black like a zero', () => {
    const [hidden] = layerViews([output('Dense', [100], (i) => i), output('Dense', [10])]);
    if (hidden?.kind !== 'numbers') throw new Error('expected numbers');
    expect([hidden.shown, hidden.strip.width, hidden.strip.height, hidden.strip.levels.length]).toEqual([100, 32, 4, 100]);
  });

  it('says Dropout passes everything on when the model answers', () => {
    const [dropout] = layerViews([output('Dropout', [128]), output('Dense', [10])]);
    expect(dropout!.sentence).toMatch(/only while training/);
  });
});

describe('feature maps', () => {
  it('takes channel c of every pixel from TF.js\'s channels-last layout', () => {
    // 2×2 pixels, 3 channels: value = pixel * 10 + channel.
    const values = Float32Array.from({ length: 12 }, (_, i) => Math.floor(i / 3) * 10 + (i % 3));
    const maps = channelMaps(values, [2, 2, 3], 2);
    expect(maps.map((m) => Array.from(m))).toEqual([
      [0, 10, 20, 30],
      [1, 11, 21, 31],
    ]);
  });
});

describe('grey levels', () => {
  it('make zero black and the biggest value of the whole layer white', () => {
    const range = activationRange([Float32Array.of(0, 1), Float32Array.of(2, 4)]);
    expect(range).toEqual({ low: 0, high: 4 });
    expect(Array.from(greyLevels([0, 1, 2, 4], range))).toEqual([0, 64, 128, 255]);
  });

  it('take negative values (a layer without ReLU) as darker than zero', () => {
    const range = activationRange([Float32Array.of(-2, 2)]);
    expect(Array.from(greyLevels([-2, 0, 2], range))).toEqual([0, 128, 255]);
  });

  it('are black when nothing fired', () => {
    expect(Array.from(greyLevels([0, 0], activationRange([Float32Array.of(0, 0)])))).toEqual([0, 0]);
  });

  it('for weights put zero at mid-grey, pushes up to white and holds-back down to black', () => {
    expect(Array.from(signedGreyLevels([-0.5, 0, 0.25, 0.5]))).toEqual([0, 128, 191, 255]);
    expect(Array.from(signedGreyLevels([0, 0]))).toEqual([128, 128]);
  });

  it('are described in words, with where the strongest value is', () => {
    expect(describeStrongest(Float32Array.of(0, 0, 0.84, 0), 2)).toBe('strongest 0.84 at row 2, column 1');
    expect(describeStrongest(Float32Array.of(1, 3, 2), null)).toBe('strongest: number 2 (3)');
    expect(numberStrip(Float32Array.of(1, 2, 3), 3).levels).toEqual(Uint8ClampedArray.of(85, 170, 255));
  });
});

describe('weight pictures of the first layer with weights', () => {
  it("lay a Dense layer's weights out as one 28×28 picture per unit, for the first 16 units", () => {
    const units = 20;
    // Weight of input i for unit u = u * 1000 + i; TF.js stores the kernel inputs × units.
    const values = Float32Array.from({ length: 784 * units }, (_, k) => (k % units) * 1000 + Math.floor(k / units));
    const perUnit = denseUnitWeights(values, units, 2);
    expect(perUnit[1]![0]).toBe(1000);
    expect(perUnit[1]![783]).toBe(1783);
    const pictures = weightPictures({ className: 'Dense', shape: [784, units], values })!;
    expect(pictures.pictureWord).toBe('Unit');
    expect(pictures.total).toBe(units);
    expect(pictures.pictures).toHaveLength(MAX_WEIGHT_PICTURES);
    expect(pictures.pictures.map((p) => [p.width, p.height])[0]).toEqual([28, 28]);
    expect(pictures.pictures[0]!.description).toMatch(/^Unit 1's weights: strongest push 783 at row 28, column 28$/);
  });

  it("lay a Conv2D layer's kernels out as one small picture per filter", () => {
    // 3×3 kernel, 1 input channel, 4 filters: weight = filter * 100 + pixel.
    const values = Float32Array.from({ length: 9 * 4 }, (_, k) => (k % 4) * 100 + Math.floor(k / 4));
    expect(Array.from(convFilterWeights(values, [3, 3, 1, 4], 4)[2]!)).toEqual([200, 201, 202, 203, 204, 205, 206, 207, 208]);
    const pictures = weightPictures({ className: 'Conv2D', shape: [3, 3, 1, 4], values })!;
    expect(pictures.pictureWord).toBe('Filter');
    expect(pictures.pictures.map((p) => [p.width, p.height])).toEqual(Array(4).fill([3, 3]));
  });

  it('are none for weights that are not a picture (a Dense layer after a convolution)', () => {
    expect(weightPictures({ className: 'Dense', shape: [5408, 10], values: new Float32Array(54080) })).toBeNull();
    expect(weightPictures({ className: 'BatchNormalization', shape: [32], values: new Float32Array(32) })).toBeNull();
  });
});
