/**
 * Max and average pooling over 1, 2 or 3 axes differ only in what they keep from each patch
 * and in how many axes the window has; one factory per shape of argument.
 */
import { choice, defineLayer, int, intOrPair, intTuple, type LayerDefinition, type Shape, type ShapeOutcome } from './define';
import { PADDINGS } from './enums';
import { dataFormatArg } from './conv';
import { joinChannels, pair, slideWindowNd, splitChannels, tupleOf } from './rules';

interface PoolingNames {
  key: string;
  kerasClass: string;
  tfjsFactory: string;
  label: string;
  doc: string;
}

const paddingArg = () => choice(PADDINGS, { default: 'valid', doc: '"same" adds a border so patches at the edge are not dropped.' });
const stridesDoc = 'How far to move between patches. Leave it on "auto" to use the pool size.';

function poolOutput(label: string, input: Shape, window: number[], strides: number[], padding: string, dataFormat: string): ShapeOutcome {
  const { spatial, channels } = splitChannels(input, dataFormat);
  const slid = slideWindowNd(spatial, { window, strides, padding }, label, 'pool');
  return 'problem' in slid ? slid : { shape: joinChannels(slid.sizes, channels, dataFormat) };
}

export function pooling1dLayer(o: PoolingNames): LayerDefinition {
  return defineLayer({
    ...o,
    category: 'pooling',
    args: {
      poolSize: int({ default: 2, min: 1, max: 1024, label: 'pool size', essential: true, doc: 'How many steps make one patch: 2 halves the length.' }),
      strides: int({ default: null, nullMeans: 'same as the pool size', min: 1, max: 1024, doc: stridesDoc }),
      padding: paddingArg(),
    },
    // TF.js's 1-D pooling always reads steps × channels, so it has no data format.
    inputRank: { min: 2, max: 2 },
    outputShape: (input, args) => poolOutput(o.label, input, [args.poolSize], [args.strides ?? args.poolSize], args.padding, 'channelsLast'),
    params: () => 0,
    examples: [{ input: [100, 64], args: { poolSize: 4 } }, { input: [15, 8], args: { poolSize: 3, strides: 2, padding: 'same' } }],
  });
}

export function pooling2dLayer(o: PoolingNames): LayerDefinition {
  return defineLayer({
    ...o,
    category: 'pooling',
    args: {
      poolSize: intOrPair({ default: 2, min: 1, max: 64, label: 'pool size', essential: true, doc: 'The size of each patch: 2 means 2×2 pixels become 1.' }),
      strides: intOrPair({ default: null, nullMeans: 'same as the pool size', min: 1, max: 64, doc: stridesDoc }),
      padding: paddingArg(),
      dataFormat: dataFormatArg(),
    },
    inputRank: { min: 3, max: 3 },
    outputShape: (input, args) =>
      poolOutput(o.label, input, pair(args.poolSize), pair(args.strides ?? args.poolSize), args.padding, args.dataFormat),
    params: () => 0,
    examples: [
      { input: [26, 26, 32] },
      { input: [7, 7, 3], args: { poolSize: 3, strides: 2, padding: 'same' } },
      { input: [8, 12, 12], args: { poolSize: [2, 3], dataFormat: 'channelsFirst' } },
    ],
  });
}

export function pooling3dLayer(o: PoolingNames): LayerDefinition {
  return defineLayer({
    ...o,
    category: 'pooling',
    args: {
      poolSize: intTuple({ default: 2, length: 3, min: 1, max: 64, label: 'pool size', essential: true, doc: 'The size of each patch: 2 means 2×2×2 become 1; or depth,height,width.' }),
      strides: intTuple({ default: null, nullMeans: 'same as the pool size', length: 3, min: 1, max: 64, doc: stridesDoc }),
      padding: paddingArg(),
      dataFormat: dataFormatArg(),
    },
    inputRank: { min: 4, max: 4 },
    outputShape: (input, args) =>
      poolOutput(o.label, input, tupleOf(args.poolSize, 3), tupleOf(args.strides ?? args.poolSize, 3), args.padding, args.dataFormat),
    params: () => 0,
    examples: [{ input: [16, 16, 16, 4] }, { input: [9, 8, 8, 2], args: { poolSize: [3, 2, 2], strides: 1, padding: 'same' } }],
  });
}

/** Global pooling keeps one number per channel: the whole image (or sequence) is one patch. */
export function globalPoolingLayer(o: PoolingNames & { rank: 1 | 2 }): LayerDefinition {
  const { rank, ...names } = o;
  if (rank === 1) {
    return defineLayer({
      ...names,
      category: 'pooling',
      args: {},
      inputRank: { min: 2, max: 2 },
      outputShape: (input) => ({ shape: [input[1] ?? null] }),
      params: () => 0,
      examples: [{ input: [100, 64] }],
    });
  }
  return defineLayer({
    ...names,
    category: 'pooling',
    // TF.js's global 2-D pooling factories crash when given no settings at all, so the data
    // format is always written out.
    args: { dataFormat: { ...dataFormatArg(), essential: true } },
    inputRank: { min: 3, max: 3 },
    outputShape: (input, args) => ({ shape: [splitChannels(input, args.dataFormat).channels] }),
    params: () => 0,
    examples: [{ input: [7, 7, 512] }, { input: [16, 5, 5], args: { dataFormat: 'channelsFirst' } }],
  });
}
