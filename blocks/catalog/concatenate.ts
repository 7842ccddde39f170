import { defineLayer, int, type Shape, type ShapeOutcome } from './define';
import { ANY_RANK, listShapes } from './merge';
import { sampleAxis } from './rules';
import { formatShape } from './words';

function concatenateShape(shapes: readonly Shape[], axis: number): ShapeOutcome {
  const first = shapes[0] ?? [];
  const label = 'Concatenate';
  if (shapes.some((s) => s.length !== first.length)) {
    return {
      problem: {
        code: 'merge-shapes-differ',
        message: `This ${label} block gets data shaped ${listShapes(shapes)}, which have different numbers of axes, so they can't be joined.`,
        fix: 'Make every branch end in the same kind of data: for example add a Flatten block at the end of each branch, so each one is a flat list.',
      },
    };
  }
  const at = sampleAxis(first, axis);
  if (at === null) {
    return {
      problem: {
        code: 'bad-axis',
        message: `This ${label} block's axis is ${axis}, but the data coming in has only ${first.length} ${first.length === 1 ? 'axis' : 'axes'} (not counting the batch).`,
        fix: `Set axis to -1 (join along the last axis) or a number from 1 to ${first.length}.`,
      },
    };
  }
  const rest = (s: Shape) => s.filter((_, i) => i !== at);
  const mismatch = shapes.find((s) => formatShape(rest(s)) !== formatShape(rest(first)));
  if (mismatch) {
    return {
      problem: {
        code: 'merge-shapes-differ',
        message: `This ${label} block gets data shaped ${listShapes(shapes)}. They are joined along axis ${axis}, so every other size must be the same, but ${formatShape(first)} and ${formatShape(mismatch)} differ elsewhere.`,
        fix: 'Change the axis to the one where the sizes differ, or change one branch (for example with a pooling, Flatten or Reshape block) so the other sizes match.',
      },
    };
  }
  const joined = shapes.reduce<number | null>((sum, s) => (sum === null || s[at] === null ? null : sum + s[at]!), 0);
  return { shape: first.map((d, i) => (i === at ? joined : d)) };
}

export const concatenate = defineLayer({
  key: 'concatenate',
  kerasClass: 'Concatenate',
  tfjsFactory: 'concatenate',
  label: 'Concatenate',
  category: 'merging',
  doc: 'Puts the inputs side by side into one longer piece of data, for example two lists of 8 numbers become one list of 16.',
  args: {
    axis: int({ default: -1, min: -8, max: 8, doc: 'Which axis the inputs are joined along: -1 is the last one (the channels of an image).' }),
  },
  inputRank: ANY_RANK,
  outputShape: (input, args) => concatenateShape([input, input], args.axis),
  params: () => 0,
  merge: { minInputs: 2, maxInputs: 64, outputShape: (shapes, args) => concatenateShape(shapes, args.axis) },
  examples: [
    { input: [8], inputs: [[8], [4]] },
    { input: [6, 6, 3], inputs: [[6, 6, 3], [6, 6, 5], [6, 6, 1]] },
    { input: [5, 2], inputs: [[5, 2], [3, 2]], args: { axis: 1 } },
  ],
});
