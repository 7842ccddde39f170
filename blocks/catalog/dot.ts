import { bool, defineLayer, intTuple, type Shape, type ShapeOutcome } from './define';
import { ANY_RANK, listShapes } from './merge';
import { formatShape } from './words';

/** TF.js's Dot works on data of at most 2 axes per sample (3 with the batch). */
const MAX_SAMPLE_RANK = 2;

function dotShape(shapes: readonly Shape[], axes: number | readonly number[]): ShapeOutcome {
  const label = 'Dot';
  const [a, b] = [shapes[0] ?? [], shapes[1] ?? []];
  if (a.length > MAX_SAMPLE_RANK || b.length > MAX_SAMPLE_RANK) {
    return {
      problem: {
        code: 'merge-shapes-differ',
        message: `This ${label} block gets data shaped ${listShapes(shapes)}, but Dot only works on lists or grids (at most 2 axes).`,
        fix: 'Add a Flatten block at the end of each branch before the Dot block.',
      },
    };
  }
  // Axes count the batch as axis 0, as in Keras; -1 is the last axis.
  const pick = (shape: Shape, axis: number) => (axis < 0 ? shape.length + 1 + axis : axis);
  const [axisA, axisB] = typeof axes === 'number' ? [pick(a, axes), pick(b, axes)] : [pick(a, axes[0]!), pick(b, axes[1]!)];
  if (axisA < 1 || axisA > a.length || axisB < 1 || axisB > b.length) {
    return {
      problem: {
        code: 'bad-axis',
        message: `This ${label} block's axes (${String(axes)}) don't fit data shaped ${listShapes(shapes)}.`,
        fix: 'Set axes to -1 to multiply along the last axis of both inputs.',
      },
    };
  }
  const sizeA = a[axisA - 1] ?? null;
  const sizeB = b[axisB - 1] ?? null;
  if (sizeA !== sizeB) {
    return {
      problem: {
        code: 'merge-shapes-differ',
        message: `This ${label} block multiplies ${formatShape(a)} with ${formatShape(b)} along the axes ${axisA} and ${axisB}, but there the sizes are ${sizeA ?? '?'} and ${sizeB ?? '?'}: they must be the same.`,
        fix: 'Change the axes, or make both branches end with the same size there (for example the same number of Dense units).',
      },
    };
  }
  const out = [...a.filter((_, i) => i !== axisA - 1), ...b.filter((_, i) => i !== axisB - 1)];
  return { shape: out.length === 0 ? [1] : out };
}

export const dot = defineLayer({
  key: 'dot',
  kerasClass: 'Dot',
  tfjsFactory: 'dot',
  label: 'Dot',
  category: 'merging',
  doc: 'Multiplies two inputs number by number along an axis and adds the results up (a dot product): a score for how much they point the same way.',
  args: {
    axes: intTuple({
      default: -1,
      length: 2,
      min: -2,
      max: 2,
      essential: true,
      doc: 'The axis of each input to multiply along: one number for both, or two separated by a comma. -1 is the last axis.',
    }),
    normalize: bool({ default: false, doc: 'Scales both inputs to length 1 first, so the result is between -1 and 1 (cosine similarity).' }),
  },
  inputRank: ANY_RANK,
  outputShape: (input, args) => dotShape([input, input], args.axes),
  params: () => 0,
  merge: { minInputs: 2, maxInputs: 2, outputShape: (shapes, args) => dotShape(shapes, args.axes) },
  examples: [
    { input: [8], inputs: [[8], [8]] },
    { input: [8], inputs: [[8], [8]], args: { normalize: true } },
    { input: [3, 4], inputs: [[3, 4], [5, 4]], args: { axes: [2, 2] } },
  ],
});
