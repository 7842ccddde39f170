import { describe, expect, it } from 'vitest';
import { drawingToMnist, greyFromRgba, PICTURE_SIZE, type GreyPicture } from './mnist-drawing';

/** A black picture with ink (1) wherever `inked(x, y)` says. */
function picture(width: number, height: number, inked: (x: number, y: number) => boolean): GreyPicture {
  const values = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) values[y * width + x] = inked(x, y) ? 1 : 0;
  return { width, height, values };
}

/** The expected 28×28 picture: `value(x, y)` inside the box at (left, top) of the given size, black elsewhere. */
function expected(left: number, top: number, width: number, height: number, value: (x: number, y: number) => number = () => 1): number[] {
  const out = new Array<number>(PICTURE_SIZE * PICTURE_SIZE).fill(0);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[(top + y) * PICTURE_SIZE + left + x] = value(x, y);
  return out;
}

const near = (actual: Float32Array | null) => Array.from(actual!, (v) => Math.round(v * 1e4) / 1e4);

describe('a drawing made into an MNIST picture', () => {
  it('is nothing when nothing is drawn', () => {
    expect(drawingToMnist(picture(280, 280, () => false))).toBeNull();
  });

  it('scales the ink to 20 pixels on its longer side, keeping its proportions, wherever it was drawn', () => {
    // A bar 10 wide and 50 tall in the top-left of the pad becomes 4×20: a thin "1".
    const bar = picture(100, 100, (x, y) => x >= 10 && x < 20 && y >= 30 && y < 80);
    // Its centre of mass (2, 10 in the 4×20 box) lands on the picture's centre (14, 14).
    expect(near(drawingToMnist(bar))).toEqual(expected(12, 4, 4, 20));
  });

  it('puts the centre of mass, not the middle of the box, at the centre', () => {
    // An "L" 40×40 with strokes 10 thick, halved to 20×20 with strokes 5 thick.
    const letter = picture(60, 60, (x, y) => x >= 10 && x < 50 && y >= 5 && y < 45 && (x < 20 || y >= 35));
    const inBox = (x: number, y: number) => (x < 5 || y >= 15 ? 1 : 0);
    // Mass at (6.79, 13.21) in the box, so the box moves right by 7 and down by 1, not 4 and 4.
    expect(near(drawingToMnist(letter))).toEqual(expected(7, 1, 20, 20, inBox));
  });

  it('averages the area each new pixel covers, so thin lines become grey', () => {
    // Stripes one pixel wide in every other column of a 40×40 square. The ink is 39 columns
    // (0..38) by 40 rows, so each new pixel of the 20×20 box covers 1.95 columns, about one of
    // them inked: all about half grey, and the ink's total kept in proportion to the area.
    const stripes = picture(40, 40, (x) => x % 2 === 0);
    const result = drawingToMnist(stripes)!;
    const box = Array.from({ length: 20 * 20 }, (_, i) => result[(4 + Math.floor(i / 20)) * PICTURE_SIZE + 4 + (i % 20)]!);
    expect(Math.min(...box)).toBeGreaterThan(0.4);
    expect(Math.max(...box)).toBeLessThan(0.6);
    expect(result.reduce((a, b) => a + b, 0)).toBeCloseTo(200 * (40 / 39), 3);
  });

  it('scales by fractions as well: a 30×30 square fills the 20×20 box exactly', () => {
    const square = picture(50, 50, (x, y) => x >= 7 && x < 37 && y >= 11 && y < 41);
    expect(near(drawingToMnist(square))).toEqual(expected(4, 4, 20, 20));
  });

  it('gives values from 0 to 1, as the trainer feeds MNIST pixels', () => {
    const dot = picture(280, 280, (x, y) => (x - 140) ** 2 + (y - 140) ** 2 < 30 ** 2);
    const result = drawingToMnist(dot)!;
    expect(result).toHaveLength(784);
    expect(Math.min(...result)).toBe(0);
    expect(Math.max(...result)).toBeLessThanOrEqual(1);
    expect(Math.max(...result)).toBeGreaterThan(0.99);
  });
});

describe('a canvas read as grey levels', () => {
  it('turns white into 1, black into 0 and grey in between', () => {
    const rgba = Uint8ClampedArray.from([255, 255, 255, 255, 0, 0, 0, 255, 51, 51, 51, 255]);
    expect(Array.from(greyFromRgba(rgba, 3, 1).values, (v) => Math.round(v * 100) / 100)).toEqual([1, 0, 0.2]);
  });
});
