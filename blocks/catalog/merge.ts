/**
 * Shape rules shared by the layers that combine several inputs (Add, Multiply, Concatenate…),
 * written for one sample (no batch axis) the way TF.js's merge layers work them out.
 */
import { defineLayer, type LayerDefinition, type LayerProblem, type RankRule, type Shape, type ShapeOutcome } from './define';
import { formatShape } from './words';

/** Merge layers read each input's rank themselves; the single-input rank check must let any through. */
export const ANY_RANK: RankRule = { min: 1, max: 8 };

/** "a 4×4×8 image and a 4×4×16 image" style list of shapes for messages: "4×4×8 and 4×4×16". */
export function listShapes(shapes: readonly Shape[]): string {
  const texts = shapes.map(formatShape);
  return texts.length <= 2 ? texts.join(' and ') : `${texts.slice(0, -1).join(', ')} and ${texts[texts.length - 1]}`;
}

/**
 * Numbers combined one by one (Add, Multiply…): sizes must match, counting from the last axis;
 * a size of 1 is stretched to fit (the broadcasting rule Keras and TF.js use), and an input
 * with fewer axes gets extra ones at the front.
 */
export function elementwiseShape(shapes: readonly Shape[], label: string, verb: string): ShapeOutcome {
  let result: Shape = shapes[0] ?? [];
  for (const next of shapes.slice(1)) {
    const [long, short] = result.length >= next.length ? [result, next] : [next, result];
    const out = long.slice(0, long.length - short.length);
    for (let k = 0; k < short.length; k++) {
      const a = long[long.length - short.length + k]!;
      const b = short[k]!;
      if (a === null || b === null) out.push(null);
      else if (a === 1) out.push(b);
      else if (b === 1 || a === b) out.push(a);
      else return { problem: cannotCombine(shapes, label, verb, a, b) };
    }
    result = out;
  }
  return { shape: result };
}

function cannotCombine(shapes: readonly Shape[], label: string, verb: string, a: number, b: number): LayerProblem {
  return {
    code: 'merge-shapes-differ',
    message: `This ${label} block gets data shaped ${listShapes(shapes)}, which can't be ${verb}: the sizes ${a} and ${b} don't match (they must be equal, or one of them 1).`,
    fix: `Make every branch end in the same shape, for example give the last Dense or Conv2D block of each branch the same number of units or filters. To put different shapes side by side, use a Concatenate block instead.`,
  };
}

export interface ElementwiseLayer {
  key: string;
  kerasClass: string;
  tfjsFactory: string;
  label: string;
  doc: string;
  /** How a message says the inputs are combined: "added", "multiplied". */
  verb: string;
}

/** The element-wise merges have no settings and no weights; only their name and verb differ. */
export function defineElementwiseLayer(layer: ElementwiseLayer): LayerDefinition {
  const rule = (shapes: readonly Shape[]) => elementwiseShape(shapes, layer.label, layer.verb);
  return defineLayer({
    ...layer,
    category: 'merging',
    args: {},
    inputRank: ANY_RANK,
    outputShape: (input) => rule([input, input]),
    params: () => 0,
    merge: { minInputs: 2, maxInputs: 64, outputShape: rule },
    examples: [
      { input: [8], inputs: [[8], [8]] },
      { input: [4, 4, 3], inputs: [[4, 4, 3], [4, 4, 3], [4, 4, 3]] },
      // Broadcasting: a size of 1 stretches, and fewer axes count from the end.
      { input: [5, 1], inputs: [[5, 1], [5, 6]] },
      { input: [2, 3], inputs: [[2, 3], [3]] },
    ],
  });
}
