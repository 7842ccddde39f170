import { MAX_IMAGE_SIDE, pictureExample, type RgbaPicture } from '../../blocks/format/picture-pixels';

/**
 * A picture file a student tries their model with, made into the model's input in the
 * browser: decoded to RGBA by the browser (createImageBitmap and a canvas), then resized and
 * scaled by the importer's own pixel policy (blocks/format/picture-pixels.ts), so the model
 * sees it as it saw the training pictures.
 */

/** Bigger files are refused before decoding: a 50 MB photo would stall the page. The importer takes 16 MB pictures, so this never refuses one it took. */
export const MAX_TRY_PICTURE_BYTES = 20 * 1024 * 1024;

/** What the file input offers; the importer reads PNG and JPEG only, so the model was trained on nothing else. */
export const PICTURE_FILE_TYPES = 'image/png,image/jpeg,.png,.jpg,.jpeg';

export type PictureFileCheck = { ok: true } | { ok: false; message: string };

/** Whether a file may be decoded at all, from its name, type and size only (nothing is read). */
export function checkPictureFile(file: { name: string; type: string; size: number }): PictureFileCheck {
  const named = /\.(png|jpe?g)$/i.test(file.name);
  const typed = file.type === 'image/png' || file.type === 'image/jpeg';
  if (!named && !typed) {
    return { ok: false, message: `"${file.name}" is not a PNG or JPEG picture. Choose a .png or .jpg picture, like the ones your data was made of.` };
  }
  if (file.size > MAX_TRY_PICTURE_BYTES) {
    const megabytes = Math.round((file.size / 1024 / 1024) * 10) / 10;
    return { ok: false, message: `"${file.name}" is ${megabytes} MB; a picture to try may be at most ${MAX_TRY_PICTURE_BYTES / 1024 / 1024} MB. Use a smaller picture.` };
  }
  return { ok: true };
}

export interface TriedPicture {
  /** The file's name, for the sentence under the pictures. */
  name: string;
  /** The picture as the model sees it: whole levels, size × size × channels. */
  levels: Uint8Array;
  /** The model's input numbers (levels / 255). */
  input: Float32Array;
  /** The file's own size, to say how much smaller the model's picture is. */
  width: number;
  height: number;
}

/** Decodes a checked picture file and makes it one example of `inputShape`; a message for the student when it cannot. */
export async function readPictureFile(file: File, inputShape: readonly [number, number, number]): Promise<TriedPicture | { problem: string }> {
  const check = checkPictureFile(file);
  if (!check.ok) return { problem: check.message };
  let rgba: RgbaPicture;
  try {
    rgba = await decodeToRgba(file);
  } catch (error) {
    return { problem: error instanceof TooBig ? error.message : `"${file.name}" could not be read as a picture: it may be damaged. Open it, save it again as .png or .jpg, and try again.` };
  }
  return { name: file.name, ...pictureExample(rgba, inputShape), width: rgba.width, height: rgba.height };
}

class TooBig extends Error {}

/**
 * The file's pixels as RGBA, unchanged: no colour-space conversion, no premultiplied alpha and
 * no turning by a photo's EXIF orientation (pngjs and jpeg-js, the importer's decoders, do none
 * of these; browsers from before 'none' meant "as encoded" still turn), and refused past the
 * importer's MAX_IMAGE_SIDE.
 */
async function decodeToRgba(file: File): Promise<RgbaPicture> {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'none' });
  try {
    const { width, height } = bitmap;
    if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
      throw new TooBig(`"${file.name}" is ${width}×${height} pixels; pictures may be at most ${MAX_IMAGE_SIDE}×${MAX_IMAGE_SIDE}. Use a smaller picture.`);
    }
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const pen = canvas.getContext('2d', { willReadFrequently: true });
    if (!pen) throw new Error('no 2-D canvas');
    pen.drawImage(bitmap, 0, 0);
    return { width, height, data: pen.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}
