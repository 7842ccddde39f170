import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawingToMnist, greyFromRgba, inkOfPictures, PICTURE_SIZE, type GreyPicture } from './mnist-drawing';

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
    // Its centre of mass (pixel 1.5, 9.5 of the 4×20 box) goes to pixel 14, 14 (halves round up).
    expect(near(drawingToMnist(bar))).toEqual(expected(13, 5, 4, 20));
  });

  it('puts the centre of mass, not the middle of the box, at the centre', () => {
    // An "L" 40×40 with strokes 10 thick, halved to 20×20 with strokes 5 thick.
    const letter = picture(60, 60, (x, y) => x >= 10 && x < 50 && y >= 5 && y < 45 && (x < 20 || y >= 35));
    const inBox = (x: number, y: number) => (x < 5 || y >= 15 ? 1 : 0);
    // Mass at pixel 6.29, 12.71 of the box, so the box moves right by 8 and down by 1, not 4 and 4.
    expect(near(drawingToMnist(letter))).toEqual(expected(8, 1, 20, 20, inBox));
  });

  it('averages the area each new pixel covers, so thin lines become grey', () => {
    // Stripes one pixel wide in every other column of a 40×40 square. The ink is 39 columns
    // (0..38) by 40 rows, so each new pixel of the 20×20 box covers 1.95 columns, about one of
    // them inked: all about half grey, and the ink's total kept in proportion to the area.
    const stripes = picture(40, 40, (x) => x % 2 === 0);
    const result = drawingToMnist(stripes)!;
    const inked = result.filter((v) => v > 0);
    expect(inked).toHaveLength(20 * 20);
    expect(Math.min(...inked)).toBeGreaterThan(0.4);
    expect(Math.max(...inked)).toBeLessThan(0.6);
    expect(result.reduce((a, b) => a + b, 0)).toBeCloseTo(200 * (40 / 39), 3);
  });

  it('scales by fractions as well: a 30×30 square fills the 20×20 box exactly', () => {
    const square = picture(50, 50, (x, y) => x >= 7 && x < 37 && y >= 11 && y < 41);
    expect(near(drawingToMnist(square))).toEqual(expected(5, 5, 20, 20));
  });

  it("gives back real MNIST digits drawn ten times as large, pixel for pixel: MNIST's own recipe", () => {
    // The `mnist` package's digits, the ones the starter notebook trains on (784 values 0..1 each).
    const digitsDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
    for (let digit = 0; digit < 10; digit++) {
      const { data } = JSON.parse(readFileSync(path.join(digitsDir, `${digit}.json`), 'utf8')) as { data: number[] };
      for (let example = 0; example < 3; example++) {
        const original = data.slice(example * 784, (example + 1) * 784);
        const large = picture(280, 280, () => false);
        large.values.forEach((_, i) => (large.values[i] = original[Math.floor(i / 2800) * 28 + Math.floor((i % 280) / 10)]!));
        expect(near(drawingToMnist(large)), `digit ${digit}, example ${example}`).toEqual(original.map((v) => Math.round(v * 1e4) / 1e4));
      }
    }
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

describe('the ink of a dataset, for the drawing pad', () => {
  /** A 5×5 picture: `paper` at the edges, `ink` in the middle 3×3. */
  const sheet = (paper: number, ink: number, channels = 1) =>
    Array.from({ length: 25 }, (_, i) => (i % 5 === 0 || i % 5 === 4 || i < 5 || i >= 20 ? paper : ink)).flatMap((level) => new Array<number>(channels).fill(level));

  it("is white on black for MNIST-like pictures, whatever their middles hold", () => {
    expect(inkOfPictures([{ pixels: sheet(0, 255) }, { pixels: sheet(10, 255) }], 5, 5)).toBe('light-on-dark');
  });

  it('is black on white for pictures with light edges (scanned digits on paper), in grey or colour', () => {
    expect(inkOfPictures([{ pixels: sheet(240, 0) }, { pixels: sheet(200, 30) }], 5, 5)).toBe('dark-on-light');
    expect(inkOfPictures([{ pixels: sheet(250, 0, 3) }], 5, 5, 3)).toBe('dark-on-light');
  });

  it('looks at the edges only: a big bright digit on black stays white on black', () => {
    expect(inkOfPictures([{ pixels: sheet(20, 255) }], 5, 5)).toBe('light-on-dark');
  });

  it("is MNIST's white on black when there are no pictures to look at", () => {
    expect(inkOfPictures([], 28, 28)).toBe('light-on-dark');
  });
});

describe('a drawing in black ink on white', () => {
  it('reads the dark strokes as ink', () => {
    const rgba = Uint8ClampedArray.from([255, 255, 255, 255, 0, 0, 0, 255, 204, 204, 204, 255]);
    expect(Array.from(greyFromRgba(rgba, 3, 1, 'dark-on-light').values, (v) => Math.round(v * 100) / 100)).toEqual([0, 1, 0.2]);
  });

  it('becomes the white-on-black picture turned round: paper 1, ink 0', () => {
    const bar = picture(100, 100, (x, y) => x >= 10 && x < 20 && y >= 30 && y < 80);
    const whiteOnBlack = drawingToMnist(bar)!;
    const blackOnWhite = drawingToMnist(bar, 'dark-on-light')!;
    expect(near(blackOnWhite)).toEqual(near(whiteOnBlack.map((v) => 1 - v)));
    // The corners are paper.
    expect(blackOnWhite[0]).toBe(1);
  });

  it('is still nothing when nothing is drawn', () => {
    expect(drawingToMnist(picture(28, 28, () => false), 'dark-on-light')).toBeNull();
  });
});
