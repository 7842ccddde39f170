/** Small pictures and zips built in memory, for tests of the image import. */
import { zipSync, type Zippable } from 'fflate';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

/** A width × height PNG filled with one RGBA colour. */
export function solidPng(width: number, height: number, rgba: [number, number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set(rgba, i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

export function solidJpeg(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], i * 4);
  return new Uint8Array(encodeJpeg({ data, width, height }, 95).data);
}

export const zip = (files: Zippable) => zipSync(files);

/** Two classes: black pictures in "dark", white ones in "light", 5 of each, PNG and JPEG mixed. */
export function darkAndLightZip(): Uint8Array {
  const files: Zippable = {};
  for (let i = 0; i < 5; i++) {
    files[`dark/${i}.png`] = solidPng(40, 30, [0, 0, 0, 255]);
    files[`light/${i}.jpg`] = solidJpeg(20, 20, [255, 255, 255]);
  }
  return zip(files);
}

/** An IDX file as the MNIST site serves them (unzipped), written by the test. */
export function idxFile(typeCode: number, shape: number[], values: number[], bytesPerValue = 1): Uint8Array {
  const out = new Uint8Array(4 + shape.length * 4 + values.length * bytesPerValue);
  const view = new DataView(out.buffer);
  out[2] = typeCode;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + i * 4, d, false));
  const start = 4 + shape.length * 4;
  values.forEach((v, i) => (bytesPerValue === 1 ? view.setUint8(start + i, v) : view.setInt32(start + i * 4, v, false)));
  return out;
}

/** A multipart/form-data body as a browser's FormData sends it: text fields and files, in order. */
export async function formBody(entries: [field: string, value: string | { name: string; bytes: Uint8Array }][]): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const form = new FormData();
  for (const [field, value] of entries) {
    if (typeof value === 'string') form.append(field, value);
    else form.append(field, new Blob([new Uint8Array(value.bytes)]), value.name);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

/** A width × height PNG whose left half is one colour and right half another: a picture with a shape to learn, unlike a flat colour. */
export function halvesPng(width: number, height: number, left: [number, number, number, number], right: [number, number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(x < width / 2 ? left : right, (y * width + x) * 4);
  return new Uint8Array(PNG.sync.write(png));
}
