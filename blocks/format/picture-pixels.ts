/**
 * How one picture becomes one example of a picture dataset: the pixel policy, in one home.
 * The server's importer (server/data/pictures.ts) decodes an uploaded PNG or JPEG to RGBA
 * and stores `resizeToChannels`'s levels; "Try your model" (app/training/picture-file.ts)
 * decodes the student's file to RGBA in the browser and calls the same functions, so the
 * model sees a tried picture exactly as it saw its training pictures. Pure: no DOM, no
 * decoder, so both sides and the tests share it.
 */

/** Decoding makes 4 bytes per pixel; 4096 × 4096 is already 64 MB. Larger pictures are refused, on the server and in the browser. */
export const MAX_IMAGE_SIDE = 4096;

/** The highest whole level a stored picture's pixel has; the network is given level / MAX_LEVEL, 0..1. */
export const MAX_LEVEL = 255;

/** Decoded pixels, 4 bytes (red, green, blue, alpha) per pixel, row by row, as a decoder or a canvas gives them. */
export interface RgbaPicture {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/**
 * Area-average resize (each output pixel is the mean of the input pixels it covers, with
 * partial pixels weighted), stretched to a square (never cropped), transparent parts drawn
 * on white, to whole levels 0..255 in `channels` channels (1: grey by luminance, 3: RGB).
 */
export function resizeToChannels(image: RgbaPicture, size: number, channels: 1 | 3 | number): Uint8Array {
  const out = new Uint8Array(size * size * channels);
  const scaleX = image.width / size;
  const scaleY = image.height / size;
  const sum = [0, 0, 0];
  for (let oy = 0; oy < size; oy++) {
    const y0 = oy * scaleY;
    const y1 = y0 + scaleY;
    for (let ox = 0; ox < size; ox++) {
      const x0 = ox * scaleX;
      const x1 = x0 + scaleX;
      sum[0] = sum[1] = sum[2] = 0;
      let weightSum = 0;
      for (let y = Math.floor(y0); y < Math.min(Math.ceil(y1), image.height); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.min(Math.ceil(x1), image.width); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const at = (y * image.width + x) * 4;
          const alpha = image.data[at + 3]! / 255;
          for (let c = 0; c < 3; c++) sum[c]! += w * (image.data[at + c]! * alpha + 255 * (1 - alpha));
          weightSum += w;
        }
      }
      const [r, g, b] = sum.map((s) => s / weightSum) as [number, number, number];
      const at = (oy * size + ox) * channels;
      if (channels === 1) out[at] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      else [out[at], out[at + 1], out[at + 2]] = [Math.round(r), Math.round(g), Math.round(b)];
    }
  }
  return out;
}

/** Stored levels as the numbers the network is given (the trainer reads a stored picture this way). */
export function levelsToInput(levels: ArrayLike<number>): Float32Array {
  return Float32Array.from(levels, (level) => level / MAX_LEVEL);
}

/**
 * Whether examples of this shape are pictures a picture file can be made into: height ×
 * width × 1 or 3 channels, square as every importer makes them (MNIST, uploads, IDX files).
 */
export function isPictureShape(inputShape: readonly number[]): inputShape is [number, number, 1 | 3] {
  const [height, width, channels, ...more] = inputShape;
  return more.length === 0 && height !== undefined && height > 0 && height === width && (channels === 1 || channels === 3);
}

/**
 * A decoded picture as one example of a dataset of `inputShape` (size × size × channels):
 * its levels (for showing it as the model sees it) and the model's input numbers.
 */
export function pictureExample(image: RgbaPicture, inputShape: readonly [number, number, number]): { levels: Uint8Array; input: Float32Array } {
  const [size, , channels] = inputShape;
  const levels = resizeToChannels(image, size, channels);
  return { levels, input: levelsToInput(levels) };
}
