/**
 * A drawing on the "Try your model" pad made into the picture a model trained on MNIST
 * expects, the way MNIST's digits were made (LeCun et al.): the ink is scaled, keeping its
 * proportions, to fit a 20×20 box, with grey levels where a pixel is partly covered
 * (anti-aliasing), and that box is placed in the 28×28 picture so that its centre of mass
 * sits at the picture's centre. Pure, so it is tested without a browser.
 */
export const PICTURE_SIZE = 28;
/** The box the ink is scaled into; the rest of the 28×28 is the black border MNIST has. */
export const INK_BOX_SIZE = 20;

/**
 * A grey picture, row by row: 0 is background (black), 1 is full ink (white). The server
 * feeds pixels to the network exactly like this (MNIST's 0..1 values; uploaded pictures'
 * 8-bit levels / 255), so the prepared drawing needs no other normalisation.
 */
export interface GreyPicture {
  width: number;
  height: number;
  values: Float32Array;
}

/**
 * Which way round a dataset's pictures are: MNIST's white ink on black, or dark ink on light
 * paper (a teacher's own scanned digits). The pad draws the same way, and the picture it
 * hands the model is made the same way.
 */
export type Ink = 'light-on-dark' | 'dark-on-light';

/**
 * The ink of a dataset's pictures, from a few of them (the data cell's preview): a digit
 * seldom touches a picture's edge, so the edge pixels are the paper. Mostly bright edges:
 * dark ink on light; otherwise (and with no pictures to look at) MNIST's white on black.
 * `pixels` are whole levels 0..255, width × height × channels each, as previews hold them.
 */
export function inkOfPictures(images: ReadonlyArray<{ pixels: ArrayLike<number> }>, width: number, height: number, channels = 1): Ink {
  let sum = 0;
  let count = 0;
  for (const { pixels } of images) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (y !== 0 && y !== height - 1 && x !== 0 && x !== width - 1) continue;
        for (let c = 0; c < channels; c++) sum += pixels[(y * width + x) * channels + c]!;
        count += channels;
      }
    }
  }
  return count > 0 && sum / count > 255 / 2 ? 'dark-on-light' : 'light-on-dark';
}

/**
 * A canvas's RGBA pixels as ink 0..1: 0 where the pad is bare, 1 under full ink. White ink on
 * black is its brightness, black ink on white its darkness (the mean of the channels is safe
 * for colours too).
 */
export function greyFromRgba(rgba: Uint8ClampedArray, width: number, height: number, ink: Ink = 'light-on-dark'): GreyPicture {
  const values = new Float32Array(width * height);
  for (let i = 0; i < values.length; i++) {
    const brightness = (rgba[i * 4]! + rgba[i * 4 + 1]! + rgba[i * 4 + 2]!) / (3 * 255);
    values[i] = ink === 'light-on-dark' ? brightness : 1 - brightness;
  }
  return { width, height, values };
}

/**
 * The 28×28 picture (784 values, 0..1, row by row) of a drawing, or null when nothing is
 * drawn. `drawing` holds ink amounts (greyFromRgba); with dark ink on light the picture is
 * then turned round, so that paper is 1 and ink 0, like the data's own pictures.
 */
export function drawingToMnist(drawing: GreyPicture, ink: Ink = 'light-on-dark'): Float32Array | null {
  const inked = inkBounds(drawing);
  if (!inked) return null;
  // The longer side becomes 20 pixels; the shorter keeps the proportion (a "1" stays thin).
  const scale = INK_BOX_SIZE / Math.max(inked.width, inked.height);
  const width = Math.min(INK_BOX_SIZE, Math.max(1, Math.round(inked.width * scale)));
  const height = Math.min(INK_BOX_SIZE, Math.max(1, Math.round(inked.height * scale)));
  const box = resizeByArea(drawing, inked, width, height);

  const mass = centreOfMass(box, width, height);
  // Shift whole pixels so the centre of mass lands on pixel 14, 14, where MNIST's own digits
  // have it (the test checks real ones come back unchanged); never past an edge.
  const left = clamp(Math.round(PICTURE_SIZE / 2 - mass.x), 0, PICTURE_SIZE - width);
  const top = clamp(Math.round(PICTURE_SIZE / 2 - mass.y), 0, PICTURE_SIZE - height);
  const picture = new Float32Array(PICTURE_SIZE * PICTURE_SIZE);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) picture[(top + y) * PICTURE_SIZE + left + x] = clamp(box[y * width + x]!, 0, 1);
  }
  if (ink === 'dark-on-light') for (let i = 0; i < picture.length; i++) picture[i] = 1 - picture[i]!;
  return picture;
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest rectangle holding every pixel with any ink, or null for an empty picture. */
function inkBounds({ width, height, values }: GreyPicture): Region | null {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x]! <= 0) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/**
 * The region resampled to width × height, each new pixel the mean of the area of the old
 * ones it covers (partly covered old pixels count by the part covered). A box filter is
 * separable, so rows are resampled first and then columns.
 */
function resizeByArea(picture: GreyPicture, region: Region, width: number, height: number): Float32Array {
  const across = coverage(region.width, width);
  const down = coverage(region.height, height);
  const rows = new Float32Array(region.height * width);
  for (let y = 0; y < region.height; y++) {
    const from = (region.top + y) * picture.width + region.left;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const { index, weight } of across[x]!) sum += picture.values[from + index]! * weight;
      rows[y * width + x] = sum;
    }
  }
  const result = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (const { index, weight } of down[y]!) sum += rows[index * width + x]! * weight;
      result[y * width + x] = sum;
    }
  }
  return result;
}

/** For each of `to` new pixels along one side, the old pixels (of `from`) it covers and the share each contributes (shares add up to 1). */
function coverage(from: number, to: number): Array<Array<{ index: number; weight: number }>> {
  const step = from / to;
  return Array.from({ length: to }, (_, i) => {
    const start = i * step;
    const end = start + step;
    const covered: Array<{ index: number; weight: number }> = [];
    for (let index = Math.floor(start); index < Math.min(from, Math.ceil(end)); index++) {
      const overlap = Math.min(end, index + 1) - Math.max(start, index);
      if (overlap > 1e-9) covered.push({ index, weight: overlap / step });
    }
    return covered;
  });
}

/** The ink-weighted mean position, in pixels: 0, 0 is the top-left pixel, 1, 0 the one to its right. */
function centreOfMass(values: Float32Array, width: number, height: number): { x: number; y: number } {
  let total = 0;
  let x = 0;
  let y = 0;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const value = values[row * width + column]!;
      total += value;
      x += value * column;
      y += value * row;
    }
  }
  return { x: x / total, y: y / total };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
