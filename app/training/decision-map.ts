import { classColor, classColorName } from '../lib/class-colors';
import { formatCount } from '../lib/count';
import { asGuess, formatShare, likeliest } from './prediction';

/**
 * The decision map of a model trained on 2-D points (the TensorFlow Playground's picture):
 * the plane over the data's range cut into a grid, each square coloured by the class the model
 * answers there, paler where it is less sure. Pure, so the numbers and words are tested without
 * a browser or TF.js; DecisionMap.tsx asks the model and draws.
 */

/** Squares per side: 3,600 points, one batch of a few milliseconds for the small networks students build on these sets. */
export const GRID_STEPS = 60;

/** One data point drawn on the map, with the index of its class. */
export interface MapPoint {
  x: number;
  y: number;
  classIndex: number;
}

/** The stretch of the plane the map shows, the same on both axes so that a ring stays round. */
export interface MapRange {
  min: number;
  max: number;
}

/** What the playground sets span without noise, shown when there are no points to measure. */
const DEFAULT_RANGE: MapRange = { min: -1.5, max: 1.5 };
/** Room around the outermost points, as a share of the span, so that none sits on the edge. */
const MARGIN = 0.1;

/** The square around every point's x and y, with a margin. */
export function mapRange(points: readonly MapPoint[]): MapRange {
  if (points.length === 0) return DEFAULT_RANGE;
  let min = Infinity;
  let max = -Infinity;
  for (const p of points) {
    min = Math.min(min, p.x, p.y);
    max = Math.max(max, p.x, p.y);
  }
  const margin = Math.max(max - min, 1e-3) * MARGIN;
  return { min: min - margin, max: max + margin };
}

/**
 * The middle of every square, as x,y pairs end to end (the model's batch), row by row from the
 * top (the largest y, as on paper) and left to right in each row.
 */
export function gridPoints(range: MapRange, steps: number): Float32Array {
  const size = (range.max - range.min) / steps;
  const out = new Float32Array(steps * steps * 2);
  for (let row = 0; row < steps; row++) {
    for (let column = 0; column < steps; column++) {
      const i = (row * steps + column) * 2;
      out[i] = range.min + (column + 0.5) * size;
      out[i + 1] = range.max - (row + 0.5) * size;
    }
  }
  return out;
}

/** The square a point falls in (row × steps + column), points off the map counted in the nearest edge square. */
export function squareOf(point: Pick<MapPoint, 'x' | 'y'>, range: MapRange, steps: number): number {
  const size = (range.max - range.min) / steps;
  const clamp = (value: number) => Math.min(steps - 1, Math.max(0, Math.floor(value)));
  const column = clamp((point.x - range.min) / size);
  const row = clamp((range.max - point.y) / size);
  return row * steps + column;
}

export interface DecisionMap {
  range: MapRange;
  steps: number;
  /** The class the model answers in each square, in gridPoints' order. */
  classes: Uint8Array;
  /** How sure it is there: 0 when every class is as likely (50/50 for two), 1 when it is certain. */
  certainty: Float32Array;
  /** True when the model's last layer has no softmax, so softmax made its outputs into shares. */
  softmaxed: boolean;
}

/** The map from the model's raw outputs for gridPoints (classCount numbers per square). */
export function readMap(outputs: ArrayLike<number>, classCount: number, range: MapRange, steps: number): DecisionMap {
  const squares = steps * steps;
  const classes = new Uint8Array(squares);
  const certainty = new Float32Array(squares);
  let softmaxed = false;
  const even = 1 / classCount;
  for (let i = 0; i < squares; i++) {
    const guess = asGuess(Array.prototype.slice.call(outputs, i * classCount, (i + 1) * classCount) as number[]);
    const best = likeliest(guess.probabilities);
    classes[i] = best;
    certainty[i] = Math.min(1, Math.max(0, (guess.probabilities[best]! - even) / (1 - even)));
    softmaxed ||= guess.softmaxed;
  }
  return { range, steps, classes, certainty, softmaxed };
}

/**
 * How much of the class's colour a square gets, mixed with white: almost none where the model
 * is torn, up to STRONGEST where it is sure. Never the full colour, so that the points (drawn
 * in full colour) stand out from the ground of their own class.
 */
const PALEST = 0.05;
const STRONGEST = 0.6;

/** A square's colour as red, green, blue 0..255. */
export function squareColor(classIndex: number, certainty: number): [number, number, number] {
  const [r, g, b] = hexToRgb(classColor(classIndex));
  const amount = PALEST + (STRONGEST - PALEST) * Math.min(1, Math.max(0, certainty));
  const mix = (channel: number) => Math.round(255 + (channel - 255) * amount);
  return [mix(r), mix(g), mix(b)];
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** How many of the points lie on a square of their own class: what the map gets right of the points it shows. */
export function pointsOnTheRightSide(map: DecisionMap, points: readonly MapPoint[]): number {
  return points.filter((p) => map.classes[squareOf(p, map.range, map.steps)] === p.classIndex).length;
}

/** Each class's share of the map's squares, in class order. */
export function areaShares(map: DecisionMap, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const c of map.classes) counts[c]!++;
  return counts.map((count) => count / map.classes.length);
}

/**
 * The map in a sentence, for the student and as the picture's text alternative: which colour
 * is which answer and how much of the map each takes, then how many of the shown points the
 * map puts on the right side.
 * "Blue is where your model says “inside” (31% of the map), orange where it says “outside” (69%). 94% of the 425 points shown are on the right side."
 */
export function describeMap(map: DecisionMap, points: readonly MapPoint[], classNames: readonly string[]): string {
  const shares = areaShares(map, classNames.length);
  const name = (i: number) => `“${classNames[i] ?? `class ${i}`}”`;
  const only = shares.findIndex((share) => share === 1);
  const areas =
    only >= 0
      ? `Your model says ${name(only)} everywhere on the map: it does not tell the classes apart yet.`
      : `${capitalise(
          shares
            .map((share, i) => ({ share, i }))
            .filter(({ share }) => share > 0)
            .map(({ share, i }, k) => `${classColorName(i)} ${k === 0 ? 'is where your model says' : 'where it says'} ${name(i)} (${formatShare(share)}${k === 0 ? ' of the map' : ''})`)
            .join(', '),
        )}.`;
  return points.length === 0 ? areas : `${areas} ${describeRightSide(pointsOnTheRightSide(map, points), points.length)}`;
}

/** "94% of the 425 points shown are on the right side." A share never rounds to all or none when it is not. */
export function describeRightSide(right: number, shown: number): string {
  const count = formatCount(shown);
  if (right === shown) return `All ${count} points shown are on the right side.`;
  if (right === 0) return `None of the ${count} points shown is on the right side.`;
  const percent = Math.min(99, Math.max(1, Math.round((right / shown) * 100)));
  return `${percent}% of the ${count} points shown are on the right side.`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
