import { describe, expect, it } from 'vitest';
import { CLASS_COLORS } from '../lib/class-colors';
import {
  areaShares, describeMap, describeRightSide, gridPoints, mapRange, pointsOnTheRightSide, readMap, squareColor, squareOf, type MapPoint,
} from './decision-map';

const RANGE = { min: -1, max: 1 };

describe('the range a decision map shows', () => {
  it('is one square around every x and y, with a margin, so that a ring stays round', () => {
    const range = mapRange([
      { x: -1, y: 0.2, classIndex: 0 },
      { x: 0.5, y: 1, classIndex: 1 },
    ]);
    expect(range.min).toBeCloseTo(-1.2);
    expect(range.max).toBeCloseTo(1.2);
  });

  it('is the playground sets\' span when there are no points', () => {
    expect(mapRange([])).toEqual({ min: -1.5, max: 1.5 });
  });
});

describe('the grid the model is asked about', () => {
  it('holds the middle of every square, row by row from the top, left to right', () => {
    const grid = gridPoints(RANGE, 2);
    expect(Array.from(grid)).toEqual([-0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5]);
    expect(gridPoints(RANGE, 60)).toHaveLength(60 * 60 * 2);
  });

  it('puts every point in the square around it, points off the map in the nearest edge square', () => {
    expect(squareOf({ x: -0.9, y: 0.9 }, RANGE, 2)).toBe(0);
    expect(squareOf({ x: 0.1, y: 0.9 }, RANGE, 2)).toBe(1);
    expect(squareOf({ x: 0.9, y: -0.1 }, RANGE, 2)).toBe(3);
    expect(squareOf({ x: 5, y: -5 }, RANGE, 2)).toBe(3);
    // Each grid point lies in its own square.
    const grid = gridPoints(RANGE, 7);
    for (let i = 0; i < 49; i++) expect(squareOf({ x: grid[i * 2]!, y: grid[i * 2 + 1]! }, RANGE, 7)).toBe(i);
  });
});

describe("reading the model's answers for the grid", () => {
  it('takes the likeliest class and how sure the model is: 0 at 50/50, 1 when certain', () => {
    const map = readMap([0.5, 0.5, 0.9, 0.1, 0.25, 0.75, 0, 1], 2, RANGE, 2);
    expect(Array.from(map.classes)).toEqual([0, 0, 1, 1]);
    expect(Array.from(map.certainty).map((c) => Number(c.toFixed(3)))).toEqual([0, 0.8, 0.5, 1]);
    expect(map.softmaxed).toBe(false);
  });

  it('makes raw outputs into shares with softmax, and says so', () => {
    const map = readMap([3, -3, 0, 0, -1, 1, 0, 0], 2, RANGE, 2);
    expect(Array.from(map.classes)).toEqual([0, 0, 1, 0]);
    expect(map.certainty[0]).toBeGreaterThan(0.99);
    expect(map.softmaxed).toBe(true);
  });
});

describe('the colour of a square', () => {
  const hex = (rgb: number[]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  const whiteness = (rgb: number[]) => rgb.reduce((a, b) => a + b, 0);

  it('is almost white where the model is torn and grows stronger the surer it is, in the class colour', () => {
    const torn = squareColor(0, 0);
    const sure = squareColor(0, 1);
    expect(Math.min(...torn)).toBeGreaterThan(235);
    expect(whiteness(squareColor(0, 0.5))).toBeLessThan(whiteness(torn));
    expect(whiteness(sure)).toBeLessThan(whiteness(squareColor(0, 0.5)));
    // Blue stays blue, orange orange: the strongest channel is the class colour's.
    expect(sure.indexOf(Math.min(...sure))).toBe(0);
    expect(squareColor(1, 1)[0]).toBeGreaterThan(squareColor(1, 1)[2]);
  });

  it('never reaches the full class colour, so the points drawn in it stand out', () => {
    expect(hex(squareColor(0, 1))).not.toBe(CLASS_COLORS[0]);
    expect(hex(squareColor(1, 1))).not.toBe(CLASS_COLORS[1]);
  });
});

describe('what the map gets right, and the sentence that reads it', () => {
  // Left half "inside" (sure), right half "outside" (sure).
  const map = readMap([1, 0, 0, 1, 1, 0, 0, 1], 2, RANGE, 2);
  const points: MapPoint[] = [
    { x: -0.5, y: 0.5, classIndex: 0 },
    { x: -0.5, y: -0.5, classIndex: 0 },
    { x: 0.5, y: 0.5, classIndex: 1 },
    { x: 0.5, y: -0.5, classIndex: 0 },
  ];

  it('counts the points that lie on the colour of their own class', () => {
    expect(pointsOnTheRightSide(map, points)).toBe(3);
    expect(areaShares(map, 2)).toEqual([0.5, 0.5]);
  });

  it('says which colour is which answer, how much of the map each takes, and the share of points on the right side', () => {
    expect(describeMap(map, points, ['inside', 'outside'])).toBe(
      'Blue is where your model says “inside” (50% of the map), orange where it says “outside” (50%). 75% of the 4 points shown are on the right side.',
    );
  });

  it('says so when the model answers the same everywhere', () => {
    const flat = readMap([0.2, 0.8, 0.3, 0.7, 0.1, 0.9, 0.4, 0.6], 2, RANGE, 2);
    expect(describeMap(flat, points, ['inside', 'outside'])).toBe(
      'Your model says “outside” everywhere on the map: it does not tell the classes apart yet. 25% of the 4 points shown are on the right side.',
    );
  });

  it('never rounds a share of the points to all or none when it is not', () => {
    expect(describeRightSide(999, 1000)).toBe('99% of the 1,000 points shown are on the right side.');
    expect(describeRightSide(1, 1000)).toBe('1% of the 1,000 points shown are on the right side.');
    expect(describeRightSide(425, 425)).toBe('All 425 points shown are on the right side.');
    expect(describeRightSide(0, 3)).toBe('None of the 3 points shown is on the right side.');
  });
});
